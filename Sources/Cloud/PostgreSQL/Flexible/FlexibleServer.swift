import Foundation

/// An Azure Database for PostgreSQL Flexible Server, as the service keeps it. Its encryption mode
/// (service- or customer-managed key) is chosen at creation and never changes.
public struct FlexibleServer: Codable, Sendable, Equatable {
    public let name: String
    public let resourceGroup: String
    public let location: String
    public let administratorLogin: String
    public var version: String
    public var sku: FlexibleSku
    public var storageSizeGb: Int
    public var storageAutoGrow: String
    public var backupRetentionDays: Int
    /// Chosen at creation only.
    public let geoRedundantBackup: String
    public var publicNetworkAccess: String
    public var availabilityZone: String?
    public var tags: [String: String]
    public let created: Date
    /// One of `FlexibleServerState`.
    public var state: String
    /// User-assigned identities as the server resolved them when they were assigned: a principal
    /// deleted and re-created under the same name is another principal, which this one is not.
    public var identities: [AssignedIdentity] = []
    public var systemAssignedPrincipalId: String?
    /// Nil: a service-managed key.
    public var dataEncryption: FlexibleDataEncryption?
    /// The data key in the clear, while the service can use it: always with a service-managed
    /// key, only while the keys are reachable with a customer-managed one.
    public var activeDataKey: Data?
    public var rows = SealedRows()
    /// One of `FlexibleReplicationRole`.
    public var replicationRole: String = FlexibleReplicationRole.primary
    /// The primary of a replica, by lowercased name.
    public var primaryServerName: String?
    /// How a copy was made (`PointInTimeRestore`, `GeoRestore`, `Replica`, `ReviveDropped`).
    public var createMode: String?
    public var sourceServerResourceId: String?
    public var pointInTimeUtc: Date?
    public var firewallRules: [FlexibleFirewallRule] = []
    /// Server parameters changed from their defaults, by name. A copy starts without any: the
    /// service does not carry server parameters over to a restored server.
    public var parameterOverrides: [String: FlexibleParameterOverride]?
    /// When the first automatic backup was taken; nil for a server that takes them from creation,
    /// or a replica, which takes none until it is promoted.
    public var firstBackupAt: Date?

    public var isCustomerManaged: Bool { dataEncryption != nil }

    /// What a key uses the identity for, in az's words, or nil when no key uses it.
    public func encryptionUse(of identityId: String) -> String? {
        let id = identityId.lowercased()
        if dataEncryption?.primary.identityId.lowercased() == id { return "data encryption" }
        if dataEncryption?.geoBackup?.identityId.lowercased() == id { return "geo backup data encryption" }
        return nil
    }
    public var isReplica: Bool { primaryServerName != nil }
}

/// `state` values the service reports (ServerState).
public enum FlexibleServerState {
    public static let ready = "Ready"
    public static let inaccessible = "Inaccessible"
    public static let stopped = "Stopped"
}

/// `replicationRole` values (ReplicationRole): a new server is `Primary`; a replica is
/// `AsyncReplica` in its primary's region and `GeoAsyncReplica` elsewhere; a promoted one is
/// `None`, the role az's standalone promotion sends.
public enum FlexibleReplicationRole {
    public static let primary = "Primary"
    public static let none = "None"
    public static let asyncReplica = "AsyncReplica"
    public static let geoAsyncReplica = "GeoAsyncReplica"
}

/// A key's `primaryEncryptionKeyStatus` / `geoBackupEncryptionKeyStatus` (EncryptionKeyStatus).
public enum EncryptionKeyStatus {
    public static let valid = "Valid"
    public static let invalid = "Invalid"
}

public struct FlexibleSku: Codable, Sendable, Equatable {
    public let name: String
    public let tier: String

    public init(name: String, tier: String) {
        self.name = name
        self.tier = tier
    }
}

public struct AssignedIdentity: Codable, Sendable, Equatable {
    /// The ARM id as the server stores it.
    public let id: String
    public let principalId: String
    public let clientId: String
}

/// The customer-managed key configuration: the primary key and identity, and for geo-redundant
/// backups a second key (in the paired region) used with a second identity.
public struct FlexibleDataEncryption: Codable, Sendable, Equatable {
    public var primary: FlexibleKeySlot
    public var geoBackup: FlexibleKeySlot?
}

/// One key the server points to and what the service holds for it.
public struct FlexibleKeySlot: Codable, Sendable, Equatable {
    /// As configured: versioned (pinned) or versionless (follows the key's current version).
    public var keyUri: String
    public var identityId: String
    /// One of `EncryptionKeyStatus`.
    public var status: String
    /// The version the data key is wrapped with now, and the wrapped form.
    public var wrappedVersion: String
    public var wrappedDataKey: Data
    /// The last check's outcome and inputs (`coalesceKeyChecks`).
    public var memo: KeyCheckMemo? = nil

    public var keyID: KeyIdentifier? { KeyIdentifier.parse(keyUri) }
    public var isValid: Bool { status == EncryptionKeyStatus.valid }
}

public struct FlexibleFirewallRule: Codable, Sendable, Equatable {
    public let name: String
    public let startIpAddress: String
    public let endIpAddress: String

    public init(name: String, startIpAddress: String, endIpAddress: String) {
        self.name = name
        self.startIpAddress = startIpAddress
        self.endIpAddress = endIpAddress
    }
}

/// A deleted server, kept for `revive-dropped` during the retention the service gives it.
public struct DroppedFlexibleServer: Codable, Sendable, Equatable {
    public let server: FlexibleServer
    public let deletedAt: Date
}
