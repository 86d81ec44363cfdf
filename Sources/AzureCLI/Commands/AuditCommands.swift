import Cloud
import JMESPath

/// keydrill's `audit`: the key operation log as a JSON array, so `--query` and `-o table` work.
/// Each record is a run of identical outcomes: `count` of them, from `firstTime` to `lastTime`.
enum AuditCommands {
    static let handlers: [String: Handler] = [
        "audit": Handler(reads: [P.vaultName, P.principal, P.since]) { world, args in
            let vault = args[P.vaultName]?.lowercased()
            let principal = args[P.principal]?.lowercased()
            let since = args[P.since].flatMap(AzDate.parseUserDate)
            return .array(
                world.audit.filter { r in
                    (vault == nil || r.vault.lowercased() == vault)
                        && (principal == nil || r.principal.lowercased() == principal)
                        && (since == nil || r.lastTime >= since!)
                }.map { r in
                    .object([
                        ("firstTime", .string(AzDate.plain(r.firstTime))),
                        ("lastTime", .string(AzDate.plain(r.lastTime))), ("count", .number(Double(r.count))),
                        ("vault", .string(r.vault)), ("key", .string(r.key)),
                        ("version", .string(r.version)), ("operation", .string(r.operation)),
                        ("principal", .string(r.principal)),
                        ("caller", .string(r.caller)), ("result", .string(r.result)),
                    ])
                })
        }
    ]
}

/// keydrill's `activity`: the world's activity log (control-plane changes, state transitions,
/// data read back) as a JSON array, oldest first, so `--query` and `-o table` work on it.
enum ActivityCommands {
    static let handlers: [String: Handler] = [
        "activity": Handler(reads: [P.kind, P.resource, P.since]) { world, args in
            let kind = args[P.kind]
            let resource = args[P.resource]?.lowercased()
            let since = args[P.since].flatMap(AzDate.parseUserDate)
            return .array(
                world.activity.events.filter { e in
                    (kind == nil || e.kind.rawValue == kind)
                        && (resource == nil || e.resource.lowercased().hasSuffix(resource!)
                            || ActivityEvent.shortName(e.resource).lowercased() == resource)
                        && (since == nil || e.time >= since!)
                }.map { e in
                    var fields: [(String, JSON)] = [
                        ("time", .string(AzDate.plain(e.time))), ("kind", .string(e.kind.rawValue)),
                    ]
                    fields.append(("resource", .string(e.resource)))
                    switch e.kind {
                    case .change, .refused:
                        fields += [
                            ("caller", .string(e.caller ?? "")), ("operation", .string(e.operation ?? "")),
                            ("detail", .string(e.detail ?? "")),
                        ]
                    case .state:
                        fields += [
                            ("resourceType", .string(e.resourceType ?? "")), ("state", .string(e.state ?? "")),
                            ("previous", e.previous.map(JSON.string) ?? .null),
                        ]
                    case .data:
                        fields.append(("detail", .string(e.detail ?? "")))
                    }
                    return .object(fields)
                })
        }
    ]
}
