import Foundation

/// A key and the identity it is used with, as create, update and the copies take them.
public struct FlexibleKeyChoice: Sendable, Equatable {
    public let kid: String
    public let identityId: String

    public init(kid: String, identityId: String) {
        self.kid = kid
        self.identityId = identityId
    }
}

/// What `az postgres flexible-server create` asks for, once az's own checks have passed.
public struct FlexibleServerSpec: Sendable {
    public var location: String?
    public var administratorLogin: String
    public var password: String
    public var sku = FlexibleSku(name: "Standard_D2ds_v5", tier: "GeneralPurpose")
    public var storageSizeGb = 128
    public var storageAutoGrow = "Disabled"
    public var backupRetentionDays = 7
    public var geoRedundantBackup = "Disabled"
    public var version = FlexibleServerRules.versions.last!
    public var publicNetworkAccess = "Enabled"
    public var firewallRule: FlexibleFirewallRule?
    public var zone: String?
    public var tags: [String: String] = [:]
    public var key: FlexibleKeyChoice?
    public var geoBackupKey: FlexibleKeyChoice?

    public init(administratorLogin: String, password: String) {
        self.administratorLogin = administratorLogin
        self.password = password
    }
}

/// What `update` changes besides the keys.
public struct FlexibleServerUpdate: Sendable {
    public var sku: FlexibleSku?
    public var storageSizeGb: Int?
    public var storageAutoGrow: String?
    public var backupRetentionDays: Int?
    public var publicNetworkAccess: String?
    public var tags: [String: String]?
    public var password: String?
    public var key: FlexibleKeyChoice?
    public var geoBackupKey: FlexibleKeyChoice?

    public init() {}

    var changesMoreThanKeys: Bool {
        sku != nil || storageSizeGb != nil || storageAutoGrow != nil || backupRetentionDays != nil
            || publicNetworkAccess != nil || tags != nil || password != nil
    }
}

/// Server lifecycle: create, show, list, update, stop, start, restart, delete.
extension World {
    public func flexibleServerID(_ s: FlexibleServer) -> String {
        "\(subscriptionPath)/resourceGroups/\(s.resourceGroup)/providers/Microsoft.DBforPostgreSQL/flexibleServers/"
            + s.name
    }

    public func flexibleServer(_ name: String, resourceGroup: String) throws -> FlexibleServer {
        _ = try self.resourceGroup(resourceGroup)
        guard let s = flexibleServers[name.lowercased()], s.resourceGroup.lowercased() == resourceGroup.lowercased()
        else {
            throw CloudError.notFound(
                "ResourceNotFound",
                "The Resource 'Microsoft.DBforPostgreSQL/flexibleServers/\(name)' under resource group "
                    + "'\(resourceGroup)' was not found. For more details please go to "
                    + "https://aka.ms/ARMResourceNotFoundFix"
            )
        }
        return s
    }

    public func listFlexibleServers(resourceGroup: String?) throws -> [FlexibleServer] {
        if let rg = resourceGroup { _ = try self.resourceGroup(rg) }
        return flexibleServers.values.filter {
            resourceGroup == nil || $0.resourceGroup.lowercased() == resourceGroup!.lowercased()
        }
        .sorted { $0.name < $1.name }
    }

    /// Server names are DNS names under postgres.database.azure.com, shared with Single Server.
    func requireFreeServerName(_ name: String) throws {
        guard flexibleServers[name.lowercased()] == nil, postgresServers[name.lowercased()] == nil else {
            throw CloudError.conflict(
                "ServerNameAlreadyExists",
                "Specified server name '\(name)' is already used. Server names are global: pick another.")
        }
    }

    /// Resolves and records the identities a server is given, as the service does when it is
    /// assigned: each must exist.
    func resolveFlexibleIdentities(_ ids: [String]) throws -> [AssignedIdentity] {
        try ids.map { id in
            guard let i = try? userAssignedIdentity(byID: id) else {
                throw FlexibleKeyRequirements.identityNotFound(id)
            }
            return AssignedIdentity(id: id, principalId: i.principalId, clientId: i.clientId)
        }
    }

    /// Adds identities to a server's list. An identity given again is resolved again: after it
    /// was deleted and re-created under its name, the server now knows the new principal.
    static func adding(_ new: [AssignedIdentity], to list: [AssignedIdentity]) -> [AssignedIdentity] {
        var out = list
        for a in new {
            if let i = out.firstIndex(where: { $0.id.lowercased() == a.id.lowercased() }) {
                out[i] = AssignedIdentity(id: out[i].id, principalId: a.principalId, clientId: a.clientId)
            } else {
                out.append(a)
            }
        }
        return out
    }

