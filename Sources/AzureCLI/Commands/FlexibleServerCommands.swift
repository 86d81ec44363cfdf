import Cloud
import Foundation
import JMESPath

/// `az postgres flexible-server ...` (az 2.91): az's own checks first, in az's order and words,
/// then the service's. `create` prints az's summary; the other server commands print the server.
enum FlexibleServerCommands {
    typealias R = FlexibleServerRendering

    static func server(_ args: Arguments) throws -> (name: String, rg: String) {
        (try args.required(P.serverName), try args.required(P.resourceGroupName))
    }

    static let keyReads: [any AnyParam] = [P.byokKey, P.byokIdentity, P.backupByokKey, P.backupByokIdentity]

    static let handlers: [String: Handler] = [
        "postgres flexible-server create": Handler(
            reads: [
                P.serverName, P.resourceGroupName, P.location, P.administratorLogin, P.administratorLoginPassword,
                P.skuName, P.tier, P.storageGb, P.backupRetention, P.geoRedundantBackup, P.version, P.publicAccess,
                P.tags, P.zone, P.autoGrow,
            ] + keyReads, table: TableTransformers.flexibleServerCreate
        ) { world, args in
            // az's generate_missing_parameters: no group or name means a new one, named at random
            // (`group` or `server` and digits to 15 characters; here from the world's ids).
            func randomName(_ prefix: String) -> String {
                var ids = world.ids
                let digits = ids.hex32().compactMap { $0.hexDigitValue.map { String($0 % 10) } }
                world.ids = ids
                return prefix + digits.prefix(15 - prefix.count).joined()
            }
            let rg = args[P.resourceGroupName] ?? randomName("group")
            var exists = false
            if args[P.resourceGroupName] != nil {
                args.warn("Checking the existence of the resource group '\(rg)'...")
                exists = world.resourceGroups[rg.lowercased()] != nil
                args.warn("Resource group '\(rg)' exists ? : \(exists ? "True" : "False") ")
            }
            var location = args[P.location]
            if !exists {
                let loc = location ?? "canadacentral"
                args.warn("Creating Resource Group '\(rg)'...")
                try world.createResourceGroup(name: rg, location: loc, tags: nil, managedBy: nil)
                location = loc
            }
            let name = (args[P.serverName] ?? randomName("server")).lowercased()
            let tier = try checkedTier(args[P.tier] ?? "GeneralPurpose")
            let sku = try checkedSku(args[P.skuName], tier: tier, given: args.isGiven(P.tier))
            var ids = world.ids
            let login = args[P.administratorLogin] ?? "keydrill\(ids.hex32().prefix(6))"
            let password = args[P.administratorLoginPassword] ?? "Kd\(ids.hex32().prefix(18))"
            world.ids = ids
            var spec = FlexibleServerSpec(administratorLogin: login, password: password)
            spec.location = location
            spec.sku = sku
            spec.storageSizeGb = try checkedStorage(args[P.storageGb] ?? 128)
            spec.backupRetentionDays = args[P.backupRetention] ?? 7
            spec.geoRedundantBackup = canonical(args[P.geoRedundantBackup]) ?? "Disabled"
            spec.version = try checkedVersion(args[P.version])
            spec.tags = args[P.tags] ?? [:]
            spec.zone = args[P.zone]
            spec.storageAutoGrow = canonical(args[P.autoGrow]) ?? "Disabled"
            let region = (try? Locations.resolve(location ?? world.resourceGroups[rg.lowercased()]!.location))?.name
            if spec.geoRedundantBackup == "Enabled", let region, !FlexibleServerRules.supportsGeoRedundantBackup(region)
            {
                throw CLIError("This location does not support geo-redundant backup.")
            }
            (spec.key, spec.geoBackupKey) = try byokKeys(
                args, world, rg: rg, geoRedundant: spec.geoRedundantBackup == "Enabled")
            (spec.publicNetworkAccess, spec.firewallRule) = try publicAccess(args, world)
            args.warn("Creating PostgreSQL Server '\(name)' in group '\(rg)'...")
            args.warn(
                "Your server '\(name)' is using sku '\(sku.name)' (Paid Tier). Please refer to "
                    + "https://aka.ms/postgres-pricing for pricing details")
            let s = try world.createFlexibleServer(name: name, resourceGroup: rg, spec: spec)
            if let r = s.firewallRules.first {
                args.warn(
                    "Configuring server firewall rule to accept connections from '\(r.startIpAddress)' to "
                        + "'\(r.endIpAddress)'...")
            }
            args.warn(
                "Make a note of your password. If you forget, you would have to reset your password with \"az "
                    + "postgres flexible-server update -n \(name) -g \(rg) -p <new-password>\".")
            args.warn("Try using 'az postgres flexible-server connect' command to test out connection.")
            return R.createOutput(s, world, password: password)
        },
        "postgres flexible-server show": Handler(reads: [P.serverName, P.resourceGroupName]) { world, args in
            let (name, rg) = try server(args)
            return R.render(try world.flexibleServer(name, resourceGroup: rg), world)
        },
        "postgres flexible-server list": Handler(
            reads: [P.resourceGroupName], table: TableTransformers.serverList
        ) { world, args in
            .array(try world.listFlexibleServers(resourceGroup: args[P.resourceGroupName]).map { R.render($0, world) })
        },
        "postgres flexible-server update": Handler(
            reads: [
                P.serverName, P.resourceGroupName, P.skuName, P.tier, P.storageGb, P.backupRetention, P.tags,
                P.autoGrow, P.administratorLoginPassword, P.publicAccess,
            ] + keyReads
        ) { world, args in
            let (name, rg) = try server(args)
            let s = try world.flexibleServer(name, resourceGroup: rg)
            var u = FlexibleServerUpdate()
            if args.isGiven(P.tier) || args.isGiven(P.skuName) {
                let tier = try checkedTier(args[P.tier] ?? s.sku.tier)
                u.sku = try checkedSku(args[P.skuName] ?? s.sku.name, tier: tier, given: true)
            }
            if let gb = args[P.storageGb] {
                guard gb >= s.storageSizeGb else {
                    throw CLIError(
                        "Decreasing storage size is not supported. Current storage size is \(s.storageSizeGb) GiB, "
                            + "and you are trying to set it to \(gb) GiB.")
                }
                u.storageSizeGb = try checkedStorage(gb)
            }
            if let d = args[P.backupRetention] { u.backupRetentionDays = d }
            u.tags = args[P.tags]
            u.storageAutoGrow = canonical(args[P.autoGrow])
            u.password = args[P.administratorLoginPassword]
            u.publicNetworkAccess = canonical(args[P.publicAccess])
            try checkPairs(args)
            let customerManaged = s.isCustomerManaged
            if !customerManaged, args[P.byokKey] != nil || args[P.backupByokKey] != nil {
                throw CLIError(
                    "You cannot enable data encryption on a server that was not created with data encryption.")
            }
            if s.geoRedundantBackup != "Enabled", args[P.backupByokKey] != nil || args[P.backupByokIdentity] != nil {
                throw CLIError("Geo-redundant backup is not enabled. Do not provide --backup-identity or --backup-key.")
            }
            if let k = args[P.byokKey], let i = args[P.byokIdentity] {
                u.key = FlexibleKeyChoice(kid: k, identityId: try identityID(i, world, rg: rg))
            }
            if let k = args[P.backupByokKey], let i = args[P.backupByokIdentity] {
                u.geoBackupKey = FlexibleKeyChoice(kid: k, identityId: try identityID(i, world, rg: rg))
            }
            let primary = u.key?.identityId ?? s.dataEncryption?.primary.identityId
            let geo = u.geoBackupKey?.identityId ?? s.dataEncryption?.geoBackup?.identityId
            if let p = primary, let g = geo, p.lowercased() == g.lowercased() { throw CLIError(sameIdentities) }
            return R.render(try world.updateFlexibleServer(name: name, resourceGroup: rg, update: u), world)
        },
        "postgres flexible-server delete": Handler(reads: [P.serverName, P.resourceGroupName, P.yes]) { world, args in
            let (name, rg) = try server(args)
            try world.deleteFlexibleServer(name: name, resourceGroup: rg)
            return nil
        },
        "postgres flexible-server restart": Handler(reads: [P.serverName, P.resourceGroupName]) { world, args in
            let (name, rg) = try server(args)
            try world.restartFlexibleServer(name: name, resourceGroup: rg)
            return nil
        },
        "postgres flexible-server stop": Handler(reads: [P.serverName, P.resourceGroupName]) { world, args in
            let (name, rg) = try server(args)
            args.warn(
                "Server will be automatically started after 7 days if you do not perform a manual start operation")
            try world.stopFlexibleServer(name: name, resourceGroup: rg)
            return nil
        },
        "postgres flexible-server start": Handler(reads: [P.serverName, P.resourceGroupName]) { world, args in
            let (name, rg) = try server(args)
            try world.startFlexibleServer(name: name, resourceGroup: rg)
            return nil
        },
    ]

