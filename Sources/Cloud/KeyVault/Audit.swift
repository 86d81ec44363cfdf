import Foundation

/// One key operation as Key Vault's AuditEvent log records it: success or the error code.
public struct AuditRecord: Codable, Sendable, Equatable {
    public let time: Date
    public let vault: String
    public let key: String?
    public let version: String?
    /// AuditEvent operation name: KeyCreate, KeyGet, KeyWrap, KeyUnwrap, ...
    public let operation: String
    public let principal: String
    /// Who asked: the operator, or the resource (server, namespace) acting with its identity.
    public let caller: String
    public let result: String
}

/// The principal behind a key operation, and where it connects from.
public struct Caller: Sendable, Equatable {
    public let objectId: String
    public let name: String
    /// Azure services on Key Vault's trusted list (PostgreSQL, Service Bus) pass a firewall with
    /// bypass AzureServices.
    public let isTrustedService: Bool
    /// Key Vault acting on a key's own rotation policy: inside the vault, so neither its firewall
    /// nor its access policies apply.
    public let isKeyVaultService: Bool

    public init(objectId: String, name: String, isTrustedService: Bool, isKeyVaultService: Bool = false) {
        self.objectId = objectId
        self.name = name
        self.isTrustedService = isTrustedService
        self.isKeyVaultService = isKeyVaultService
    }

    /// Azure Key Vault's first-party application, which runs rotation policies.
    public static let keyVaultService = Caller(objectId: "cfa8b339-82a2-471a-a3c9-0fc0be7a4093", name: "Azure Key Vault (rotation policy)",
                                               isTrustedService: true, isKeyVaultService: true)
}

extension World {
    public var operatorCaller: Caller {
        Caller(objectId: signedInUser.objectId, name: signedInUser.userPrincipalName, isTrustedService: false)
    }
}
