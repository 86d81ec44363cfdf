import Foundation

/// New servers from an existing one: point-in-time restore, geo-restore, read replicas and
/// revive-dropped. Each copy chooses its own key and identity when it is created; without one,
/// a copy of a customer-managed server keeps its source's key and identity (the geo-backup pair
/// for a geo-restore, which lands in the paired region), and that key must suit the copy too.
extension World {
    public enum FlexibleCopyKind: Sendable {
        case restore(pointInTime: Date?)
        case geoRestore(location: String)
        case replica(location: String?)
        case reviveDropped(location: String)

        /// Revive-dropped's source is a deleted server.
        public var isRevive: Bool {
            if case .reviveDropped = self { return true }
            return false
        }
    }

    public struct FlexibleCopyOptions: Sendable {
        public var key: FlexibleKeyChoice?
        public var geoBackupKey: FlexibleKeyChoice?
        public var geoRedundantBackup = "Disabled"
        public var zone: String?

        public init() {}
    }

    @discardableResult
    public mutating func copyFlexibleServer(
        name: String, resourceGroup rgName: String, source ref: String, kind: FlexibleCopyKind,
        options o: FlexibleCopyOptions
    ) throws -> FlexibleServer {
        let rg = try resourceGroup(rgName)
        let source = try resolveFlexibleSource(ref, resourceGroup: rgName, dropped: kind.isRevive)
        if !kind.isRevive {
            try FlexibleServerRules.requireAccessible(source, doing: "create a copy")
        }
        try FlexibleServerRules.validateName(name)
        try requireFreeServerName(name)
        var location = source.location
        var rows = source.rows
        var point: Date?
        var role = FlexibleReplicationRole.primary
        var primary: String?
        var mode: String
        var fromGeoBackup = false
        switch kind {
        case .restore(let requested):
            let p = requested ?? now
            let earliest = earliestRestoreDate(source)
            guard p >= earliest, p <= now else {
                throw CloudError.badRequest(
                    "InvalidRestorePointInTime",
                    "The restore point in time \(AzDate.sdk(p)) is outside the server's backup window: choose a "
                        + "time between \(AzDate.sdk(earliest)) and \(AzDate.sdk(now))."
                )
            }
            point = p
            mode = "PointInTimeRestore"
        case .geoRestore(let loc):
            guard source.geoRedundantBackup == "Enabled" else {
                throw CloudError.badRequest(
                    "GeoRestoreNotAvailable",
                    "The server '\(source.name)' does not have geo-redundant backups: geo-restore needs "
                        + "'--geo-redundant-backup Enabled', which can be set only when a server is created."
                )
            }
            let available = now.addingTimeInterval(-settings.flexibleGeoBackupLagSeconds)
            guard source.created <= available else {
                throw CloudError.badRequest(
                    "GeoBackupsNotAvailable",
                    "Unable to geo-restore server \(source.name) as its geo-backups aren't available yet.")
            }
            location = try Locations.resolve(loc).name
            point = available
            mode = "GeoRestore"
            fromGeoBackup = true
        case .replica(let loc):
            guard !source.isReplica else {
                throw CloudError.badRequest(
                    "ReplicaOfReplicaNotSupported",
                    "The server '\(source.name)' is a replica; a replica cannot have replicas of its own.")
            }
            guard flexibleReplicas(of: source).count < FlexibleServerRules.maxReplicas else {
                throw CloudError.badRequest(
                    "ReplicaLimitReached",
                    "The server '\(source.name)' already has \(FlexibleServerRules.maxReplicas) replicas, the "
                        + "maximum.")
            }
            if let loc { location = try Locations.resolve(loc).name }
            role =
                location == source.location
                ? FlexibleReplicationRole.asyncReplica : FlexibleReplicationRole.geoAsyncReplica
            primary = source.name.lowercased()
            mode = "Replica"
        case .reviveDropped(let loc):
            location = try Locations.resolve(loc).name
            point = droppedFlexibleServers[source.name.lowercased()]?.deletedAt
            mode = "ReviveDropped"
        }
        if let point { rows = rows.written(atOrBefore: point) }
        let dataKey = try flexibleSourceDataKey(source, fromGeoBackup: fromGeoBackup)
        var copy = FlexibleServer(
            name: name, resourceGroup: rg.name, location: location, administratorLogin: source.administratorLogin,
            version: source.version, sku: source.sku, storageSizeGb: source.storageSizeGb,
            storageAutoGrow: source.storageAutoGrow, backupRetentionDays: source.backupRetentionDays,
            geoRedundantBackup: primary == nil ? o.geoRedundantBackup : "Disabled",
            publicNetworkAccess: source.publicNetworkAccess, availabilityZone: o.zone ?? source.availabilityZone,
            tags: source.tags, created: now, state: FlexibleServerState.ready, activeDataKey: dataKey,
            rows: rows, replicationRole: role, primaryServerName: primary, createMode: mode,
            sourceServerResourceId: flexibleServerID(source), pointInTimeUtc: point)
        var key = o.key
        var geoKey = o.geoBackupKey
        if key == nil, let e = source.dataEncryption {
            let inherited = fromGeoBackup ? (e.geoBackup ?? e.primary) : e.primary
            key = FlexibleKeyChoice(kid: inherited.keyUri, identityId: inherited.identityId)
            if copy.geoRedundantBackup == "Enabled", geoKey == nil, let g = e.geoBackup, !fromGeoBackup {
                geoKey = FlexibleKeyChoice(kid: g.keyUri, identityId: g.identityId)
            }
        }
        try FlexibleServerRules.requireGeoBackupSupport(copy)
        try encryptFlexibleServer(&copy, key: key, geoBackupKey: geoKey, dataKey: dataKey)
        flexibleServers[name.lowercased()] = copy
        if case .reviveDropped = kind { droppedFlexibleServers[source.name.lowercased()] = nil }
        scheduleFlexibleKeyCheck(copy)
        return copy
    }

