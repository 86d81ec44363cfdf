import Crypto
import Foundation

/// A stand-in for an application's tables: numbered rows sealed with AES-GCM under the server's
/// data key. Reading opens every row, so it proves the data key (and through it the customer's
/// key) still reaches the data.
extension World {
    static func rowPayload(_ n: Int) -> Data { Data("keydrill row \(n)".utf8) }

    /// Writes `count` rows; a master's replicas receive them too, as replication does.
    @discardableResult
    public mutating func writePostgresRows(server name: String, resourceGroup: String, count: Int) throws -> Int {
        if flexibleServers[name.lowercased()] != nil {
            return try writeFlexibleRows(server: name, resourceGroup: resourceGroup, count: count)
        }
        var s = try postgresServer(name, resourceGroup: resourceGroup)
        let dataKey = try PostgresWorkloadRules.connect(s)
        guard !s.isReplica else { throw World.readOnlyReplica(s.name) }
        let new = try World.sealRows(after: s.rows.count, count: count, key: dataKey, at: now)
        s.rows.append(new)
        postgresServers[name.lowercased()] = s
        for r in postgresReplicas(of: s) { postgresServers[r.name.lowercased()]!.rows.append(new) }
        return s.rows.count
    }

    /// A replica takes reads only, as PostgreSQL answers a write there.
    static func readOnlyReplica(_ server: String) -> CloudError {
        CloudError.badRequest(
            "ReadOnlyReplica", "cannot execute INSERT in a read-only transaction: '\(server)' is a read replica.")
    }

    /// Whether every row opens under the data key and holds what was written.
    static func verifyRows(_ rows: SealedRows, dataKey: Data) -> Bool {
        let key = SymmetricKey(data: dataKey)
        return rows.allSatisfy { n, sealed in (try? DataKey.open(sealed, with: key)) == World.rowPayload(n) }
    }

    /// `count` new rows numbered after `existing`, sealed under `key` into one buffer, as one write.
    static func sealRows(after existing: Int, count: Int, key: Data, at time: Date) throws -> SealedRows.Batch {
        guard (1...Limits.workloadBatch).contains(count) else {
            throw CloudError.badRequest(
                "InvalidRowCount", "--rows must be between 1 and \(Limits.workloadBatch) (one write).")
        }
        var sealed = Data()
        sealed.reserveCapacity(count * SealedRows.sealedLength(existing + count))
        var sealer = BatchSealer(key: key)
        for i in 1...count {
            if i % 4096 == 0 { try Interruption.check() }
            sealed.append(try sealer.seal(World.rowPayload(existing + i)))
        }
        return SealedRows.Batch(first: existing + 1, count: count, writtenAt: time, sealed: sealed)
    }

    /// Opens every row; `verified` is true when each decrypts and holds what was written.
    public func readPostgresRows(server name: String, resourceGroup: String) throws -> (rows: Int, verified: Bool) {
        if flexibleServers[name.lowercased()] != nil {
            return try readFlexibleRows(server: name, resourceGroup: resourceGroup)
        }
        let s = try postgresServer(name, resourceGroup: resourceGroup)
        let verified = World.verifyRows(s.rows, dataKey: try PostgresWorkloadRules.connect(s))
        return (s.rows.count, verified)
    }
}

enum PostgresWorkloadRules {
    /// A client connection: refused unless the server is Ready with its data key in memory.
    static func connect(_ s: PostgresServer) throws -> Data {
        guard s.userVisibleState == "Ready", let key = s.encryption.activeDataKey else {
            throw CloudError.badRequest(
                "ServerInaccessible",
                "could not connect to server '\(s.name)': the server is \(s.userVisibleState) because it cannot "
                    + "reach its customer-managed key. All connections are denied until access to the key is "
                    + "restored and the key revalidated."
            )
        }
        return key
    }
}
