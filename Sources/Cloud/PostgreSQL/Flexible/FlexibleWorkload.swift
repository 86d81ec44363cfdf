import Crypto
import Foundation

/// The workload on a Flexible Server: the same sealed rows as on Single Server, refused while
/// the server cannot use its key (or is stopped).
extension World {
    mutating func writeFlexibleRows(server name: String, resourceGroup: String, count: Int) throws -> Int {
        var s = try flexibleServer(name, resourceGroup: resourceGroup)
        let dataKey = try FlexibleWorkloadRules.connect(s)
        guard !s.isReplica else {
            throw CloudError.badRequest(
                "ReadOnlyReplica", "cannot execute INSERT in a read-only transaction: '\(s.name)' is a read replica.")
        }
        let new = try World.sealRows(after: s.rows.count, count: count, key: dataKey, at: now)
        s.rows += new
        flexibleServers[name.lowercased()] = s
        for r in flexibleReplicas(of: s) { flexibleServers[r.name.lowercased()]!.rows += new }
        return s.rows.count
    }

    func readFlexibleRows(server name: String, resourceGroup: String) throws -> (rows: Int, verified: Bool) {
        let s = try flexibleServer(name, resourceGroup: resourceGroup)
        let key = SymmetricKey(data: try FlexibleWorkloadRules.connect(s))
        let verified = s.rows.allSatisfy { row in
            (try? DataKey.open(row.sealed, with: key)) == World.rowPayload(row.number)
        }
        return (s.rows.count, verified)
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
