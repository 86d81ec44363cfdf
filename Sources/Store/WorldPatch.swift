import Cloud
import Foundation

/// What one command changed in a world's core: only the top-level fields that differ, and per
/// entry for the keyed collections (nil removes an entry). Vaults are compared without their keys:
/// keys and the audit log are tables, journaled entry by entry (`World.storedTables`). The state
/// directory journals these instead of rewriting the whole world after every command.
public struct WorldPatch: Codable, Sendable, Equatable {
    public var now: Date?
    public var ids: IdentifierSource?
    public var settings: WorldSettings?
    public var scheduler: Scheduler?
    public var resourceGroups: [String: ResourceGroup?]?
    public var vaults: [String: Vault?]?
    public var deletedVaults: [String: DeletedVault?]?
    public var identities: [String: UserAssignedIdentity?]?
    public var postgresServers: [String: PostgresServer?]?
    public var flexibleServers: [String: FlexibleServer?]?
    public var droppedFlexibleServers: [String: DroppedFlexibleServer?]?
    public var serviceBusNamespaces: [String: ServiceBusNamespace?]?
    public var virtualNetworks: [String: VirtualNetwork?]?
    public var roleAssignments: [RoleAssignment]?
    public var signIn: SignIn?
    /// The wall-clock anchor as a number (0: none), so that clearing it is a change a patch carries.
    public var wallAnchor: Double?
    /// Format 1 journals carried the audit log here (records appended, or the whole log); read
    /// when such a state directory is loaded, never written.
    public var auditAppend: [AuditRecord]?
    public var audit: [AuditRecord]?
    /// The activity events appended by the command, with the states as it left them; the whole
    /// log when it did not only append (a rewind).
    public var activityAppend: [ActivityEvent]?
    /// Per resource: its new state, or nil when it is no longer followed.
    public var activityStates: [String: ObservedState?]?
    public var activity: ActivityLog?
    public var gameDay: GameDayRecord?
    public var regionOutages: Set<String>?

    public init(from old: World, to new: World) {
        func changed<T: Equatable>(_ a: T, _ b: T) -> T? { a == b ? nil : b }
        func entries<V: Equatable>(_ a: [String: V], _ b: [String: V]) -> [String: V?]? {
            a == b ? nil : entries(a, b, comparing: { $0 })
        }
        // Vaults are compared and carried without their tables (journaled apart).
        func entries<V: Equatable>(_ a: [String: V], _ b: [String: V], comparing key: (V) -> V) -> [String: V?]? {
            var out = [String: V?]()
            for (k, v) in b where a[k].map(key) != key(v) { out[k] = .some(key(v)) }
            for k in a.keys where b[k] == nil { out[k] = .some(nil) }
            return out.isEmpty ? nil : out
        }
        now = changed(old.now, new.now)
        ids = changed(old.ids, new.ids)
        settings = changed(old.settings, new.settings)
        scheduler = changed(old.scheduler, new.scheduler)
        resourceGroups = entries(old.resourceGroups, new.resourceGroups)
        vaults = entries(old.vaults, new.vaults) { $0.withoutTables }
        deletedVaults = entries(old.deletedVaults, new.deletedVaults) { d in
            var core = d
            core.vault = d.vault.withoutTables
            return core
        }
        identities = entries(old.identities, new.identities)
        postgresServers = entries(old.postgresServers, new.postgresServers)
        flexibleServers = entries(old.flexibleServers, new.flexibleServers)
        droppedFlexibleServers = entries(old.droppedFlexibleServers, new.droppedFlexibleServers)
        serviceBusNamespaces = entries(old.serviceBusNamespaces, new.serviceBusNamespaces)
        virtualNetworks = entries(old.virtualNetworks, new.virtualNetworks)
        roleAssignments = changed(old.roleAssignments, new.roleAssignments)
        signIn = changed(old.signIn, new.signIn)
        wallAnchor = old.wallAnchor == new.wallAnchor ? nil : new.wallAnchor?.timeIntervalSince1970 ?? 0
        gameDay = old.gameDay == new.gameDay ? nil : new.gameDay
        regionOutages = changed(old.regionOutages, new.regionOutages)
        let (a, b) = (old.activity, new.activity)
        if a.events.count <= b.events.count, a.events.last.map({ b.events[a.events.count - 1] == $0 }) ?? true {
            if b.events.count > a.events.count { activityAppend = Array(b.events.dropFirst(a.events.count)) }
            activityStates = entries(a.states, b.states)
        } else {
            activity = b
        }
    }

    public var isEmpty: Bool { self == WorldPatch() }

    /// The activity log's observations are all it carries: nothing a command did.
    var onlyObserves: Bool {
        var rest = self
        rest.activityAppend = nil
        rest.activityStates = nil
        rest.activity = nil
        return rest.isEmpty && activityAppend?.allSatisfy({ $0.kind == .state }) ?? true
    }

    init() {}
}

extension World {
    public mutating func apply(_ p: WorldPatch) {
        func merge<V>(_ target: inout [String: V], _ changes: [String: V?]?) {
            for (k, v) in changes ?? [:] { target[k] = v }
        }
        if let v = p.now { now = v }
        if let v = p.ids { ids = v }
        if let v = p.settings { settings = v }
        if let v = p.scheduler { scheduler = v }
        merge(&resourceGroups, p.resourceGroups)
        merge(&vaults, p.vaults)
        merge(&deletedVaults, p.deletedVaults)
        merge(&identities, p.identities)
        merge(&postgresServers, p.postgresServers)
        merge(&flexibleServers, p.flexibleServers)
        merge(&droppedFlexibleServers, p.droppedFlexibleServers)
        merge(&serviceBusNamespaces, p.serviceBusNamespaces)
        merge(&virtualNetworks, p.virtualNetworks)
        if let v = p.roleAssignments { roleAssignments = v }
        if let v = p.signIn { signIn = v }
        if let v = p.wallAnchor { wallAnchor = v == 0 ? nil : Date(timeIntervalSince1970: v) }
        if let v = p.audit { audit = AuditLog(); v.forEach { audit.append($0) } }
        if let v = p.auditAppend { v.forEach { audit.append($0) } }
        if let v = p.activity { activity = v }
        if let v = p.activityAppend { activity.append(contentsOf: v) }
        if let changes = p.activityStates { activity.updateStates(changes) }
        if let v = p.gameDay { gameDay = v }
        if let v = p.regionOutages { regionOutages = v }
    }
}
