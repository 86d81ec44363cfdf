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
    ]
}
