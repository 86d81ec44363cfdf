import Foundation

/// The whole emulated cloud as one value: copying it is a checkpoint, and every operation is a
/// mutating method that either succeeds or throws a `CloudError` leaving the world unchanged.
public struct World: Codable, Sendable, Equatable {
    public var now: Date
    public var ids: IdentifierSource
    public let subscription: Subscription
    /// The operator: the user signed in unless `signIn` says otherwise.
    public let signedInUser: Principal
    /// Who runs the az commands.
    public var signIn = SignIn.user
    /// The wall time the virtual clock last followed, while a clock rate is on.
    public var wallAnchor: Date?
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
    /// PostgreSQL Single Servers by lowercased name: server names are global DNS names.
    public var postgresServers: [String: PostgresServer] = [:]
    /// PostgreSQL Flexible Servers by lowercased name (the same DNS names as Single Server's).
    public var flexibleServers: [String: FlexibleServer] = [:]
    /// Deleted Flexible Servers that can still be revived, by lowercased name.
    public var droppedFlexibleServers: [String: DroppedFlexibleServer] = [:]
    /// Service Bus namespaces by lowercased name: namespace names are global DNS names.
    public var serviceBusNamespaces: [String: ServiceBusNamespace] = [:]
    /// Virtual networks by "resourcegroup/name", lowercased.
    public var virtualNetworks: [String: VirtualNetwork] = [:]
    /// Every key operation, successful or not, in time order.
    public var audit = AuditLog()
    /// Control-plane changes and state transitions, in time order (reports' timeline).
    public var activity = ActivityLog()
    /// Regions in an outage, by region name (`eastus`): their namespaces' data operations are
    /// refused. Resources keep the location as they were given it, so read it through `isDown`.
    public var regionOutages: Set<String> = []

    /// Whether a resource's location (`East US`, `eastus`) is in an outage.
    public func isDown(_ location: String) -> Bool {
        regionOutages.contains((try? Locations.resolve(location).name) ?? location.lowercased())
    }
    /// The game day being played in this world, if any.
    public var gameDay: GameDayRecord?
    /// While a key check runs: the audit records it writes, uncoalesced (never stored).
    var auditTap: [AuditRecord]? = nil

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
    /// Azure: a PostgreSQL server with a customer-managed key denies connections within 10 minutes
    /// of losing access to its key. Each server checks its key this often.
    public var postgresKeyCheckSeconds: Double = 600
    /// Azure: Service Bus polls a namespace's keys every 5 minutes.
    public var serviceBusKeyPollSeconds: Double = 300
    /// How long a key Service Bus could reach keeps working after it becomes unreachable (the
    /// seed's cache note; the preview said up to an hour). Default: the poll interval, so a lost
    /// key drops out at the next poll.
    public var serviceBusKeyCacheSeconds: Double = 300
    /// How long a geo-DR pairing, break or fail-over shows `Accepted` (the recordings saw about 2
    /// minutes).
    public var serviceBusGeoDRSettleSeconds: Double = 120
    /// Azure: a Flexible Server becomes Inaccessible "generally within 60 minutes" of losing its
    /// key, and Ready again within 60 minutes of the key coming back. Each server checks its keys
    /// this often.
    public var flexibleServerKeyCheckSeconds: Double = 3600
    /// Azure: geo-backups reach the paired region asynchronously ("wait at least one hour before
    /// initiating a geo-restore"); a geo-restore gets the data as of this long ago.
    public var flexibleGeoBackupLagSeconds: Double = 3600
    /// Azure: a deleted Flexible Server can be revived for 5 days.
    public var flexibleDroppedRetentionSeconds: Double = 432_000
    /// Azure: a Flexible Server takes a full snapshot backup right after creation and then once a
    /// day (`backup list`).
    public var flexibleBackupIntervalSeconds: Double = 86400
    /// Virtual seconds per wall second between two commands (0: off, the default, so drills stay
    /// deterministic). At 600 a script's `sleep 1` sees ten minutes pass, as a poll loop expects.
    public var clockRate: Double = 0
    /// A key check or poll whose inputs have not changed since the last one has the same outcome:
    /// on, it is known without the cryptography, a run of such checks between two changes costs
    /// one step whatever its length, and the audit log keeps one record per run of identical
    /// outcomes. Off, every check is made and recorded one by one (the comparison the tests make).
    public var coalesceKeyChecks: Bool = true

    public init() {}

    /// The values each timing may take, by its name: intervals that repeat at least
    /// `Limits.shortestInterval` (zero would make moving the clock loop forever), any delay at
    /// most `Limits.longestSetting`.
    public static func range(of name: String) -> ClosedRange<Double>? {
        switch name {
        case "postgresKeyCheckSeconds", "serviceBusKeyPollSeconds", "flexibleServerKeyCheckSeconds",
            "flexibleBackupIntervalSeconds":
            return Limits.shortestInterval...Limits.longestSetting
        case "resourceGroupDeletionSeconds", "roleAssignmentPropagationSeconds", "serviceBusKeyCacheSeconds",
            "serviceBusGeoDRSettleSeconds", "flexibleGeoBackupLagSeconds", "flexibleDroppedRetentionSeconds":
            return 0...Limits.longestSetting
        case "clockRate": return 0...Limits.longestSetting
        default: return nil
        }
    }
}

