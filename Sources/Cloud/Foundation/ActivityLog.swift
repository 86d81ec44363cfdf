import Foundation

/// What happened to the resources, in time order, beside the key-operation audit: the
/// control-plane changes (who changed what), every state a resource passed through (a server
/// going Inaccessible, a key disabled or expiring, a vault soft-deleted), and the data a workload
/// read back. It grows with what changed, never with the polls that found nothing new, so a
/// quiet year adds nothing. Reports draw their timeline and measures from it alone.
public struct ActivityLog: Codable, Sendable, Equatable {
    /// The events so far, in time order.
    public var events: ArraySlice<ActivityEvent> { store.prefix(count) }
    /// Each resource's last recorded state, by resource id: what the next observation compares to.
    public private(set) var states: [String: ObservedState] = [:]
    private var store = EventStore()
    private var count = 0

    public init() {}

    public enum CodingKeys: String, CodingKey { case events, states }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let events = try c.decode([ActivityEvent].self, forKey: .events)
        store = EventStore(events)
        count = events.count
        states = try c.decode([String: ObservedState].self, forKey: .states)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Array(events), forKey: .events)
        try c.encode(states, forKey: .states)
    }

    public static func == (a: ActivityLog, b: ActivityLog) -> Bool {
        a.count == b.count && a.states == b.states && (a.store === b.store || a.events == b.events)
    }

    public func events(since count: Int) -> ArraySlice<ActivityEvent> { events.dropFirst(min(count, events.count)) }

    mutating func append(_ e: ActivityEvent) { append(contentsOf: [e]) }

    /// A journal record carries only the events appended since the last one.
    public mutating func append(contentsOf more: [ActivityEvent]) {
        guard !more.isEmpty else { return }
        if !store.append(more, at: count) { store = EventStore(Array(events) + more) }
        count += more.count
    }

    /// Sets (or, with nil, removes) some resources' states in place: a journal replays one
    /// command's few changes, and copying every state for each would make loading quadratic.
    public mutating func updateStates(_ changes: [String: ObservedState?]) {
        for (id, state) in changes { states[id] = state }
    }

    /// Compares `current` with the last recorded states and records each difference at `now`, or
    /// when it fell due for a state time alone brings about (a key's `exp`): the last observation
    /// saw the state before it, so that instant lies between the two. `scope` limits the comparison to some
    /// resources (a key check looks at its own server only); a resource of the scope missing
    /// from `current` is gone.
    mutating func observe(_ current: [String: ObservedState], now: Date, scope: Set<String>? = nil) {
        var batch = [ActivityEvent]()
        for (id, s) in current where states[id]?.state != s.state {
            // Only a change time alone brings about is dated back; any other was made now.
            var at = now
            if let due = s.since, let previous = states[id]?.state, s.dueFrom.contains(previous) { at = min(due, now) }
            batch.append(
                .init(
                    time: at, kind: .state, resource: id, resourceType: s.type, state: s.state,
                    previous: states[id]?.state))
            states[id] = s
        }
        // A key check names its one consumer: looking through every state would make a tick of many
        // checks quadratic.
        let vanished = scope.map { $0.compactMap { id in states[id].map { (id, $0) } } } ?? states.map { ($0, $1) }
        for (id, old) in vanished where current[id] == nil {
            let gone = old.state == ObservedState.softDeleted ? ObservedState.purged : ObservedState.deleted
            batch.append(
                .init(
                    time: now, kind: .state, resource: id, resourceType: old.type, state: gone,
                    previous: old.state))
            states[id] = nil
        }
        append(contentsOf: batch.sorted { ($0.time, $0.resource) < ($1.time, $1.resource) })
    }
}

/// The events of a log and of its copies. Every command works on a copy of the world (the one
/// loaded stays, to write the difference), and copying every event at each command's first
/// append made a long session quadratic. Copies share one store: a copy whose events end where
/// the store ends appends in place, and each sees only its own `count` of them; a copy that
/// appends behind the end (another copy went further) starts a store of its own.
final class EventStore: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [ActivityEvent]

    init(_ events: [ActivityEvent] = []) { self.events = events }

    func prefix(_ n: Int) -> ArraySlice<ActivityEvent> {
        lock.lock()
        defer { lock.unlock() }
        return events[0..<n]
    }

    /// Appends when the store ends at `count`; false when it went further.
    func append(_ more: [ActivityEvent], at count: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard events.count == count else { return false }
        events.append(contentsOf: more)
        return true
    }
}

/// A resource's state as the timeline shows it, with its ARM type.
public struct ObservedState: Codable, Sendable, Equatable {
    public let type: String
    public let state: String
    /// When a state that a date brings about (a key expiring or becoming valid) fell due, and the
    /// states from which time alone leads to it.
    public var since: Date?
    public var dueFrom: [String] = []

    public init(type: String, state: String, since: Date? = nil, dueFrom: [String] = []) {
        self.type = type
        self.state = state
        self.since = since
        self.dueFrom = dueFrom
    }

    public static let softDeleted = "Soft-deleted"
    public static let purged = "Purged"
    public static let deleted = "Deleted"
    /// A vault in service, an identity that exists.
    public static let active = "Active"
    public static let exists = "Exists"
}

public struct ActivityEvent: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// A control-plane (or key-attribute) change: who, which operation, on what.
        case change
        /// A resource entered a new state.
        case state
        /// A workload read its data back whole.
        case data
        /// A control-plane request Azure refused (AuthorizationFailed): who asked, which
        /// operation, on what scope, and the action the caller lacked.
        case refused
    }
    public let time: Date
    public let kind: Kind
    /// The resource's id: an ARM id, or a key's versionless identifier.
    public let resource: String
    public var resourceType: String?
    /// change: the principal that made it (a user, an identity, or Azure itself).
    public var caller: String?
    /// change: the operation (the az command, or what Azure did on schedule).
    public var operation: String?
    /// state: the new state and the one before it.
    public var state: String?
    public var previous: String?
    /// change: the options given; data: what was read back.
    public var detail: String?

    public init(
        time: Date, kind: Kind, resource: String, resourceType: String? = nil, caller: String? = nil,
        operation: String? = nil, state: String? = nil, previous: String? = nil, detail: String? = nil
    ) {
        self.time = time
        self.kind = kind
        self.resource = resource
        self.resourceType = resourceType
        self.caller = caller
        self.operation = operation
        self.state = state
        self.previous = previous
        self.detail = detail
    }
}

extension ActivityEvent {
    /// A resource's name as a person says it: an ARM id's last segment, a key id's key name.
    public static func shortName(_ id: String) -> String {
        let parts = id.split(separator: "/").map(String.init)
        if let k = parts.firstIndex(of: "keys"), k + 1 < parts.count {
            // A key version (a consumer pinned to it) is named with the start of its version.
            return parts[k + 1] + (k + 2 < parts.count && parts[0] == "https:" ? " v" + parts[k + 2].prefix(8) : "")
        }
        return parts.last ?? id
    }
}
