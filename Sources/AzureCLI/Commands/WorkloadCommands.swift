import Cloud
import JMESPath

/// keydrill's `workload ...`: application data written through a resource's encryption, so a
/// drill can show that data survives a key loss and its recovery.
enum WorkloadCommands {
    static let handlers: [String: Handler] = [
        "workload postgres write": Handler(supports: ["resource_group_name", "server_name", "rows"]) { world, args in
            let rg = try args.require("resource_group_name"), name = try args.require("server_name")
            guard let count = args.int("rows") else { throw CLIError("--rows is required") }
            let total = try world.writePostgresRows(server: name, resourceGroup: rg, count: count)
            return .object([("rows", .number(Double(total))), ("written", .number(Double(count)))])
        },
        "workload postgres read": Handler(supports: ["resource_group_name", "server_name"]) { world, args in
            let rg = try args.require("resource_group_name"), name = try args.require("server_name")
            let (rows, verified) = try world.readPostgresRows(server: name, resourceGroup: rg)
            return .object([("rows", .number(Double(rows))), ("verified", .bool(verified))])
        },
        "workload servicebus send": Handler(supports: ["resource_group_name", "namespace_name", "queue", "count"]) {
            world, args in
            let rg = try args.require("resource_group_name"), ns = try args.require("namespace_name"),
                q = try args.require("queue")
            guard let count = args.int("count") else { throw CLIError("--count is required") }
            let total = try world.sendServiceBusMessages(namespace: ns, resourceGroup: rg, queue: q, count: count)
            return .object([("queued", .number(Double(total))), ("sent", .number(Double(count)))])
        },
        "workload servicebus receive": Handler(supports: ["resource_group_name", "namespace_name", "queue", "count"]) {
            world, args in
            let rg = try args.require("resource_group_name"), ns = try args.require("namespace_name"),
                q = try args.require("queue")
            guard let count = args.int("count") else { throw CLIError("--count is required") }
            let (received, verified) = try world.receiveServiceBusMessages(
                namespace: ns, resourceGroup: rg, queue: q, count: count)
            return .object([("received", .number(Double(received))), ("verified", .bool(verified))])
        },
    ]
}
