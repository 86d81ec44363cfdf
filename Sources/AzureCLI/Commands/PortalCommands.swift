import Cloud
import JMESPath

/// keydrill's `portal ...` group: what the Azure portal's blades do, as commands.
enum PortalCommands {
    static let handlers: [String: Handler] = [
        "portal keyvault access-policy add": Handler(reads: [
            P.vaultName, P.principal, P.keyPermissions, P.resourceGroupName,
        ]) { world, args in
            let name = try args.require(P.vaultName)
            let v = try world.vault(name, resourceGroup: args[P.resourceGroupName])
            if v.enableRbacAuthorization {
                throw CloudError.badRequest(
                    "BadRequest",
                    "The vault '\(v.name)' uses the Azure role-based access control permission model: the portal "
                        + "shows no Access policies blade. Use 'az role assignment create'."
                )
            }
            let principal = try world.findPrincipal(try args.require(P.principal))
            let perms = KeyVaultCommands.dedup(args[P.keyPermissions] ?? [])
            return KeyVaultCommands.render(
                try world.setAccessPolicy(
                    vault: name, resourceGroup: args[P.resourceGroupName], objectId: principal.objectId,
                    applicationId: nil,
                    keys: perms, secrets: nil, certificates: nil, storage: nil), world)
        },
        "portal postgres data-encryption save": Handler(reads: [P.resourceGroupName, P.serverName, P.kid]) {
            world, args in
            let rg = try args.require(P.resourceGroupName), name = try args.require(P.serverName)
            let s = try world.portalSavePostgresDataEncryption(
                name: name, resourceGroup: rg, kid: try args.require(P.kid))
            args.warn(
                "Data encryption is set. Restart the server so that all files, temp files included, are encrypted "
                    + "with the new key: az postgres server restart --name \(s.name) --resource-group "
                        + "\(s.resourceGroup)"
            )
            return PostgresCommands.render(s, world)
        },
        "portal postgres data-encryption revalidate": Handler(reads: [P.resourceGroupName, P.serverName]) {
            world, args in
            let rg = try args.require(P.resourceGroupName), name = try args.require(P.serverName)
            return PostgresCommands.render(try world.portalRevalidatePostgresKey(name: name, resourceGroup: rg), world)
        },
        "portal servicebus encryption save": Handler(reads: [
            P.resourceGroupName, P.namespaceName, P.keyVaultUri, P.keys, P.userAssignedIdentity,
        ]) { world, args in
            var uri = try args.require(P.keyVaultUri)
            while uri.hasSuffix("/") { uri.removeLast() }
            let names = args[P.keys] ?? []
            guard (1...3).contains(names.count) else {
                throw CLIError("The Encryption blade takes one to three keys (--key), not \(names.count).")
            }
            let uai = args[P.userAssignedIdentity]
            let entries = names.map {
                KeyVaultProperty(keyName: $0, keyVaultUri: uri, keyVersion: "", userAssignedIdentity: uai)
            }
            return ServiceBusCommands.render(
                try world.addServiceBusEncryption(
                    namespace: try args.require(P.namespaceName),
                    resourceGroup: try args.require(P.resourceGroupName),
                    keys: entries, requireInfrastructureEncryption: nil), world)
        },
    ]
}
