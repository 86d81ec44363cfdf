import Foundation

/// What `az postgres server create` asks for.
public struct PostgresServerSpec: Sendable {
    public var location: String?
    public var administratorLogin: String
    public var password: String
    public var skuName = "GP_Gen5_2"
    public var storageMb = 5120
    public var backupRetentionDays = 7
    public var geoRedundantBackup = "Disabled"
    public var storageAutogrow = "Enabled"
    public var version = "11"
    public var sslEnforcement = "Enabled"
    public var minimalTlsVersion = "TLSEnforcementDisabled"
    public var publicNetworkAccess = "Enabled"
    public var infrastructureEncryption = "Disabled"
    public var tags: [String: String] = [:]
    public var assignIdentity = false

    public init(administratorLogin: String, password: String) {
        self.administratorLogin = administratorLogin
        self.password = password
    }
}

public struct PostgresServerUpdate: Sendable {
    public var skuName: String?
    public var storageMb: Int?
    public var backupRetentionDays: Int?
    public var storageAutogrow: String?
    public var sslEnforcement: String?
    public var minimalTlsVersion: String?
    public var publicNetworkAccess: String?
    public var tags: [String: String]?
    public var assignIdentity = false
    public var password: String?

    public init() {}

    /// Everything but `--assign-identity`: what an inaccessible server refuses.
    var changesMoreThanIdentity: Bool {
        skuName != nil || storageMb != nil || backupRetentionDays != nil || storageAutogrow != nil
            || sslEnforcement != nil
            || minimalTlsVersion != nil || publicNetworkAccess != nil || tags != nil || password != nil
    }
}

/// Server lifecycle: create, show, list, update, restart, delete.
extension World {
    public func postgresServerID(_ s: PostgresServer) -> String {
        "\(subscriptionPath)/resourceGroups/\(s.resourceGroup)/providers/Microsoft.DBforPostgreSQL/servers/\(s.name)"
    }

    public func postgresServer(_ name: String, resourceGroup: String) throws -> PostgresServer {
        _ = try self.resourceGroup(resourceGroup)
        guard let s = postgresServers[name.lowercased()], s.resourceGroup.lowercased() == resourceGroup.lowercased()
        else {
            throw CloudError.notFound(
                "ResourceNotFound",
                "The Resource 'Microsoft.DBforPostgreSQL/servers/\(name)' under resource group '\(resourceGroup)' "
                    + "was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"
            )
        }
        return s
    }

    public func listPostgresServers(resourceGroup: String?) throws -> [PostgresServer] {
        if let rg = resourceGroup { _ = try self.resourceGroup(rg) }
        return postgresServers.values.filter {
            resourceGroup == nil || $0.resourceGroup.lowercased() == resourceGroup!.lowercased()
        }
        .sorted { $0.name < $1.name }
    }

    /// A server with a service-managed data key, Ready.
    @discardableResult
    public mutating func createPostgresServer(
        name: String, resourceGroup rgName: String, spec: PostgresServerSpec
    ) throws -> PostgresServer {
        let rg = try resourceGroup(rgName)
        try PostgresRules.validateName(name)
        guard postgresServers[name.lowercased()] == nil else {
            throw CloudError.conflict(
                "ServerNameAlreadyExists",
                "Specified server name '\(name)' is already used. Server names are global: pick another.")
        }
        let sku = try PostgresSku.parse(spec.skuName)
        try PostgresRules.validateStorage(spec.storageMb, sku: sku)
        try PostgresRules.validateRetention(spec.backupRetentionDays)
        try PostgresRules.validatePassword(spec.password, login: spec.administratorLogin)
        if sku.tier == "Basic" {
            if spec.geoRedundantBackup == "Enabled" {
                throw CloudError.badRequest(
                    "GeoBackupsNotSupportedForBasicTier",
                    "Geo-redundant backup is not supported in the Basic pricing tier.")
            }
            if spec.infrastructureEncryption == "Enabled" {
                throw CloudError.badRequest(
                    "InfrastructureEncryptionNotSupported",
                    "Infrastructure double encryption is supported only in the General Purpose and Memory Optimized "
                        + "pricing tiers."
                )
            }
        }
        let location = try Locations.resolve(spec.location ?? rg.location).name
        var server = PostgresServer(
            name: name, resourceGroup: rg.name, location: location, administratorLogin: spec.administratorLogin,
            sku: sku,
            storageMb: spec.storageMb, backupRetentionDays: spec.backupRetentionDays,
            geoRedundantBackup: spec.geoRedundantBackup,
            storageAutogrow: spec.storageAutogrow, version: spec.version, sslEnforcement: spec.sslEnforcement,
            minimalTlsVersion: spec.minimalTlsVersion, publicNetworkAccess: spec.publicNetworkAccess,
            infrastructureEncryption: spec.infrastructureEncryption, tags: spec.tags, created: now,
            userVisibleState: "Ready",
            principalId: nil, masterServerName: nil, encryption: ServerEncryption(activeDataKey: DataKey.generate()))
        if spec.assignIdentity { server.principalId = ids.guid() }
        postgresServers[name.lowercased()] = server
        return server
    }