    /// The service reads the source's backup with the source's own key and identity (the
    /// geo-backup pair for a geo-restore): the original key must still be usable, as Azure warns
    /// ("don't revoke the original key after restoring").
    mutating func flexibleSourceDataKey(_ source: FlexibleServer, fromGeoBackup: Bool) throws -> Data {
        guard let e = source.dataEncryption else {
            guard let d = source.activeDataKey else {
                throw CloudError("InternalServerError", "The source server holds no data key.", status: 500)
            }
            return d
        }
        return try unwrapFlexibleSlot(source, fromGeoBackup ? (e.geoBackup ?? e.primary) : e.primary)
    }

    /// `--source-server` takes a name or a resource id; revive-dropped looks among deleted servers.
    public func resolveFlexibleSource(_ ref: String, resourceGroup: String, dropped: Bool) throws -> FlexibleServer {
        var name = ref
        var rg = resourceGroup
        if ref.hasPrefix("/"), let parts = ResourceID.parts(ref), let n = parts["name"], let g = parts["resource_group"]
        {
            name = n
            rg = g
        }
        guard dropped else { return try flexibleServer(name, resourceGroup: rg) }
        guard let d = droppedFlexibleServers[name.lowercased()], d.server.resourceGroup.lowercased() == rg.lowercased()
        else {
            throw CloudError.notFound(
                "ResourceNotFound",
                "No deleted server '\(name)' in resource group '\(rg)' can be revived (deleted servers can be "
                    + "revived for \(AzDuration.describe(settings.flexibleDroppedRetentionSeconds)) after deletion)."
            )
        }
        return d.server
    }

    /// `replica promote --promote-mode standalone`: the replica becomes a read-write server of its
    /// own, for good, keeping its key and identity.
    @discardableResult
    public mutating func promoteFlexibleReplica(name: String, resourceGroup: String) throws -> FlexibleServer {
        var s = try flexibleServer(name, resourceGroup: resourceGroup)
        guard s.isReplica else {
            throw CloudError.badRequest("ServerIsNotReplica", "The server '\(s.name)' is not a replica.")
        }
        try FlexibleServerRules.requireAccessible(s, doing: "promote")
        s.primaryServerName = nil
        s.replicationRole = FlexibleReplicationRole.none
        s.firstBackupAt = now
        flexibleServers[name.lowercased()] = s
        return s
    }
}