/// Collections and settings added in later versions decode as empty or default from an older
/// state file, so a world saved by an earlier keydrill still loads.
extension World {
    enum CodingKeys: String, CodingKey {
        case now, ids, subscription, signedInUser, settings, scheduler, resourceGroups, vaults, deletedVaults,
            roleAssignments
        case identities, postgresServers, serviceBusNamespaces, audit, signIn, wallAnchor, virtualNetworks
        case flexibleServers, droppedFlexibleServers, activity, gameDay, regionOutages
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        now = try c.decode(Date.self, forKey: .now)
        ids = try c.decode(IdentifierSource.self, forKey: .ids)
        subscription = try c.decode(Subscription.self, forKey: .subscription)
        signedInUser = try c.decode(Principal.self, forKey: .signedInUser)
        settings = try c.decodeIfPresent(WorldSettings.self, forKey: .settings) ?? WorldSettings()
        scheduler = try c.decodeIfPresent(Scheduler.self, forKey: .scheduler) ?? Scheduler()
        resourceGroups = try c.decodeIfPresent([String: ResourceGroup].self, forKey: .resourceGroups) ?? [:]
        vaults = try c.decodeIfPresent([String: Vault].self, forKey: .vaults) ?? [:]
        deletedVaults = try c.decodeIfPresent([String: DeletedVault].self, forKey: .deletedVaults) ?? [:]
        roleAssignments = try c.decodeIfPresent([RoleAssignment].self, forKey: .roleAssignments) ?? []
        identities = try c.decodeIfPresent([String: UserAssignedIdentity].self, forKey: .identities) ?? [:]
        postgresServers = try c.decodeIfPresent([String: PostgresServer].self, forKey: .postgresServers) ?? [:]
        serviceBusNamespaces =
            try c.decodeIfPresent([String: ServiceBusNamespace].self, forKey: .serviceBusNamespaces) ?? [:]
        audit = try c.decodeIfPresent(AuditLog.self, forKey: .audit) ?? AuditLog()
        signIn = try c.decodeIfPresent(SignIn.self, forKey: .signIn) ?? .user
        wallAnchor = try c.decodeIfPresent(Date.self, forKey: .wallAnchor)
        virtualNetworks = try c.decodeIfPresent([String: VirtualNetwork].self, forKey: .virtualNetworks) ?? [:]
        flexibleServers = try c.decodeIfPresent([String: FlexibleServer].self, forKey: .flexibleServers) ?? [:]
        droppedFlexibleServers =
            try c.decodeIfPresent([String: DroppedFlexibleServer].self, forKey: .droppedFlexibleServers) ?? [:]
        activity = try c.decodeIfPresent(ActivityLog.self, forKey: .activity) ?? ActivityLog()
        gameDay = try c.decodeIfPresent(GameDayRecord.self, forKey: .gameDay)
        regionOutages = try c.decodeIfPresent(Set<String>.self, forKey: .regionOutages) ?? []
    }
}

extension WorldSettings {
    enum CodingKeys: String, CodingKey {
        case resourceGroupDeletionSeconds, operatorAddress, roleAssignmentPropagationSeconds, postgresKeyCheckSeconds
        case serviceBusKeyPollSeconds, serviceBusKeyCacheSeconds, serviceBusGeoDRSettleSeconds, clockRate
        case coalesceKeyChecks, flexibleServerKeyCheckSeconds, flexibleGeoBackupLagSeconds
        case flexibleDroppedRetentionSeconds, flexibleBackupIntervalSeconds
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = WorldSettings()
        resourceGroupDeletionSeconds =
            try c.decodeIfPresent(Double.self, forKey: .resourceGroupDeletionSeconds) ?? d.resourceGroupDeletionSeconds
        operatorAddress = try c.decodeIfPresent(String.self, forKey: .operatorAddress) ?? d.operatorAddress
        roleAssignmentPropagationSeconds =
            try c.decodeIfPresent(Double.self, forKey: .roleAssignmentPropagationSeconds)
            ?? d.roleAssignmentPropagationSeconds
        postgresKeyCheckSeconds =
            try c.decodeIfPresent(Double.self, forKey: .postgresKeyCheckSeconds) ?? d.postgresKeyCheckSeconds
        serviceBusKeyPollSeconds =
            try c.decodeIfPresent(Double.self, forKey: .serviceBusKeyPollSeconds) ?? d.serviceBusKeyPollSeconds
        serviceBusKeyCacheSeconds =
            try c.decodeIfPresent(Double.self, forKey: .serviceBusKeyCacheSeconds) ?? d.serviceBusKeyCacheSeconds
        serviceBusGeoDRSettleSeconds =
            try c.decodeIfPresent(Double.self, forKey: .serviceBusGeoDRSettleSeconds) ?? d.serviceBusGeoDRSettleSeconds
        clockRate = try c.decodeIfPresent(Double.self, forKey: .clockRate) ?? d.clockRate
        coalesceKeyChecks = try c.decodeIfPresent(Bool.self, forKey: .coalesceKeyChecks) ?? d.coalesceKeyChecks
        flexibleServerKeyCheckSeconds =
            try c.decodeIfPresent(Double.self, forKey: .flexibleServerKeyCheckSeconds)
            ?? d.flexibleServerKeyCheckSeconds
        flexibleGeoBackupLagSeconds =
            try c.decodeIfPresent(Double.self, forKey: .flexibleGeoBackupLagSeconds) ?? d.flexibleGeoBackupLagSeconds
        flexibleDroppedRetentionSeconds =
            try c.decodeIfPresent(Double.self, forKey: .flexibleDroppedRetentionSeconds)
            ?? d.flexibleDroppedRetentionSeconds
        flexibleBackupIntervalSeconds =
            try c.decodeIfPresent(Double.self, forKey: .flexibleBackupIntervalSeconds)
            ?? d.flexibleBackupIntervalSeconds
    }
}