    @discardableResult
    public mutating func createFlexibleServer(
        name: String, resourceGroup rgName: String, spec: FlexibleServerSpec
    ) throws -> FlexibleServer {
        let rg = try resourceGroup(rgName)
        try FlexibleServerRules.validateName(name)
        try requireFreeServerName(name)
        try FlexibleServerRules.validatePassword(spec.password)
        let location = try Locations.resolve(spec.location ?? rg.location).name
        let dataKey = DataKey.generate()
        var s = FlexibleServer(
            name: name, resourceGroup: rg.name, location: location, administratorLogin: spec.administratorLogin,
            version: spec.version, sku: spec.sku, storageSizeGb: spec.storageSizeGb,
            storageAutoGrow: spec.storageAutoGrow, backupRetentionDays: spec.backupRetentionDays,
            geoRedundantBackup: spec.geoRedundantBackup, publicNetworkAccess: spec.publicNetworkAccess,
            availabilityZone: spec.zone ?? "1", tags: spec.tags, created: now, state: FlexibleServerState.ready,
            activeDataKey: dataKey)
        if let r = spec.firewallRule { s.firewallRules = [r] }
        try FlexibleServerRules.requireGeoBackupSupport(s)
        try encryptFlexibleServer(&s, key: spec.key, geoBackupKey: spec.geoBackupKey, dataKey: dataKey)
        flexibleServers[name.lowercased()] = s
        scheduleFlexibleKeyCheck(s)
        return s
    }

    /// Gives a new server (created or copied) its customer-managed keys: its identities are
    /// assigned, then each key checked and the data key wrapped with it.
    mutating func encryptFlexibleServer(
        _ s: inout FlexibleServer, key: FlexibleKeyChoice?, geoBackupKey: FlexibleKeyChoice?, dataKey: Data
    ) throws {
        guard let key else { return }
        try FlexibleKeyRequirements.requireDistinctIdentities(
            primary: key.identityId, geoBackup: geoBackupKey?.identityId)
        s.identities = World.adding(
            try resolveFlexibleIdentities([key.identityId] + (geoBackupKey.map { [$0.identityId] } ?? [])),
            to: s.identities)
        if s.geoRedundantBackup == "Enabled", geoBackupKey == nil {
            throw CloudError.badRequest(
                "CMKInvalidEncryptionParameters",
                "The input server encryption parameters are invalid. Geo-Backup Encryption user assigned identity "
                    + "and key is required to encrypt Geo-Redundant CMK enabled server. Please retry operation with "
                    + "valid input parameters."
            )
        }
        let primary = try prepareFlexibleKeySlot(
            s, kid: key.kid, identityId: key.identityId, role: .primary, dataKey: dataKey)
        let geo = try geoBackupKey.map {
            try prepareFlexibleKeySlot(s, kid: $0.kid, identityId: $0.identityId, role: .geoBackup, dataKey: dataKey)
        }
        s.dataEncryption = FlexibleDataEncryption(primary: primary, geoBackup: geo)
    }

    /// Identities given with a key are added to the server even when the update then fails, as
    /// Azure documents; such a failure is a `CommittedFailure`.
    @discardableResult
    public mutating func updateFlexibleServer(
        name: String, resourceGroup: String, update u: FlexibleServerUpdate
    ) throws -> FlexibleServer {
        let original = try flexibleServer(name, resourceGroup: resourceGroup)
        var s = original
        if u.changesMoreThanKeys { try FlexibleServerRules.requireAccessible(s, doing: "update") }
        if let sku = u.sku { s.sku = sku }
        if let gb = u.storageSizeGb { s.storageSizeGb = gb }
        if let v = u.storageAutoGrow { s.storageAutoGrow = v }
        if let d = u.backupRetentionDays { s.backupRetentionDays = d }
        if let v = u.publicNetworkAccess { s.publicNetworkAccess = v }
        if let t = u.tags { s.tags = t }
        if let p = u.password { try FlexibleServerRules.validatePassword(p) }
        guard u.key != nil || u.geoBackupKey != nil else {
            flexibleServers[name.lowercased()] = s
            return s
        }
        guard var encryption = s.dataEncryption else {
            throw CloudError.badRequest(
                "DataEncryptionNotEnabled",
                "You cannot enable data encryption on a server that was not created with data encryption.")
        }
        try FlexibleKeyRequirements.requireDistinctIdentities(
            primary: u.key?.identityId ?? encryption.primary.identityId,
            // Without geo-backup there is no second key (refused below as such).
            geoBackup: encryption.geoBackup.map { u.geoBackupKey?.identityId ?? $0.identityId })
        let given = [u.key, u.geoBackupKey].compactMap { $0?.identityId }
        s.identities = World.adding(try resolveFlexibleIdentities(given), to: s.identities)
        // What a failure keeps: the identities, not the update's other changes.
        var withIdentities = original
        withIdentities.identities = s.identities
        flexibleServers[name.lowercased()] = withIdentities
        do {
            if let k = u.key {
                let dataKey = try flexibleDataKey(s, using: k, from: encryption.primary)
                encryption.primary = try prepareFlexibleKeySlot(
                    s, kid: k.kid, identityId: k.identityId, role: .primary, dataKey: dataKey)
            }
            if let k = u.geoBackupKey {
                guard let current = encryption.geoBackup else {
                    throw CloudError.badRequest(
                        "GeoRedundantBackupNotEnabled",
                        "The server '\(s.name)' was not created with geo-redundant backup: it has no geo-backup key.")
                }
                let dataKey = try flexibleDataKey(s, using: k, from: current)
                encryption.geoBackup = try prepareFlexibleKeySlot(
                    s, kid: k.kid, identityId: k.identityId, role: .geoBackup, dataKey: dataKey)
            }
        } catch let e as CloudError {
            throw CommittedFailure(error: e)
        }
        s.dataEncryption = encryption
        flexibleServers[name.lowercased()] = s
        return s
    }

