import Cloud

/// What exists of each kind of name, for completing an argument's value: Azure's relations
/// (a key lives in a vault, a queue in a namespace) are known here, not in the shell.
public enum CompletionValues {
    /// - Parameter given: the value of another argument already on the line, by dest.
    public static func candidates(
        _ kind: CompletionKind, world: World, given: (String) -> String?
    ) -> [String] {
        switch kind {
        case .resourceGroup:
            return world.resourceGroups.values.map(\.name)
        case .vault:
            return world.vaults.values.map(\.name)
        case .key:
            guard let vault = given("vault_base_url") ?? given("vault_name"), let v = world.vaults[vault.lowercased()]
            else { return [] }
            return v.keys.values.map(\.name) + v.deletedKeys.values.map(\.key.name)
        case .keyId:
            return world.vaults.values.flatMap { v in
                v.keys.values.flatMap { k in [v.kid(k.name)] + k.versions.map { v.kid(k.name, $0.version) } }
            }
        case .postgresServer:
            return world.postgresServers.values.map(\.name) + world.flexibleServers.values.map(\.name)
        case .namespace:
            return world.serviceBusNamespaces.values.map(\.name)
        case .queue:
            guard let ns = given("namespace_name").flatMap({ world.serviceBusNamespaces[$0.lowercased()] }) else {
                return world.serviceBusNamespaces.values.flatMap { $0.queues.values.map(\.name) }
            }
            return ns.queues.values.map(\.name)
        case .alias:
            return world.serviceBusNamespaces.values.compactMap { $0.alias?.name }
        case .principal:
            return world.directory.map(\.objectId) + world.directory.map(\.displayName)
        case .location:
            return Locations.all.map(\.name)
        case .identity:
            return world.identities.values.map(\.name)
        }
    }
}
