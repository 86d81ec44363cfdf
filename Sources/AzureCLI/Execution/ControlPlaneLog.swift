import Cloud
import JMESPath

/// Which commands change the cloud, and how one is written into the world's activity log: the
/// "who changed what" a drill report lists beside the key-operation audit. Reads (show, list,
/// the key's cryptographic operations, which the audit already holds), sign-in and keydrill's
/// own workload and audit commands are not changes.
enum ControlPlaneLog {
    static let readVerbs: Set<String> = [
        "show", "list", "exists", "wait", "download", "encrypt", "decrypt", "sign", "verify", "random", "backup",
    ]
    static let readVerbPrefixes = ["show-", "list-", "get-", "check-"]
    static let notCloudGroups: Set<String> = Set(["login", "logout", "account", "workload"]).union(worldViews)

    /// keydrill's own views of the world's logs: they read what keydrill recorded, so they ask
    /// nothing of Resource Manager and need no live token.
    static let worldViews: Set<String> = ["audit", "activity", "events"]

    static func isChange(_ command: String) -> Bool {
        let words = command.split(separator: " ").map(String.init)
        guard let verb = words.last, let group = words.first, !notCloudGroups.contains(group) else { return false }
        return !readVerbs.contains(verb) && !readVerbPrefixes.contains { verb.hasPrefix($0) }
    }

    /// How the answer is printed is not part of the change.
    static let outputDests: Set<String> = ["output", "query", "only_show_errors", "debug", "verbose", "no_wait", "yes"]

    static func record(_ invocation: Invocation, argv: [String], result: JSON?, in world: inout World) {
        let spec = invocation.spec
        guard isChange(spec.name) else { return }
        // The options in the order they were typed (a prefix or `--opt=value` found by its start).
        func place(_ option: String) -> Int {
            argv.firstIndex { $0 == option || $0.hasPrefix(option + "=") } ?? argv.count
        }
        let given = invocation.given.filter { !outputDests.contains($0.key) }.sorted {
            (place($0.value), $0.key) < (place($1.value), $1.key)
        }
        let detail = given.map { dest, option -> String in
            guard let v = invocation.arguments[dest] else { return option }
            if spec.parameter(dest: dest)?.isSecret == true { return "\(option) ********" }
            switch v {
            case .bool(let b): return "\(option) \(b)"
            case .string(let s): return "\(option) \(s)"
            default: return "\(option) \(v.serialized(.compact))"
            }
        }.joined(separator: " ")
        world.recordChange(resource: target(invocation, result), operation: "az " + spec.name, detail: detail)
    }

    /// What the change was made to: the id the service answered with, else the names given.
    static func target(_ invocation: Invocation, _ result: JSON?) -> String {
        for path in [["id"], ["key", "kid"], ["kid"]] {
            var v = result
            for p in path {
                if case .object(let inner)? = v { v = inner[p] } else { v = nil }
            }
            if let s = v?.stringValue { return s }
        }
        let names = invocation.spec.parameters.map(\.dest).filter { d in
            d == "resource_group_name" || d.hasSuffix("name") || d == "name"
        }.compactMap { invocation.arguments[$0]?.stringValue }
        return names.isEmpty ? invocation.spec.name : names.joined(separator: "/")
    }
}