    /// The data key, to wrap with a new key: in memory while the server is Ready; otherwise
    /// unwrapped from the slot with the new identity (the documented way out of Inaccessible:
    /// grant another identity on the same key and update the server to use it).
    mutating func flexibleDataKey(
        _ s: FlexibleServer, using k: FlexibleKeyChoice, from slot: FlexibleKeySlot
    ) throws
        -> Data
    {
        try s.activeDataKey ?? unwrapFlexibleSlot(s, slot, as: k.identityId)
    }

    @discardableResult
    public mutating func stopFlexibleServer(name: String, resourceGroup: String) throws -> FlexibleServer {
        var s = try flexibleServer(name, resourceGroup: resourceGroup)
        try FlexibleServerRules.requireAccessible(s, doing: "stop")
        guard s.state == FlexibleServerState.ready else {
            throw CloudError.badRequest(
                "ServerNotReady", "The server '\(s.name)' is \(s.state): only a Ready server stops.")
        }
        s.state = FlexibleServerState.stopped
        flexibleServers[name.lowercased()] = s
        // No compute, no checks: start revalidates at once.
        scheduler.cancel(.flexibleServerKeyCheck(server: s.name.lowercased()))
        return s
    }

    /// A started server revalidates its keys at once: it comes up Inaccessible if it cannot use them.
    @discardableResult
    public mutating func startFlexibleServer(name: String, resourceGroup: String) throws -> FlexibleServer {
        var s = try flexibleServer(name, resourceGroup: resourceGroup)
        guard s.state == FlexibleServerState.stopped else {
            throw CloudError.badRequest("ServerNotStopped", "The server '\(s.name)' is \(s.state), not Stopped.")
        }
        s.state = FlexibleServerState.ready
        flexibleServers[name.lowercased()] = s
        runFlexibleKeyCheck(s.name.lowercased())
        return flexibleServers[name.lowercased()]!
    }

    public mutating func restartFlexibleServer(name: String, resourceGroup: String) throws {
        let s = try flexibleServer(name, resourceGroup: resourceGroup)
        try FlexibleServerRules.requireAccessible(s, doing: "restart")
        try FlexibleServerRules.requireStarted(s, doing: "restart")
    }

    /// A deleted server can be revived for a while (`flexibleDroppedRetentionSeconds`). Its
    /// replicas become standalone servers.
    public mutating func deleteFlexibleServer(name: String, resourceGroup: String) throws {
        let s = try flexibleServer(name, resourceGroup: resourceGroup)
        let key = s.name.lowercased()
        flexibleServers[key] = nil
        for r in flexibleServers.values where r.primaryServerName == key {
            flexibleServers[r.name.lowercased()]!.primaryServerName = nil
            flexibleServers[r.name.lowercased()]!.replicationRole = FlexibleReplicationRole.none
        }
        scheduler.cancel(.flexibleServerKeyCheck(server: key))
        droppedFlexibleServers[key] = DroppedFlexibleServer(server: s, deletedAt: now)
        scheduler.schedule(
            .expireDroppedFlexibleServer(name: key, deletedAt: now),
            at: now.addingTimeInterval(settings.flexibleDroppedRetentionSeconds))
    }

    public func flexibleReplicas(of s: FlexibleServer) -> [FlexibleServer] {
        flexibleServers.values.filter { $0.primaryServerName == s.name.lowercased() }.sorted { $0.name < $1.name }
    }

    /// The earliest point a restore can go back to: the retention window, but no earlier than
    /// the server's creation.
    public func earliestRestoreDate(_ s: FlexibleServer) -> Date {
        max(s.created, now.addingTimeInterval(-Double(s.backupRetentionDays) * 86400))
    }
}
