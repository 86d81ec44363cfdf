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
