import Foundation

/// What one command changed in a world: only the top-level fields that differ, per entry for the
/// keyed collections (nil removes an entry), and new audit records as an append. The state
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
    public var serviceBusNamespaces: [String: ServiceBusNamespace?]?
    public var roleAssignments: [RoleAssignment]?
    /// Records added at the end of the audit log.
    public var auditAppend: [AuditRecord]?
    /// The whole audit log, when it changed other than by appending.
    public var audit: [AuditRecord]?

    public init(from old: World, to new: World) {
        func changed<T: Equatable>(_ a: T, _ b: T) -> T? { a == b ? nil : b }
        func entries<V: Equatable>(_ a: [String: V], _ b: [String: V]) -> [String: V?]? {
            if a == b { return nil }
            var out = [String: V?]()
            for (k, v) in b where a[k] != v { out[k] = .some(v) }
            for k in a.keys where b[k] == nil { out[k] = .some(nil) }
            return out
        }
        now = changed(old.now, new.now)
        ids = changed(old.ids, new.ids)
        settings = changed(old.settings, new.settings)
        scheduler = changed(old.scheduler, new.scheduler)
        resourceGroups = entries(old.resourceGroups, new.resourceGroups)
        vaults = entries(old.vaults, new.vaults)
        deletedVaults = entries(old.deletedVaults, new.deletedVaults)
        identities = entries(old.identities, new.identities)
        postgresServers = entries(old.postgresServers, new.postgresServers)
        serviceBusNamespaces = entries(old.serviceBusNamespaces, new.serviceBusNamespaces)
        roleAssignments = changed(old.roleAssignments, new.roleAssignments)
        if old.audit != new.audit {
            if new.audit.count > old.audit.count, Array(new.audit.prefix(old.audit.count)) == old.audit {
                auditAppend = Array(new.audit.dropFirst(old.audit.count))
            } else {
                audit = new.audit
            }
        }
    }

    public var isEmpty: Bool { self == WorldPatch() }

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
        merge(&serviceBusNamespaces, p.serviceBusNamespaces)
        if let v = p.roleAssignments { roleAssignments = v }
        if let v = p.audit { audit = v }
        if let v = p.auditAppend { audit += v }
    }
}
