import DequeModule
import Foundation

/// Everything time-driven happens as an event here, processed in time order while the clock moves.
/// A tick of a thousand due key checks asks, for each, for that action's next event and whether
/// anything else comes first, then cancels and reschedules it: an index answers those without
/// scanning the queue, so the tick costs in proportion to its checks, not their square.
public struct Scheduler: Codable, Sendable, Equatable {
    /// In time order (ties in the order they were scheduled).
    public private(set) var events: Deque<ScheduledEvent> = []
    private var nextSequence: UInt64 = 0
    /// Derived from `events`, never stored: each action's events, and the events that are not key
    /// checks (the barrier a run of unchanged checks may not pass), each in time order.
    private var byAction: [ScheduledAction: [Slot]] = [:]
    private var barriers: [Slot] = []

    private struct Slot: Comparable, Sendable {
        let at: Date
        let sequence: UInt64
        init(_ e: ScheduledEvent) { (at, sequence) = (e.at, e.sequence) }
        static func < (a: Slot, b: Slot) -> Bool { (a.at, a.sequence) < (b.at, b.sequence) }
    }

    private enum CodingKeys: String, CodingKey { case events, nextSequence }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        events = try c.decode(Deque<ScheduledEvent>.self, forKey: .events)
        nextSequence = try c.decode(UInt64.self, forKey: .nextSequence)
        for e in events { index(e) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(events, forKey: .events)
        try c.encode(nextSequence, forKey: .nextSequence)
    }

    public static func == (a: Scheduler, b: Scheduler) -> Bool {
        a.events == b.events && a.nextSequence == b.nextSequence
    }

    public mutating func schedule(_ action: ScheduledAction, at time: Date) {
        nextSequence += 1
        let e = ScheduledEvent(at: time, sequence: nextSequence, action: action)
        events.insert(e, at: Self.insertionPoint(of: Slot(e), in: events, slot: Slot.init))
        index(e)
    }

    /// Schedules unless the same action is already due at the same time.
    public mutating func scheduleOnce(_ action: ScheduledAction, at time: Date) {
        guard !(byAction[action] ?? []).contains(where: { $0.at == time }) else { return }
        schedule(action, at: time)
    }

    mutating func popDue(before limit: Date) -> ScheduledEvent? {
        guard let first = events.first, first.at <= limit else { return nil }
        events.removeFirst()
        unindex(first)
        return first
    }

    /// The earliest pending event of `action`.
    func next(_ action: ScheduledAction) -> Date? { byAction[action]?.first?.at }

    /// When the earliest pending event that is not a key check falls due.
    var firstBarrier: Date? { barriers.first?.at }

    /// Cancels every pending event of `action`.
    public mutating func cancel(_ action: ScheduledAction) {
        guard let slots = byAction.removeValue(forKey: action) else { return }
        for slot in slots {
            let i = Self.insertionPoint(of: slot, in: events, slot: Slot.init)
            if i > 0, Slot(events[i - 1]) == slot { events.remove(at: i - 1) }
            if !action.isKeyCheck { Self.remove(slot, from: &barriers) }
        }
    }

    public mutating func cancel(where predicate: (ScheduledAction) -> Bool) {
        for action in byAction.keys.filter(predicate) { cancel(action) }
    }

    private mutating func index(_ e: ScheduledEvent) {
        let slot = Slot(e)
        var slots = byAction.removeValue(forKey: e.action) ?? []
        slots.insert(slot, at: Self.insertionPoint(of: slot, in: slots))
        byAction[e.action] = slots
        if !e.action.isKeyCheck { barriers.insert(slot, at: Self.insertionPoint(of: slot, in: barriers)) }
    }

    private mutating func unindex(_ e: ScheduledEvent) {
        let slot = Slot(e)
        Self.remove(slot, from: &byAction[e.action, default: []])
        if byAction[e.action]?.isEmpty ?? false { byAction[e.action] = nil }
        if !e.action.isKeyCheck { Self.remove(slot, from: &barriers) }
    }

    private static func remove(_ slot: Slot, from slots: inout [Slot]) {
        let i = insertionPoint(of: slot, in: slots)
        if i > 0, slots[i - 1] == slot { slots.remove(at: i - 1) }
    }

    private static func insertionPoint(of slot: Slot, in slots: [Slot]) -> Int {
        insertionPoint(of: slot, in: slots) { $0 }
    }

    /// The index after every element that sorts before or equal to `slot` (binary search).
    private static func insertionPoint<C: RandomAccessCollection>(
        of slot: Slot, in c: C, slot key: (C.Element) -> Slot
    ) -> Int where C.Index == Int {
        var lo = c.startIndex
        var hi = c.endIndex
        while lo < hi {
            let mid = (lo + hi) / 2
            if slot < key(c[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
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

public enum ScheduledAction: Codable, Sendable, Hashable {
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
    /// A game day's drawn fault falls due (by its place in the draw).
    case injectFault(index: Int)
    /// A game day fault with a duration is lifted.
    case liftFault(index: Int)
    /// A game day samples its steady-state probes.
    case sampleProbes

    /// A game day's own events: hidden from what players see (`status`, `clock advance -v`).
    public var isGameDay: Bool {
        switch self {
        case .injectFault, .liftFault, .sampleProbes: return true
        default: return false
        }
    }

    /// A consumer's key check or poll (the only place that names each kind's event): it reads
    /// keys and changes only its consumer and the audit log, so a run of them cannot change
    /// another's inputs. Every other action may.
    var keyCheck: (kind: ConsumerKind, name: String)? {
        switch self {
        case .postgresKeyCheck(let server): return (.postgresSingleServer, server)
        case .flexibleServerKeyCheck(let server): return (.postgresFlexibleServer, server)
        case .serviceBusKeyPoll(let namespace): return (.serviceBusNamespace, namespace)
        default: return nil
        }
    }

    public var isKeyCheck: Bool { keyCheck != nil }

    /// What happened, for `clock advance -v`.
    public var summary: String {
        if let c = keyCheck { return c.kind.keyCheck.summary(c.name) }
        switch self {
        case .completeResourceGroupDeletion(let name): return "resource group \(name) finishes deleting"
        case .purgeDeletedVault(let name, _): return "deleted vault \(name) is purged (its retention ended)"
        case .purgeDeletedKey(let vault, let key, _):
            return "deleted key \(key) of vault \(vault) is purged (its retention ended)"
        case .keyLifetimeActions(let vault, let key): return "key \(key) of vault \(vault): rotation policy actions"
        case .postgresKeyCheck, .serviceBusKeyPoll, .flexibleServerKeyCheck: return ""
        case .expireDroppedFlexibleServer(let name, _):
            return "deleted PostgreSQL flexible server \(name) can no longer be revived"
        case .injectFault, .liftFault, .sampleProbes: return "game day"
        }
    }
}
