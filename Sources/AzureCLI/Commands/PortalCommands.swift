import Cloud
import JMESPath

/// keydrill's `portal ...` group: what the Azure portal's blades do, as commands.
enum PortalCommands {
    static let handlers: [String: Handler] = [
        "portal keyvault access-policy add": Handler(supports: [
            "vault_name", "principal", "key_permissions", "resource_group_name",
        ]) { world, args in
            let name = try args.require("vault_name")
            let v = try world.vault(name, resourceGroup: args.string("resource_group_name"))
            if v.enableRbacAuthorization {
                throw CloudError.badRequest(
                    "BadRequest",
                    "The vault '\(v.name)' uses the Azure role-based access control permission model: the portal "
                        + "shows no Access policies blade. Use 'az role assignment create'."
                )
            }
            let principal = try world.findPrincipal(try args.require("principal"))
            let perms = KeyVaultCommands.dedup(args.strings("key_permissions") ?? [])
            return KeyVaultCommands.render(
                try world.setAccessPolicy(
                    vault: name, resourceGroup: args.string("resource_group_name"), objectId: principal.objectId,
                    applicationId: nil,
                    keys: perms, secrets: nil, certificates: nil, storage: nil), world)
        },
        "portal postgres data-encryption save": Handler(supports: ["resource_group_name", "server_name", "kid"]) {
            world, args in
            let rg = try args.require("resource_group_name"), name = try args.require("server_name")
            let s = try world.portalSavePostgresDataEncryption(
                name: name, resourceGroup: rg, kid: try args.require("kid"))
            args.warn(
                "Data encryption is set. Restart the server so that all files, temp files included, are encrypted "
                    + "with the new key: az postgres server restart --name \(s.name) --resource-group "
                        + "\(s.resourceGroup)"
            )
            return PostgresCommands.render(s, world)
        },
        "portal postgres data-encryption revalidate": Handler(supports: ["resource_group_name", "server_name"]) {
            world, args in
            let rg = try args.require("resource_group_name"), name = try args.require("server_name")
            return PostgresCommands.render(try world.portalRevalidatePostgresKey(name: name, resourceGroup: rg), world)
        },
        "portal servicebus encryption save": Handler(supports: [
            "resource_group_name", "namespace_name", "key_vault_uri", "keys", "user_assigned_identity",
        ]) { world, args in
            var uri = try args.require("key_vault_uri")
            while uri.hasSuffix("/") { uri.removeLast() }
            let names = (args.json("keys")?.arrayValue ?? []).flatMap { $0.arrayValue ?? [$0] }.compactMap(
                \.stringValue)
            guard (1...3).contains(names.count) else {
                throw CLIError("The Encryption blade takes one to three keys (--key), not \(names.count).")
            }
            let uai = args.string("user_assigned_identity")
            let entries = names.map {
                KeyVaultProperty(keyName: $0, keyVaultUri: uri, keyVersion: "", userAssignedIdentity: uai)
            }
            return ServiceBusCommands.render(
                try world.addServiceBusEncryption(
                    namespace: try args.require("namespace_name"),
                    resourceGroup: try args.require("resource_group_name"),
                    keys: entries, requireInfrastructureEncryption: nil), world)
        },
    ]
}
