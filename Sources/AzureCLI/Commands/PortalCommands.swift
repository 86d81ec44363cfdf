import Cloud
import JMESPath

/// keydrill's `portal ...` group: what the Azure portal's blades do, as commands.
enum PortalCommands {
    static let handlers: [String: Handler] = [
        "portal keyvault access-policy add": Handler(supports: ["vault_name", "principal", "key_permissions", "resource_group_name"]) { world, args in
            let name = try args.require("vault_name")
            let v = try world.vault(name, resourceGroup: args.string("resource_group_name"))
            if v.enableRbacAuthorization {
                throw CloudError.badRequest("BadRequest", "The vault '\(v.name)' uses the Azure role-based access control permission model: the portal shows no Access policies blade. Use 'az role assignment create'.")
            }
            let principal = try world.findPrincipal(try args.require("principal"))
            let perms = KeyVaultCommands.dedup(args.strings("key_permissions") ?? [])
            return KeyVaultCommands.render(try world.setAccessPolicy(
                vault: name, resourceGroup: args.string("resource_group_name"), objectId: principal.objectId, applicationId: nil,
                keys: perms, secrets: nil, certificates: nil, storage: nil), world)
        },
        "portal postgres data-encryption save": Handler(supports: ["resource_group_name", "server_name", "kid"]) { world, args in
            let rg = try args.require("resource_group_name"), name = try args.require("server_name")
            let s = try world.portalSavePostgresDataEncryption(name: name, resourceGroup: rg, kid: try args.require("kid"))
            args.warn("Data encryption is set. Restart the server so that all files, temp files included, are encrypted with the new key: az postgres server restart --name \(s.name) --resource-group \(s.resourceGroup)")
            return PostgresCommands.render(s, world)
        },
        "portal postgres data-encryption revalidate": Handler(supports: ["resource_group_name", "server_name"]) { world, args in
            let rg = try args.require("resource_group_name"), name = try args.require("server_name")
            return PostgresCommands.render(try world.portalRevalidatePostgresKey(name: name, resourceGroup: rg), world)
        },
    ]
}
