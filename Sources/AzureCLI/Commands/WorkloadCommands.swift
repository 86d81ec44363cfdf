import Cloud
import JMESPath

/// keydrill's `workload ...`: application data written through a resource's encryption, so a
/// drill can show that data survives a key loss and its recovery.
enum WorkloadCommands {
    static let handlers: [String: Handler] = [
        "workload postgres write": Handler(reads: [P.resourceGroupName, P.serverName, P.rows]) { world, args in
            let rg = try args.require(P.resourceGroupName), name = try args.require(P.serverName)
            guard let count = args[P.rows] else { throw CLIError("--rows is required") }
            let total = try world.writePostgresRows(server: name, resourceGroup: rg, count: count)
            return .object([("rows", .number(Double(total))), ("written", .number(Double(count)))])
        },
        "workload postgres read": Handler(reads: [P.resourceGroupName, P.serverName]) { world, args in
            let rg = try args.require(P.resourceGroupName), name = try args.require(P.serverName)
            let (rows, verified) = try world.readPostgresRows(server: name, resourceGroup: rg)
            if verified { world.recordPostgresRowsVerified(server: name, rows: rows) }
            return .object([("rows", .number(Double(rows))), ("verified", .bool(verified))])
        },
        "workload servicebus send": Handler(reads: [P.resourceGroupName, P.namespaceName, P.queue, P.count]) {
            world, args in
            let rg = try args.require(P.resourceGroupName), ns = try args.require(P.namespaceName),
                q = try args.require(P.queue)
            guard let count = args[P.count] else { throw CLIError("--count is required") }
            let total = try world.sendServiceBusMessages(namespace: ns, resourceGroup: rg, queue: q, count: count)
            return .object([("queued", .number(Double(total))), ("sent", .number(Double(count)))])
        },
        "workload servicebus receive": Handler(reads: [P.resourceGroupName, P.namespaceName, P.queue, P.count]) {
            world, args in
            let rg = try args.require(P.resourceGroupName), ns = try args.require(P.namespaceName),
                q = try args.require(P.queue)
            guard let count = args[P.count] else { throw CLIError("--count is required") }
            let (received, verified) = try world.receiveServiceBusMessages(
                namespace: ns, resourceGroup: rg, queue: q, count: count)
            if verified { world.recordMessagesVerified(namespace: ns, messages: received) }
            return .object([("received", .number(Double(received))), ("verified", .bool(verified))])
        },
    ]
}
