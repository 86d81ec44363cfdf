import Cloud
import JMESPath

/// `az keyvault ...` for vaults: lifecycle, access policies. Shapes as output-shapes.md records
/// az 2.91 printing them.
enum KeyVaultCommands {
    static let handlers: [String: Handler] = [
        "keyvault create": Handler(reads: [
            P.vaultName, P.resourceGroupName, P.location, P.sku, P.retentionDays, P.enablePurgeProtection,
            P.enableRbacAuthorization, P.enabledForDeployment, P.enabledForDiskEncryption,
            P.enabledForTemplateDeployment, P.publicNetworkAccess, P.noSelfPerms, P.bypass, P.defaultAction,
            P.tags,
        ]) { world, args in
            let name = try args.require(P.vaultName)
            // az checks for the name itself before asking ARM, so this is a client-side error.
            if let existing = world.vaults[name.lowercased()],
                existing.resourceGroup.lowercased() == args[P.resourceGroupName]?.lowercased()
            {
                throw CLIError("The specified vault: \(name) already exists")
            }
            let v = try world.createVault(
                name: name, resourceGroup: try args.require(P.resourceGroupName), location: args[P.location],
                // az's create_vault: its user gets an access policy unless --no-self-perms or
                // --enable-rbac-authorization true (so a default RBAC vault has one, ignored).
                settings: try settings(args),
                selfPermissions: args[P.noSelfPerms] != true && args[P.enableRbacAuthorization] != true)
            return render(v, world)
        },
        "keyvault update": Handler(reads: [
            P.vaultName, P.resourceGroupName, P.retentionDays, P.enablePurgeProtection,
            P.enableRbacAuthorization,
            P.enabledForDeployment, P.enabledForDiskEncryption, P.enabledForTemplateDeployment,
            P.publicNetworkAccess, P.bypass, P.defaultAction,
        ]) { world, args in
            return render(
                try world.updateVault(
                    name: try args.require(P.vaultName), resourceGroup: args[P.resourceGroupName],
                    settings: try settings(args)), world)
        },
        "keyvault show": Handler(reads: [P.vaultName, P.resourceGroupName]) { world, args in
            render(
                try world.vault(
                    try args.require(P.vaultName),
                    resourceGroup: args[P.resourceGroupName]), world)
        },
        "keyvault list": Handler(reads: [P.resourceGroupName, P.resourceType]) { world, args in
            if let t = args[P.resourceType], t.lowercased() == "hsm" { return .array([]) }
            if let rg = args[P.resourceGroupName] { _ = try world.resourceGroup(rg) }
            let rg = args[P.resourceGroupName]?.lowercased()
            return .array(
                world.vaults.values.filter { rg == nil || $0.resourceGroup.lowercased() == rg }
                    .sorted { $0.name.lowercased() < $1.name.lowercased() }.map { render($0, world) })
        },
        "keyvault delete": Handler(reads: [P.vaultName, P.resourceGroupName]) { world, args in
            let name = try args.require(P.vaultName)
            args.warn(
                "Warning! If you have soft-delete protection enabled on this key vault, you will not be able to "
                    + "reuse this key vault name until the key vault has been purged from the soft deleted state. "
                    + "Please see the following documentation for additional "
                    + "guidance.\nhttps://learn.microsoft.com/azure/key-vault/general/soft-delete-overview"
            )
            try world.deleteVault(name: name, resourceGroup: args[P.resourceGroupName])
            return nil
        },
        "keyvault list-deleted": Handler(reads: [P.resourceType]) { world, args in
            if let t = args[P.resourceType], t.lowercased() == "hsm" { return .array([]) }
            return .array(
                world.deletedVaults.values.sorted { $0.vault.name.lowercased() < $1.vault.name.lowercased() }.map {
                    renderDeleted($0, world)
                })
        },
        "keyvault show-deleted": Handler(reads: [P.vaultName, P.location]) { world, args in
            let d = try world.deletedVault(
                try args.require(P.vaultName))
            if let l = args[P.location], try Locations.resolve(l).name != d.vault.location {
                throw CloudError.notFound(
                    "ResourceNotFound",
                    "The Resource 'Microsoft.KeyVault/deletedVaults/\(d.vault.name)' was not found in location '\(l)'.")
            }
            return renderDeleted(d, world)
        },
        "keyvault recover": Handler(reads: [P.vaultName, P.location, P.resourceGroupName]) { world, args in
            render(
                try world.recoverVault(
                    name: try args.require(P.vaultName),
                    location: args[P.location]), world)
        },
        "keyvault purge": Handler(reads: [P.vaultName, P.location]) { world, args in
            try world.purgeVault(
                name: try args.require(P.vaultName),
                location: args[P.location])
            return nil
        },
        "keyvault network-rule add": Handler(reads: [
            P.vaultName, P.resourceGroupName, P.ipAddress, P.subnet, P.vnetName,
        ]) { world, args in
            let name = try args.require(P.vaultName)
            let v = try world.vault(name, resourceGroup: args[P.resourceGroupName])
            return render(
                try world.addNetworkRules(
                    vault: name, resourceGroup: args[P.resourceGroupName],
                    ipRules: args[P.ipAddress] ?? [], subnets: try subnets(args, world, v)), world)
        },
        "keyvault network-rule remove": Handler(reads: [
            P.vaultName, P.resourceGroupName, P.ipAddress, P.subnet, P.vnetName,
        ]) { world, args in
            let name = try args.require(P.vaultName)
            let v = try world.vault(name, resourceGroup: args[P.resourceGroupName])
            return render(
                try world.removeNetworkRules(
                    vault: name, resourceGroup: args[P.resourceGroupName],
                    ipRules: args[P.ipAddress] ?? [], subnets: try subnets(args, world, v)), world)
        },
        "keyvault network-rule list": Handler(reads: [P.vaultName, P.resourceGroupName]) { world, args in
            let v = try world.vault(
                try args.require(P.vaultName),
                resourceGroup: args[P.resourceGroupName])
            let rendered = render(v, world)
            return rendered["properties"]["networkAcls"].isNull ? nil : rendered["properties"]["networkAcls"]
        },
        "keyvault set-policy": Handler(reads: [
            P.vaultName, P.resourceGroupName, P.objectId, P.upn, P.spn, P.applicationId,
            P.keyPermissions, P.secretPermissions, P.certificatePermissions, P.storagePermissions,
        ]) { world, args in
            let name = try args.require(P.vaultName)
            let objectId = try principal(args, world)
            let v = try world.vault(name, resourceGroup: args[P.resourceGroupName])
            if v.enableRbacAuthorization {
                throw CLIError("Cannot set policies to a vault with '--enable-rbac-authorization' specified")
            }
            func perms(_ p: Param<[String]>) -> [String]? { args[p].map(dedup) }
            return render(
                try world.setAccessPolicy(
                    vault: name, resourceGroup: args[P.resourceGroupName], objectId: objectId,
                    applicationId: args[P.applicationId],
                    keys: perms(P.keyPermissions), secrets: perms(P.secretPermissions),
                    certificates: perms(P.certificatePermissions),
                    storage: perms(P.storagePermissions)), world)
        },
        "keyvault delete-policy": Handler(reads: [
            P.vaultName, P.resourceGroupName, P.objectId, P.upn, P.spn, P.applicationId,
        ]) { world, args in
            let name = try args.require(P.vaultName)
            let objectId = try principal(args, world)
            let v = try world.vault(name, resourceGroup: args[P.resourceGroupName])
            if v.enableRbacAuthorization {
                throw CLIError("Cannot set policies to a vault with '--enable-rbac-authorization' specified")
            }
            return render(
                try world.deleteAccessPolicy(
                    vault: name, resourceGroup: args[P.resourceGroupName], objectId: objectId,
                    applicationId: args[P.applicationId]), world)
        },
    ]

