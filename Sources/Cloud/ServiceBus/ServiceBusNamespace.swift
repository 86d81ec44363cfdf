import Foundation

/// A Service Bus namespace as the service keeps it.
public struct ServiceBusNamespace: Codable, Sendable, Equatable {
    public let name: String
    public let resourceGroup: String
    public let location: String
    public var sku: String
    public var capacity: Int?
    public let createdAt: Date
    public var updatedAt: Date
    public var tags: [String: String]
    public var minimumTlsVersion: String
    public var publicNetworkAccess: String
    public var disableLocalAuth: Bool
    public var zoneRedundant: Bool
    /// The system-assigned identity's object id, when it has one.
    public var systemPrincipalId: String?
    /// User-assigned identities by resource id, as given.
    public var userAssignedIdentities: [String]
    public var encryption: NamespaceEncryption?
    /// The data key in the clear while the namespace can use it: always with Microsoft-managed
    /// keys; with customer-managed keys only while at least one key is reachable.
    public var activeDataKey: Data?
    /// Queues by lowercased name.
    public var queues: [String: ServiceBusQueue]
    public var alias: GeoDRAlias?
    /// Namespaces this one was the secondary of: the documented procedure re-pairs them.
    public var formerPrimaries: [String] = []
}

/// `properties.encryption`: up to three keys, one identity for all, and the data key wrapped under
/// each key version it has used.
public struct NamespaceEncryption: Codable, Sendable, Equatable {
    public var keys: [KeyVaultProperty]
    public var requireInfrastructureEncryption: Bool
    /// The data key wrapped per "vault/key/version".
    public var wrappedDataKeys: [String: Data]
    /// When each entry (by `KeyVaultProperty.id`) last passed a poll.
    public var lastReachable: [String: Date]
    /// Each entry's last probe, by `KeyVaultProperty.id` (`coalesceKeyChecks`).
    public var checkMemos: [String: KeyCheckMemo]? = nil
}

public struct KeyVaultProperty: Codable, Sendable, Equatable {
    public let keyName: String
    /// As the user typed it, without a trailing slash.
    public let keyVaultUri: String
    /// "" follows the newest version.
    public let keyVersion: String
    public let userAssignedIdentity: String?

    public init(keyName: String, keyVaultUri: String, keyVersion: String, userAssignedIdentity: String?) {
        self.keyName = keyName
        self.keyVaultUri = keyVaultUri
        self.keyVersion = keyVersion
        self.userAssignedIdentity = userAssignedIdentity
    }

    public var id: String { "\(keyVaultUri.lowercased())/\(keyName.lowercased())/\(keyVersion.lowercased())" }

    public var vaultName: String? {
        URL(string: keyVaultUri)?.host.flatMap {
            $0.hasSuffix(".vault.azure.net") ? String($0.dropLast(".vault.azure.net".count)) : nil
        }
    }
}

public struct ServiceBusQueue: Codable, Sendable, Equatable {
    public let name: String
    public let createdAt: Date
    public var updatedAt: Date
    public var messages: [SealedMessage]
}

public struct SealedMessage: Codable, Sendable, Equatable {
    public let sequenceNumber: Int
    public let sealed: Data
}

/// The geo-DR alias as one namespace sees it.
public struct GeoDRAlias: Codable, Sendable, Equatable {
    public let name: String
    /// Primary, Secondary or PrimaryNotReplicating.
    public var role: String
    /// The partner namespace's name, "" when not paired.
    public var partner: String
    public var alternateName: String?
    /// `Accepted` until then, `Succeeded` after.
    public var settledAt: Date
}
