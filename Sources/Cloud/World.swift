import Foundation

/// The whole emulated cloud as one value: copying it is a checkpoint, and every operation is a
/// mutating method that either succeeds or throws a `CloudError` leaving the world unchanged.
public struct World: Codable, Sendable, Equatable {
    public var now: Date
    public var ids: IdentifierSource
    public let subscription: Subscription
    /// The signed-in operator: the caller of every az command.
    public let signedInUser: Principal
    public var settings: WorldSettings
    public var scheduler = Scheduler()
    /// Keyed by lowercased name: ARM resource group names are case-insensitive.
    public var resourceGroups: [String: ResourceGroup] = [:]
    /// Key vaults by lowercased name: vault names are global DNS names.
    public var vaults: [String: Vault] = [:]
    public var deletedVaults: [String: DeletedVault] = [:]
    public var roleAssignments: [RoleAssignment] = []
    /// User-assigned identities by "resourcegroup/name", lowercased.
    public var identities: [String: UserAssignedIdentity] = [:]
    /// Every key operation, successful or not, in time order.
    public var audit: [AuditRecord] = []

    /// A new, empty world at `now` (truncated to whole seconds so runs print tidy times).
    public static func new(now: Date, seed: UInt64 = 1) -> World {
        var ids = IdentifierSource(seed: seed)
        let tenant = ids.guid()
        let subscription = Subscription(id: ids.guid(), name: "keydrill-subscription", tenantId: tenant)
        let user = Principal(objectId: ids.guid(), tenantId: tenant, userPrincipalName: "admin@contoso.com")
        return World(
            now: Date(timeIntervalSince1970: floor(now.timeIntervalSince1970)), ids: ids, subscription: subscription,
            signedInUser: user, settings: WorldSettings())
    }

    public var subscriptionPath: String { "/subscriptions/\(subscription.id)" }
}

public struct Subscription: Codable, Sendable, Equatable {
    public let id: String
    public let name: String
    public let tenantId: String
}

public struct Principal: Codable, Sendable, Equatable {
    public let objectId: String
    public let tenantId: String
    public let userPrincipalName: String
}

/// Timings that Azure documents as ranges; each is a world setting so a drill can tighten or
/// loosen it. The defaults are the documented figures.
public struct WorldSettings: Codable, Sendable, Equatable {
    /// `az group delete --no-wait` finishes this long after it was accepted (ARM deletes
    /// asynchronously; a plain `az group delete` waits, so it is immediate).
    public var resourceGroupDeletionSeconds: Double = 60
    /// Where the operator's az commands come from, as a vault firewall sees them (a documentation
    /// address, RFC 5737).
    public var operatorAddress: String = "203.0.113.10"
    /// Azure: role assignment changes can take up to 10 minutes to apply.
    public var roleAssignmentPropagationSeconds: Double = 600

    public init() {}
}