    /// `--subnet` is a subnet id, or a name with `--vnet-name` in the vault's resource group.
    static func subnets(_ args: Arguments, _ world: World, _ vault: Vault) throws -> [String] {
        guard let subnet = args[P.subnet] else {
            if args.isGiven(P.vnetName) { throw CLIError("usage error: --subnet ID | --subnet NAME --vnet-name NAME") }
            return []
        }
        if subnet.hasPrefix("/") { return [subnet] }
        guard let vnet = args[P.vnetName] else {
            throw CLIError("usage error: --subnet ID | --subnet NAME --vnet-name NAME")
        }
        return [
            "\(world.subscriptionPath)/resourceGroups/\(vault.resourceGroup)/providers/Microsoft.Network/"
                + "virtualNetworks/\(vnet)/subnets/\(subnet)"
        ]
    }

    static func settings(_ args: Arguments) throws -> VaultSettings {
        var s = VaultSettings()
        s.sku = args[P.sku]
        if let r = args[P.retentionDays] {
            guard let n = Int(r) else {
                throw CloudError.badRequest(
                    "BadRequest",
                    "The specified softDeleteRetentionInDays '\(r)' is invalid. It must be between 7 and 90 "
                        + "(inclusive)."
                )
            }
            s.retentionDays = n
        }
        s.enablePurgeProtection = args[P.enablePurgeProtection]
        // keydrill defaults to access policies, as the seed procedures assume (az >= 2.61 defaults
        // to RBAC); an explicit --enable-rbac-authorization is honoured either way.
        s.enableRbacAuthorization =
            args.isGiven(P.enableRbacAuthorization) ? args[P.enableRbacAuthorization] : nil
        s.enabledForDeployment = args[P.enabledForDeployment]
        s.enabledForDiskEncryption = args[P.enabledForDiskEncryption]
        s.enabledForTemplateDeployment = args[P.enabledForTemplateDeployment]
        s.publicNetworkAccess = args[P.publicNetworkAccess]
        s.bypass = args[P.bypass]
        s.defaultAction = args[P.defaultAction]
        s.tags = args[P.tags]
        return s
    }

