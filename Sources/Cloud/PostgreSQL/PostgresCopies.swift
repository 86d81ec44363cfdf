import Foundation

/// Copies of a server: point-in-time restore, geo-restore and read replicas. A copy has the
/// source's data key, wrapped with the source's customer-managed key, but no identity of its own,
/// so a copy of a CMK server starts Inaccessible until its key is revalidated.
extension World {
    public enum CopyKind: Sendable {
        case restore(pointInTime: Date)
        case geoRestore(location: String, skuName: String?)
        case replica(location: String?, skuName: String?)
    }

    @discardableResult
    public mutating func copyPostgresServer(
        name: String, resourceGroup rgName: String, source sourceRef: String, kind: CopyKind
    ) throws -> PostgresServer {
        let rg = try resourceGroup(rgName)
        let source = try resolvePostgresSource(sourceRef, resourceGroup: rgName)
        try PostgresRules.requireAccessible(source, doing: "create a copy")
        try PostgresRules.validateName(name)
        guard postgresServers[name.lowercased()] == nil else {
            throw CloudError.conflict(
                "ServerNameAlreadyExists",
                "Specified server name '\(name)' is already used. Server names are global: pick another.")
        }
        var location = source.location
        var sku = source.sku
        var rows = source.rows
        var master: String?
        switch kind {
        case .restore(let point):
            let earliest = earliestRestoreDate(source)
            guard point >= earliest, point <= now else {
                throw CloudError.badRequest(
                    "InvalidRestorePointInTime",
                    "The restore point in time \(AzDate.sdk(point)) is outside the server's backup window: choose a "
                        + "time between \(AzDate.sdk(earliest)) and \(AzDate.sdk(now))."
                )
            }
            rows = rows.written(atOrBefore: point)
        case .geoRestore(let loc, let skuName):
            guard source.geoRedundantBackup == "Enabled" else {
                throw CloudError.badRequest(
                    "GeoRestoreNotAvailable",
                    "The server '\(source.name)' does not have geo-redundant backups: geo-restore needs "
                        + "'--geo-redundant-backup Enabled', which can be set only when a server is created."
                )
            }
            location = try Locations.resolve(loc).name
            if let skuName { sku = try PostgresSku.parse(skuName) }
        case .replica(let loc, let skuName):
            guard source.sku.tier != "Basic" else {
                throw CloudError.badRequest(
                    "ReplicationNotSupportedForBasicTier",
                    "Read replicas are supported only in the General Purpose and Memory Optimized pricing tiers.")
            }
            guard !source.isReplica else {
                throw CloudError.badRequest(
                    "ReplicaOfReplicaNotSupported",
                    "The server '\(source.name)' is a replica; a replica cannot have replicas of its own.")
            }
            guard ["REPLICA", "LOGICAL"].contains(source.configuration["azure.replication_support"] ?? "OFF") else {
                throw CloudError.badRequest(
                    "ReplicationNotEnabled",
                    "Replication is not enabled on the server '\(source.name)': set 'azure.replication_support' to "
                        + "REPLICA ('az postgres server configuration set --resource-group \(source.resourceGroup) "
                            + "--server-name \(source.name) --name azure.replication_support --value REPLICA') and "
                                + "restart the server."
                )
            }
            guard postgresReplicas(of: source).count < 5 else {
                throw CloudError.badRequest(
                    "ReplicaLimitReached", "The server '\(source.name)' already has 5 replicas, the maximum.")
            }
            if let loc { location = try Locations.resolve(loc).name }
            if let skuName { sku = try PostgresSku.parse(skuName) }
            master = source.name
        }
        let customerManaged = source.encryption.isCustomerManaged
        let copy = PostgresServer(
            name: name, resourceGroup: rg.name, location: location, administratorLogin: source.administratorLogin,
            sku: sku,
            storageMb: source.storageMb, backupRetentionDays: source.backupRetentionDays,
            geoRedundantBackup: source.geoRedundantBackup,
            storageAutogrow: source.storageAutogrow, version: source.version, sslEnforcement: source.sslEnforcement,
            minimalTlsVersion: source.minimalTlsVersion, publicNetworkAccess: source.publicNetworkAccess,
            infrastructureEncryption: source.infrastructureEncryption, tags: source.tags, created: now,
            userVisibleState: customerManaged ? "Inaccessible" : "Ready", principalId: nil, masterServerName: master,
            encryption: ServerEncryption(
                activeDataKey: customerManaged ? nil : source.encryption.activeDataKey,
                serverKey: source.encryption.serverKey, wrappedDataKey: source.encryption.wrappedDataKey),
            rows: rows)
        postgresServers[name.lowercased()] = copy
        return copy
    }

    /// `--source-server` takes a name or a resource id.
    func resolvePostgresSource(_ ref: String, resourceGroup: String) throws -> PostgresServer {
        if ref.hasPrefix("/"), let parts = ResourceID.parts(ref), let name = parts["name"],
            let rg = parts["resource_group"]
        {
            return try postgresServer(name, resourceGroup: rg)
        }
        return try postgresServer(ref, resourceGroup: resourceGroup)
    }

    /// `az postgres server replica stop`: the replica becomes a standalone read-write server, for good.
    @discardableResult
    public mutating func stopPostgresReplica(name: String, resourceGroup: String) throws -> PostgresServer {
        var s = try postgresServer(name, resourceGroup: resourceGroup)
        guard s.isReplica else {
            throw CloudError.badRequest("ServerIsNotReplica", "The server '\(s.name)' is not a replica.")
        }
        try PostgresRules.requireAccessible(s, doing: "stop replication")
        s.masterServerName = nil
        postgresServers[name.lowercased()] = s
        return s
    }
}
