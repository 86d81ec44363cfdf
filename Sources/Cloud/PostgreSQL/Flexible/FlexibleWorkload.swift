import Foundation

/// The workload on a Flexible Server: the same sealed rows as on Single Server, refused while
/// the server cannot use its key (or is stopped).
extension World {
    mutating func writeFlexibleRows(server name: String, resourceGroup: String, count: Int) throws -> Int {
        var s = try flexibleServer(name, resourceGroup: resourceGroup)
        let dataKey = try FlexibleWorkloadRules.connect(s)
        guard !s.isReplica else { throw World.readOnlyReplica(s.name) }
        let new = try World.sealRows(after: s.rows.count, count: count, key: dataKey, at: now)
        s.rows.append(new)
        flexibleServers[name.lowercased()] = s
        for r in flexibleReplicas(of: s) { flexibleServers[r.name.lowercased()]!.rows.append(new) }
        return s.rows.count
    }

    func readFlexibleRows(server name: String, resourceGroup: String) throws -> (rows: Int, verified: Bool) {
        let s = try flexibleServer(name, resourceGroup: resourceGroup)
        return (s.rows.count, World.verifyRows(s.rows, dataKey: try FlexibleWorkloadRules.connect(s)))
    }
}

enum FlexibleWorkloadRules {
    /// A client connection: refused unless the server is Ready with its data key in memory.
    static func connect(_ s: FlexibleServer) throws -> Data {
        guard s.state == FlexibleServerState.ready, let key = s.activeDataKey else {
            let why =
                s.state == FlexibleServerState.stopped
                ? "the server is stopped"
                : "the server is \(s.state): it cannot use its customer-managed key, so all connections are denied "
                    + "until access to the key is restored and the server has revalidated it"
            throw CloudError.badRequest("ServerInaccessible", "could not connect to server '\(s.name)': \(why).")
        }
        return key
    }
}
