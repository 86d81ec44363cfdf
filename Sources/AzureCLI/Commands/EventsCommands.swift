import Cloud
import JMESPath

/// keydrill's `events`: the timeline of what happened to each consumer and why (`World.timeline`).
enum EventsCommands {
    static let handlers: [String: Handler] = [
        "events": Handler(reads: [P.resource, P.since], table: table) { world, args in
            .array(
                world.timeline(resource: args[P.resource], since: args[P.since].flatMap(AzDate.parseUserDate)).map {
                    e in
                    .object([
                        ("time", .string(AzDate.plain(e.time))),
                        ("resource", .string(ActivityEvent.shortName(e.resource))),
                        ("resourceType", .string(e.resourceType)), ("state", .string(e.state)),
                        ("previous", e.previous.map(JSON.string) ?? .null),
                        ("cause", e.cause.map(JSON.string) ?? .null),
                        ("causeTime", e.causeTime.map { .string(AzDate.plain($0)) } ?? .null),
                        ("keyOperation", e.keyOperation.map(JSON.string) ?? .null),
                        ("resourceId", .string(e.resource)),
                    ])
                })
        }
    ]

    /// `-o table` in 100 columns: "01-02 18:10", names and causes cut with an ellipsis.
    static let table: @Sendable (JSON) throws -> JSON = { value in
        func cut(_ v: JSON, _ width: Int) -> JSON {
            guard let s = v.stringValue else { return "" }
            return .string(s.count <= width ? s : String(s.prefix(width - 1)) + "…")
        }
        return .array(
            (value.arrayValue ?? []).map { r in
                let time = r["time"].stringValue ?? ""
                let short =
                    time.count >= 16
                    ? String(time.dropFirst(5).prefix(11)).replacingOccurrences(of: "T", with: " ") : time
                return .object([
                    ("Time", .string(short)), ("Resource", cut(r["resource"], 16)), ("State", cut(r["state"], 12)),
                    ("Cause", cut(r["cause"], 32)), ("KeyOperation", cut(r["keyOperation"], 20)),
                ])
            })
    }
}