    /// `--object-id`, `--upn` or `--spn`, exactly one, as az's validator insists.
    static func principal(_ args: Arguments, _ world: World) throws -> String {
        let given = [P.objectId, P.spn, P.upn].filter { args.isGiven($0) }
        guard given.count == 1 else {
            throw UsageError(
                "specify exactly one: --object-id, --spn, --upn", examples: args.invocation.spec.usageExamples)
        }
        if let oid = args[P.objectId] { return oid }
        if let upn = args[P.upn] {
            guard upn.lowercased() == world.signedInUser.userPrincipalName.lowercased() else {
                throw CLIError("Unable to find user with UPN '\(upn)'")
            }
            return world.signedInUser.objectId
        }
        throw CLIError(
            "keydrill does not emulate '--spn' of 'az \(args.invocation.spec.name)'; use --object-id with the "
                + "principal's object id."
        )
    }

    static func dedup(_ list: [String]) -> [String] {
        var seen = Set<String>()
        return list.filter { seen.insert($0).inserted }
    }

    static func list(_ l: [String]?) -> JSON { l.map { .array($0.map { .string($0) }) } ?? .null }

    static func render(_ v: Vault, _ world: World) -> JSON {
        let acls: JSON =
            v.networkAcls.map { a in
                .object([
                    ("bypass", .string(a.bypass)), ("defaultAction", .string(a.defaultAction)),
                    ("ipRules", .array(a.ipRules.map { ["value": .string($0)] })),
                    (
                        "virtualNetworkRules",
                        .array(
                            a.virtualNetworkRules.map { id in
                                .object([
                                    ("id", .string(id.lowercased())), ("ignoreMissingVnetServiceEndpoint", false),
                                    ("resourceGroup", .string(ResourceID.parts(id)?["resource_group"])),
                                ])
                            })
                    ),
                ])
            } ?? .null
        let policies: [JSON] = v.accessPolicies.map { p in
            .object([
                ("applicationId", .string(p.applicationId)), ("objectId", .string(p.objectId)),
                (
                    "permissions",
                    .object([
                        ("certificates", list(p.certificates)), ("keys", list(p.keys)), ("secrets", list(p.secrets)),
                        ("storage", list(p.storage)),
                    ])
                ),
                ("tenantId", .string(p.tenantId)),
            ])
        }
        let properties: JSON = .object([
            ("accessPolicies", .array(policies)), ("createMode", nil),
            ("enablePurgeProtection", v.enablePurgeProtection.map { .bool($0) }),
            ("enableRbacAuthorization", .bool(v.enableRbacAuthorization)),
            ("enableSoftDelete", true), ("enabledForDeployment", .bool(v.enabledForDeployment)),
            ("enabledForDiskEncryption", v.enabledForDiskEncryption.map { .bool($0) }),
            ("enabledForTemplateDeployment", v.enabledForTemplateDeployment.map { .bool($0) }),
            ("hsmPoolResourceId", nil), ("networkAcls", acls), ("privateEndpointConnections", nil),
            ("provisioningState", "Succeeded"), ("publicNetworkAccess", .string(v.publicNetworkAccess)),
            ("sku", ["family": "A", "name": .string(v.sku)]),
            ("softDeleteRetentionInDays", .int(v.softDeleteRetentionInDays)),
            ("tenantId", .string(v.tenantId)), ("vaultUri", .string("https://\(v.name).vault.azure.net/")),
        ])
        return .object([
            ("id", .string(world.vaultID(v))), ("location", .string(v.location)), ("name", .string(v.name)),
            ("properties", properties), ("resourceGroup", .string(v.resourceGroup)),
            (
                "systemData",
                .object([
                    ("createdAt", .string(AzDate.sdk(v.createdAt))), ("createdBy", .string(v.createdBy)),
                    ("createdByType", "User"),
                    ("lastModifiedAt", .string(AzDate.sdk(v.updatedAt))), ("lastModifiedBy", .string(v.createdBy)),
                    ("lastModifiedByType", "User"),
                ])
            ),
            ("tags", JSON.tags(v.tags)), ("type", "Microsoft.KeyVault/vaults"),
        ])
    }

    static func renderDeleted(_ d: DeletedVault, _ world: World) -> JSON {
        .object([
            (
                "id",
                .string(
                    "\(world.subscriptionPath)/providers/Microsoft.KeyVault/locations/\(d.vault.location)/"
                        + "deletedVaults/\(d.vault.name)"
                )
            ),
            ("name", .string(d.vault.name)),
            (
                "properties",
                .object([
                    ("deletionDate", .string(AzDate.sdk(d.deletionDate))), ("location", .string(d.vault.location)),
                    ("purgeProtectionEnabled", d.vault.purgeProtected ? true : nil),
                    ("scheduledPurgeDate", .string(AzDate.sdk(d.scheduledPurgeDate))),
                    ("tags", JSON.tags(d.vault.tags)),
                    ("vaultId", .string(world.vaultID(d.vault))),
                ])
            ),
            ("systemData", nil), ("type", "Microsoft.KeyVault/deletedVaults"),
        ])
    }
}
