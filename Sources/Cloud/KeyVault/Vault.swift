import Foundation

/// A Key Vault (the ARM resource). Names are global DNS labels, so the world keys vaults by
/// lowercased name across all resource groups.
public struct Vault: Codable, Sendable, Equatable {
    public let name: String
    public var resourceGroup: String
    public let location: String
    public var sku: String
    public let tenantId: String
    /// 7-90 days, fixed at creation.
    public let softDeleteRetentionInDays: Int
    /// Null until set; once true it can never be false again.
    public var enablePurgeProtection: Bool?
    public var enableRbacAuthorization: Bool
    public var enabledForDeployment: Bool
    public var enabledForDiskEncryption: Bool?
    public var enabledForTemplateDeployment: Bool?
    public var publicNetworkAccess: String
    public var networkAcls: NetworkAcls?
    public var accessPolicies: [AccessPolicy]
    public var tags: [String: String]
    public let createdAt: Date
    public var updatedAt: Date
    public let createdBy: String
    /// Keys by lowercased name, read from the state directory as they are used.
    public var keys = LazyTable<Key>()
    public var deletedKeys = LazyTable<DeletedKey>()

    public var purgeProtected: Bool { enablePurgeProtection == true }
}

public struct AccessPolicy: Codable, Sendable, Equatable {
    public let tenantId: String
    public let objectId: String
    public var applicationId: String?
    /// Each category is nil when it was never set (az prints null, not []).
    public var keys: [String]?
    public var secrets: [String]?
    public var certificates: [String]?
    public var storage: [String]?
}

public struct NetworkAcls: Codable, Sendable, Equatable {
    public var bypass: String
    public var defaultAction: String
    public var ipRules: [String]
    public var virtualNetworkRules: [String]

    public static let open = NetworkAcls(
        bypass: "AzureServices", defaultAction: "Allow", ipRules: [], virtualNetworkRules: [])
}

/// A soft-deleted vault: its whole state is kept until recovery or purge.
extension Vault {
    /// A vault created without `enableRbacAuthorization` uses Azure RBAC: the default of the
    /// Key Vault API az 2.61+ calls ("If null or not specified, the vault is created with the
    /// default value of true", az 2.91's help), where it used to be access policies.
    public static let rbacAuthorizationByDefault = true
}

public struct DeletedVault: Codable, Sendable, Equatable {
    public var vault: Vault
    public let deletionDate: Date
    public let scheduledPurgeDate: Date
}

extension Vault {
    /// One principal's access policies (Azure matches object ids without regard to case). Every key
    /// check asks this of a vault that may hold up to 1,024 policies, so it copies only the matches.
    public func accessPolicies(of objectId: String) -> [AccessPolicy] {
        accessPolicies.withUnsafeBufferPointer { all in
            all.indices.compactMap { all[$0].objectId.equalsIgnoringCase(objectId) ? all[$0] : nil }
        }
    }
}
