import Foundation

/// The command table: az's commands (generated from az's own specification) plus keydrill's own
/// groups. Start-up only indexes the text (names, summaries, where each block is); a command's
/// parameters are read the first time that command is used, because a one-shot run needs one.
public final class CommandTable: @unchecked Sendable {
    struct Entry {
        let summary: String
        let block: Substring
    }

    private let entries: [String: Entry]
    public let globals: [ParameterSpec]
    /// Every group path ("keyvault", "keyvault key", ...) with its direct children: built when
    /// first asked (help, completion, a misspelt word), since running a command needs only
    /// `isPath`.
    public var children: [String: [String]] {
        lock.lock()
        defer { lock.unlock() }
        if let c = childrenCache { return c }
        var children = [String: Set<String>]()
        for name in entries.keys {
            let words = name.split(separator: " ").map(String.init)
            for i in 0..<words.count {
                children[words[0..<i].joined(separator: " "), default: []].insert(words[i])
            }
        }
        let built = children.mapValues { $0.sorted() }
        childrenCache = built
        return built
    }
    private var childrenCache: [String: [String]]?
    /// Every group path and command name, for walking a command line's words.
    private let paths: Set<String>
    private var cache: [String: CommandSpec] = [:]
    private let lock = NSLock()

    /// The top-level words of keydrill's own groups (`audit`, `portal`, ...), typed without `az`.
    public let keydrillTopLevel: Set<String>

    public static let shared = CommandTable(az: AzSpecification.text, keydrill: KeydrillSpecification.text)

    init(az: String, keydrill: String) {
        var entries = [String: Entry]()
        var globals = [ParameterSpec]()
        var own = Set<String>()
        for (text, isKeydrill) in [(az, false), (keydrill, true)] {
            let (index, globalLines) = CommandTableReader.index(text)
            for (name, entry) in index {
                entries[name] = entry
                if isKeydrill { own.insert(String(name.split(separator: " ")[0])) }
            }
            globals.append(contentsOf: CommandTableReader.read(globalLines).1)
        }
        keydrillTopLevel = own
        var paths: Set<String> = [""]
        for name in entries.keys {
            var path = Substring(name)
            while true {
                guard paths.insert(String(path)).inserted, let space = path.lastIndex(of: " ") else { break }
                path = path[..<space]
            }
        }
        self.entries = entries
        self.globals = globals
        self.paths = paths
    }

    public var commandNames: [String] { Array(entries.keys) }

    public func contains(_ name: String) -> Bool { entries[name] != nil }

    public func summary(of name: String) -> String? { entries[name]?.summary }

    public func command(_ name: String) -> CommandSpec? {
        lock.lock()
        defer { lock.unlock() }
        if let c = cache[name] { return c }
        guard let entry = entries[name], let spec = CommandTableReader.read(String(entry.block)).0.first else {
            return nil
        }
        cache[name] = spec
        return spec
    }

    public func isGroup(_ path: String) -> Bool { paths.contains(path) && entries[path] == nil }

    /// Whether `path` names a command or a group of them.
    public func isPath(_ path: String) -> Bool { paths.contains(path) }

    public var keydrillGroups: [String] { keydrillTopLevel.sorted() }

    /// `az ` for az's commands; nothing for keydrill's own.
    public func prefix(of name: String) -> String {
        keydrillTopLevel.contains(String(name.split(separator: " ").first ?? "")) ? "" : "az "
    }
}

public struct GroupInfo: Sendable {
    public static let summaries: [String: String] = [
        "":
            "keydrill: the az CLI against an emulated Azure (Key Vault, managed identities, PostgreSQL Single "
            + "Server, Service Bus Premium).",
        "account": "Manage Azure subscription information.",
        "ad":
            "Manage Microsoft Entra ID (formerly known as Azure Active Directory, Azure AD, AAD) entities needed for "
            + "Azure role-based access control (Azure RBAC) through Microsoft Graph API.",
        "ad signed-in-user": "Show graph information about current signed-in user in CLI.",
        "ad sp": "Manage Microsoft Entra service principals.",
        "network": "Manage Azure Network resources.",
        // az's own summary of the group, as `az network vnet -h` prints it.
        "network vnet":
            "Check if a private IP address is available for use within a virtual network. To learn more about "
            + "Virtual Networks visit "
            + "https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-network.",
        "network vnet subnet":
            "Manage subnets in an Azure Virtual Network. To learn more about subnets visit "
            + "https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-subnet.",
        "resource": "Manage Azure resources.",
        "role definition": "Manage role definitions.",
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
        "postgres flexible-server": "Manage Azure Database for PostgreSQL Flexible Servers.",
        "postgres flexible-server identity": "Manage server user assigned identity.",
        "postgres flexible-server replica": "Manage read replicas.",
        "postgres flexible-server parameter": "Commands for managing server parameter values for flexible server.",
        "postgres flexible-server backup": "Manage flexible server backups.",
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
        "portal postgres flexible-server": "PostgreSQL flexible server blades.",
        "portal postgres flexible-server data-encryption": "Security > Data encryption blade.",
        "portal servicebus": "Service Bus namespace blades.",
        "portal servicebus encryption": "Encryption blade.",
        "workload": "keydrill: encrypted application data in emulated services.",
        "workload postgres": "Rows in a PostgreSQL server.",
        "workload servicebus": "Messages in a Service Bus queue.",
    ]
}