    // MARK: az's client-side checks

    static let sameIdentities =
        "The primary user-assigned identity and backup identity cannot be the same. Provide different identities "
        + "for --identity and --backup-identity."

    static func canonical(_ value: String?) -> String? {
        value.map { v in ["enabled": "Enabled", "disabled": "Disabled"][v.lowercased()] ?? v }
    }

    static func checkedTier(_ text: String) throws -> String {
        guard let t = FlexibleServerRules.tier(named: text) else {
            throw CLIError(
                "Incorrect value for --tier. Allowed values: "
                    + pyList(FlexibleServerRules.skus.map { $0.tier.lowercased() })
            )
        }
        return t
    }

    static func checkedSku(_ name: String?, tier: String, given: Bool) throws -> FlexibleSku {
        let names = FlexibleServerRules.skus.first { $0.tier == tier }!.names
        guard let name else { return FlexibleSku(name: names[0], tier: tier) }
        guard let sku = FlexibleServerRules.sku(name, tier: tier) else {
            throw CLIError(
                "Invalid value for --sku-name. The SKU name is not available in the \(tier) tier. "
                    + (given ? "" : "When --tier is not specified, it defaults to GeneralPurpose. ")
                    + "Provide a valid SKU name for this tier, or specify --tier with the correct tier. "
                    + "Allowed values: "
                    + pyList(names.map { $0.lowercased() }))
        }
        return sku
    }