    /// An inaccessible server takes only `--assign-identity` (the seed's restore procedure needs
    /// it); every other change waits until its key is revalidated.
    @discardableResult
    public mutating func updatePostgresServer(
        name: String, resourceGroup: String, update u: PostgresServerUpdate
    ) throws -> PostgresServer {
        var s = try postgresServer(name, resourceGroup: resourceGroup)
        if u.changesMoreThanIdentity { try PostgresRules.requireAccessible(s, doing: "update") }
        if let sku = u.skuName {
            let new = try PostgresSku.parse(sku)
            if (new.tier == "Basic") != (s.sku.tier == "Basic") {
                throw CloudError.badRequest(
                    "BasicTierScalingNotSupported", "Scaling to or from the Basic pricing tier is not supported.")
            }
            s.sku = new
        }
        if let mb = u.storageMb {
            try PostgresRules.validateStorage(mb, sku: s.sku)
            guard mb >= s.storageMb else {
                throw CloudError.badRequest(
                    "StorageDecreaseNotSupported", "Storage size can only grow: \(s.name) has \(s.storageMb) MB.")
            }
            s.storageMb = mb
        }
        if let d = u.backupRetentionDays { try PostgresRules.validateRetention(d); s.backupRetentionDays = d }
        if let v = u.storageAutogrow { s.storageAutogrow = v }
        if let v = u.sslEnforcement { s.sslEnforcement = v }
        if let v = u.minimalTlsVersion { s.minimalTlsVersion = v }
        if let v = u.publicNetworkAccess { s.publicNetworkAccess = v }
        if let t = u.tags { s.tags = t }
        if let p = u.password { try PostgresRules.validatePassword(p, login: s.administratorLogin) }
        // Assigning again keeps the principal: the identity is the server's for its whole life.
        if u.assignIdentity, s.principalId == nil { s.principalId = ids.guid() }
        postgresServers[name.lowercased()] = s
        return s
    }

    /// A restart applies pending static configuration (azure.replication_support).
    @discardableResult
    public mutating func restartPostgresServer(name: String, resourceGroup: String) throws -> PostgresServer {
        var s = try postgresServer(name, resourceGroup: resourceGroup)
        try PostgresRules.requireAccessible(s, doing: "restart")
        s.configuration.merge(s.pendingConfiguration) { $1 }
        s.pendingConfiguration = [:]
        postgresServers[name.lowercased()] = s
        return s
    }

    /// Deleting a server takes its system-assigned identity with it. A master's replicas become
    /// standalone servers, as Azure stops replication when the master goes.
    public mutating func deletePostgresServer(name: String, resourceGroup: String) throws {
        let s = try postgresServer(name, resourceGroup: resourceGroup)
        postgresServers[name.lowercased()] = nil
        for r in postgresServers.values where r.masterServerName?.lowercased() == s.name.lowercased() {
            postgresServers[r.name.lowercased()]!.masterServerName = nil
        }
        scheduler.cancel(.postgresKeyCheck(server: s.name.lowercased()))
    }

    public func postgresReplicas(of s: PostgresServer) -> [PostgresServer] {
        postgresServers.values.filter { $0.masterServerName?.lowercased() == s.name.lowercased() }.sorted {
            $0.name < $1.name
        }
    }

    /// The earliest point a restore can go back to: the retention window, but no earlier than
    /// the server's creation.
    public func earliestRestoreDate(_ s: PostgresServer) -> Date {
        max(s.created, now.addingTimeInterval(-Double(s.backupRetentionDays) * 86400))
    }
}
