/// The command table: az's commands (generated from az's own specification) plus keydrill's own
/// groups, read once per process from their declarative text.
public final class CommandTable: Sendable {
    public let commands: [String: CommandSpec]
    public let globals: [ParameterSpec]
    /// Every group path ("keyvault", "keyvault key", ...) with its direct children.
    public let children: [String: [String]]

    public static let shared = CommandTable(texts: [AzSpecification.text, KeydrillSpecification.text])

    init(texts: [String]) {
        var commands = [String: CommandSpec]()
        var globals = [ParameterSpec]()
        for text in texts {
            let (c, g) = CommandTableReader.read(text)
            for spec in c { commands[spec.name] = spec }
            globals.append(contentsOf: g)
        }
        var children = [String: Set<String>]()
        for name in commands.keys {
            let words = name.split(separator: " ").map(String.init)
            for i in 0..<words.count {
                let parent = words[0..<i].joined(separator: " ")
                children[parent, default: []].insert(words[i])
            }
        }
        self.commands = commands
        self.globals = globals
        self.children = children.mapValues { $0.sorted() }
    }

    public func isGroup(_ path: String) -> Bool { children[path] != nil && commands[path] == nil }

    /// The top-level groups keydrill adds beside az's (`portal`, `workload`, `audit`): typed
    /// without the `az` prefix.
    public var keydrillGroups: [String] {
        (children[""] ?? []).filter { KeydrillSpecification.topLevel.contains($0) }
    }
}

public struct GroupInfo: Sendable {
    public static let summaries: [String: String] = [
        "": "keydrill: the az CLI against an emulated Azure (Key Vault, managed identities, PostgreSQL Single Server, Service Bus Premium).",
        "group": "Manage resource groups and template deployments.",
        "identity": "Manage Managed Identities.",
        "keyvault": "Manage KeyVault keys, secrets, and certificates.",
        "keyvault key": "Manage keys.",
        "keyvault key rotation-policy": "Manage key's rotation policy.",
        "keyvault network-rule": "Manage vault network ACLs.",
        "postgres": "Manage Azure Database for PostgreSQL.",
        "postgres server": "Manage PostgreSQL servers (Single Server; deprecated in az, emulated as az 2.79.0 had it).",
        "postgres server key": "Manage PostgreSQL server keys.",
        "postgres server replica": "Manage read replicas.",
        "postgres server configuration": "Manage configuration values for a server.",
        "postgres flexible-server": "Manage Azure Database for PostgreSQL Flexible Servers (not emulated by keydrill).",
        "role": "Manage Azure role-based access control (Azure RBAC).",
        "role assignment": "Manage role assignments.",
        "servicebus": "Servicebus.",
        "servicebus namespace": "Servicebus namespace.",
        "servicebus namespace encryption": "Manage servicebus namespace encryption properties.",
        "servicebus namespace identity": "Manage servicebus namespace identity.",
        "servicebus queue": "Servicebus queue.",
        "servicebus georecovery-alias": "Manage Azure Service Bus Geo-Disaster Recovery Configuration Alias.",
        "portal": "keydrill: what the Azure portal's blades do, as commands.",
        "portal keyvault": "Key Vault blades.",
        "portal keyvault access-policy": "Access policies blade.",
        "portal postgres": "PostgreSQL server blades.",
        "portal postgres data-encryption": "Data encryption blade.",
        "portal servicebus": "Service Bus namespace blades.",
        "portal servicebus encryption": "Encryption blade.",
        "workload": "keydrill: encrypted application data in emulated services.",
        "workload postgres": "Rows in a PostgreSQL server.",
        "workload servicebus": "Messages in a Service Bus queue.",
    ]
}