    static func checkedStorage(_ gb: Int) throws -> Int {
        guard FlexibleServerRules.storageSizesGb.contains(gb) else {
            throw CLIError(
                "Invalid value for --storage-size. Allowed values (in GiB): "
                    + "[\(FlexibleServerRules.storageSizesGb.map(String.init).joined(separator: ", "))].")
        }
        return gb
    }

    static func checkedVersion(_ v: String?) throws -> String {
        guard let v else { return FlexibleServerRules.versions.last! }
        guard FlexibleServerRules.versions.contains(v) else {
            throw CLIError("Invalid value for --version. Allowed values: \(pyList(FlexibleServerRules.versions))")
        }
        return v
    }

    /// A Python list's repr, as az's messages print them.
    static func pyList(_ items: [String]) -> String { "[" + items.map { "'\($0)'" }.joined(separator: ", ") + "]" }

    /// `--identity` as az's `_validate_identity` takes it (`Validators.userIdentityID`), in the
    /// signed-in subscription.
    static func identityID(_ text: String, _ world: World, rg: String) throws -> String {
        try Validators.userIdentityID(text, resourceGroup: rg) { world.subscriptionPath }
    }

    /// Rows 1-3 of az's `pg_byok_validator`.
    static func checkPairs(_ args: Arguments) throws {
        if (args[P.byokIdentity] == nil) != (args[P.byokKey] == nil) {
            throw CLIError(
                "A user-assigned identity and Key Vault key must be provided together. Provide --identity and --key "
                    + "together.")
        }
        if (args[P.backupByokIdentity] == nil) != (args[P.backupByokKey] == nil) {
            throw CLIError(
                "A user-assigned identity and Key Vault key must be provided together. Provide --backup-identity and "
                    + "--backup-key together.")
        }
        if let p = args[P.byokIdentity], let g = args[P.backupByokIdentity], p.lowercased() == g.lowercased() {
            throw CLIError(sameIdentities)
        }
    }

