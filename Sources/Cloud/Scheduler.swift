import Foundation

/// Everything time-driven happens as an event here, processed in time order while the clock moves.
public struct Scheduler: Codable, Sendable, Equatable {
    public private(set) var events: [ScheduledEvent] = []
    private var nextSequence: UInt64 = 0

    public init() {}

    public mutating func schedule(_ action: ScheduledAction, at time: Date) {
        nextSequence += 1
        let e = ScheduledEvent(at: time, sequence: nextSequence, action: action)
        let i = events.firstIndex { ($0.at, $0.sequence) > (e.at, e.sequence) } ?? events.count
        events.insert(e, at: i)
    }

    /// Schedules unless the same action is already due at the same time.
    public mutating func scheduleOnce(_ action: ScheduledAction, at time: Date) {
        guard !events.contains(where: { $0.action == action && $0.at == time }) else { return }
        schedule(action, at: time)
    }

    mutating func popDue(before limit: Date) -> ScheduledEvent? {
        guard let first = events.first, first.at <= limit else { return nil }
        return events.removeFirst()
    }

    public mutating func cancel(where predicate: (ScheduledAction) -> Bool) {
        events.removeAll { predicate($0.action) }
    }
}

public struct ScheduledEvent: Codable, Sendable, Equatable {
    public let at: Date
    public let sequence: UInt64
    public let action: ScheduledAction
    /// For an event the clock reports: how many more times it ran with nothing changed, the last
    /// at `repeatedUntil` (never stored in the scheduler).
    public var repeats: Int? = nil
    public var repeatedUntil: Date? = nil
}

public enum ScheduledAction: Codable, Sendable, Equatable {
    case completeResourceGroupDeletion(name: String)
    /// A soft-deleted vault reaches its scheduled purge date.
    case purgeDeletedVault(name: String, deletionDate: Date)
    /// A soft-deleted key reaches its scheduled purge date.
    case purgeDeletedKey(vault: String, key: String, deletedDate: Date)
    /// A rotation policy's Rotate or Notify action may be due for a key's current version.
    case keyLifetimeActions(vault: String, key: String)
    /// A PostgreSQL server with a customer-managed key checks it (by lowercased server name).
    case postgresKeyCheck(server: String)
    /// A Service Bus namespace with customer-managed keys polls them (by lowercased name).
    case serviceBusKeyPoll(namespace: String)
    /// A PostgreSQL Flexible Server with customer-managed keys revalidates them (lowercased name).
    case flexibleServerKeyCheck(server: String)
    /// A deleted Flexible Server can no longer be revived (lowercased name, when it was deleted).
    case expireDroppedFlexibleServer(name: String, deletedAt: Date)

    /// A consumer's key check or poll: it reads keys and changes only its consumer and the audit
    /// log, so a run of them cannot change another's inputs. Every other action may.
    public var isKeyCheck: Bool {
        switch self {
        case .postgresKeyCheck, .serviceBusKeyPoll, .flexibleServerKeyCheck: return true
        default: return false
        }
    }

    /// What happened, for `clock advance -v`.
    public var summary: String {
        switch self {
        case .completeResourceGroupDeletion(let name): return "resource group \(name) finishes deleting"
        case .purgeDeletedVault(let name, _): return "deleted vault \(name) is purged (its retention ended)"
        case .purgeDeletedKey(let vault, let key, _):
            return "deleted key \(key) of vault \(vault) is purged (its retention ended)"
        case .keyLifetimeActions(let vault, let key): return "key \(key) of vault \(vault): rotation policy actions"
        case .postgresKeyCheck(let server): return "PostgreSQL server \(server) checks its key"
        case .serviceBusKeyPoll(let namespace): return "Service Bus namespace \(namespace) polls its keys"
        case .flexibleServerKeyCheck(let server): return "PostgreSQL flexible server \(server) revalidates its keys"
        case .expireDroppedFlexibleServer(let name, _):
            return "deleted PostgreSQL flexible server \(name) can no longer be revived"
        }
    }
}