    /// az's `pg_byok_validator` for a new server (create, restore, geo-restore, revive-dropped).
    static func byokKeys(
        _ args: Arguments, _ world: World, rg: String, geoRedundant: Bool
    ) throws -> (FlexibleKeyChoice?, FlexibleKeyChoice?) {
        try checkPairs(args)
        let backupGiven = args[P.backupByokKey] != nil
        if !geoRedundant, backupGiven {
            throw CLIError("Geo-redundant backup is not enabled. Do not provide --backup-identity or --backup-key.")
        }
        if geoRedundant, (args[P.byokKey] != nil) != backupGiven {
            throw CLIError(
                "To enable data encryption for geo-redundant backup, provide both the primary and geo-backup "
                    + "user-assigned identities and Key Vault keys.")
        }
        let key = try args[P.byokKey].map {
            FlexibleKeyChoice(kid: $0, identityId: try identityID(args[P.byokIdentity]!, world, rg: rg))
        }
        let geo = try args[P.backupByokKey].map {
            FlexibleKeyChoice(kid: $0, identityId: try identityID(args[P.backupByokIdentity]!, world, rg: rg))
        }
        return (key, geo)
    }

    /// `--public-access`: Enabled/Disabled/None, All, an address or a range; omitted, az asks
    /// whether to allow the client's address, which needs `--yes` without a terminal.
    static func publicAccess(_ args: Arguments, _ world: World) throws -> (String, FlexibleFirewallRule?) {
        let stamp = ruleStamp(world.now)
        guard let text = args[P.publicAccess] else {
            let ip = world.settings.operatorAddress
            args.warn("Detected current client IP : \(ip)")
            guard args[P.yes] == true else {
                throw CLIError("Unable to prompt for confirmation as no tty available. Use --yes.")
            }
            return (
                "Enabled",
                FlexibleFirewallRule(name: "FirewallIPAddress_\(stamp)", startIpAddress: ip, endIpAddress: ip)
            )
        }
        switch text.lowercased() {
        case "none", "disabled": return ("Disabled", nil)
        case "enabled": return ("Enabled", nil)
        case "all":
            return (
                "Enabled",
                FlexibleFirewallRule(
                    name: "AllowAll_\(stamp)", startIpAddress: "0.0.0.0", endIpAddress: "255.255.255.255")
            )
        default:
            let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard (1...2).contains(parts.count), parts.allSatisfy({ IPRange.parse($0) != nil }) else {
                throw CLIError(
                    "Incorrect value for --public-access. Allowed values: 'Disabled', 'Enabled', 'All', 'None', "
                        + "<startIpAddress>, or <startIpAddress>-<endIpAddress>")
            }
            let (start, end) = (parts[0], parts.last!)
            let name =
                start == "0.0.0.0" && end == "0.0.0.0"
                ? "AllowAllAzureServicesAndResourcesWithinAzureIps_\(stamp)" : "FirewallIPAddress_\(stamp)"
            return ("Enabled", FlexibleFirewallRule(name: name, startIpAddress: start, endIpAddress: end))
        }
    }

    /// az names a firewall rule after the local time as Python prints it, unpadded.
    static func ruleStamp(_ d: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: d)
        return "\(c.year!)-\(c.month!)-\(c.day!)_\(c.hour!)-\(c.minute!)-\(c.second!)"
    }
}
