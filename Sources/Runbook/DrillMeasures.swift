import Cloud
import Foundation

/// One consumer's loss of its key and what followed, read off the activity log in virtual time:
/// the fault that caused it, how long until the consumer noticed (time to detect), the fix, how
/// long until it was usable again (time to recover), and the data read back afterwards.
public struct ConsumerMeasure: Codable, Sendable, Equatable {
    public let resource: String
    public let resourceType: String
    /// The fault: the last key, vault, identity, access or network change (or a key's state
    /// falling due) at or before the loss.
    public var fault: String?
    public var faultAt: Date?
    public let lostAt: Date
    public var timeToDetectSeconds: Double?
    /// The last change between the loss and the recovery; none when the consumer came back by itself.
    public var fix: String?
    public var fixAt: Date?
    public var recoveredAt: Date?
    public var timeToRecoverSeconds: Double?
    /// Loss to recovery: how long the consumer could not be used.
    public var outageSeconds: Double?
    /// The first read-back after the recovery that found every row or message intact.
    public var dataVerified: String?
    public var dataVerifiedAt: Date?

    public var name: String { ActivityEvent.shortName(resource) }
}

public enum DrillMeasures {
    /// Changes that can take a key away from its consumers (or give it back).
    static let accessOperations = [
        "az keyvault", "az role assignment", "az identity", "az network", "rotation policy", "portal keyvault",
    ]

    static func isAccessChange(_ e: ActivityEvent) -> Bool {
        guard e.kind == .change, let op = e.operation else { return false }
        return accessOperations.contains { op.hasPrefix($0) }
    }

    static func isKeySideState(_ e: ActivityEvent) -> Bool {
        e.kind == .state
            && [ResourceType.key, ResourceType.vault, ResourceType.identity].contains(e.resourceType ?? "")
    }

    /// A key, vault or identity leaving service: what can be a fault without a command (an expiry).
    static func isKeySideLoss(_ e: ActivityEvent) -> Bool {
        isKeySideState(e) && ![KeyState.enabled, ObservedState.exists, ObservedState.active].contains(e.state ?? "")
    }

    public static func compute(_ events: [ActivityEvent]) -> [ConsumerMeasure] {
        var open = [String: ConsumerMeasure]()
        var done = [ConsumerMeasure]()
        // Consumers with an earlier state: one first seen Inaccessible was made so.
        var seen = Set<String>()
        for (n, e) in events.enumerated() {
            guard e.kind == .state, ResourceType.consumers.contains(e.resourceType ?? "") else { continue }
            let earlier = events[..<n]
            defer { seen.insert(e.resource) }
            if e.state == ConsumerState.inaccessible, open[e.resource] == nil {
                var m = ConsumerMeasure(resource: e.resource, resourceType: e.resourceType ?? "", lostAt: e.time)
                if seen.insert(e.resource).inserted {
                    // Made without access to its key (a copy that must be revalidated): the
                    // command that made it is the fault, noticed as it was made.
                    let made =
                        earlier.last { $0.kind == .change && $0.resource == e.resource }
                        ?? earlier.last { $0.kind == .change }
                    m.fault = "created without access to its key" + (made.map { ": " + describe($0) } ?? "")
                    m.faultAt = made?.time ?? e.time
                    m.timeToDetectSeconds = e.time.timeIntervalSince(m.faultAt!)
                } else if var f = latest(events, before: n, where: { isAccessChange($0) || isKeySideLoss($0) }) {
                    // A key's state and the change that made it share an instant: name the act.
                    if f.kind == .state,
                        let act = events[..<n].last(where: { isAccessChange($0) && $0.time == f.time })
                    {
                        f = act
                    }
                    m.fault = describe(f)
                    m.faultAt = f.time
                    m.timeToDetectSeconds = e.time.timeIntervalSince(f.time)
                }
                open[e.resource] = m
            } else if let state = e.state, ConsumerState.healthy.contains(state), var m = open[e.resource] {
                m.recoveredAt = e.time
                m.outageSeconds = e.time.timeIntervalSince(m.lostAt)
                let sinceLoss = earlier.filter { $0.time >= m.lostAt }
                let fix =
                    sinceLoss.last { $0.kind == .change }
                    ?? latest(events, before: n) {
                        ($0.time > (m.faultAt ?? m.lostAt)) && (isAccessChange($0) || isKeySideState($0))
                    }
                if let fix {
                    m.fix = describe(fix)
                    m.fixAt = fix.time
                    m.timeToRecoverSeconds = e.time.timeIntervalSince(fix.time)
                }
                open[e.resource] = nil
                done.append(m)
            }
        }
        done += open.values.sorted { $0.lostAt < $1.lostAt }
        // The data read back after each recovery.
        for i in done.indices {
            guard let back = done[i].recoveredAt else { continue }
            if let d = events.first(where: { $0.kind == .data && $0.resource == done[i].resource && $0.time >= back }) {
                done[i].dataVerified = d.detail
                done[i].dataVerifiedAt = d.time
            }
        }
        return done.sorted { ($0.lostAt, $0.resource) < ($1.lostAt, $1.resource) }
    }

    /// The latest matching event that came before the one at `index`: logged before it, or a
    /// state dated back to its time or earlier (a key's expiry is seen after the poll it failed);
    /// only a loss is ever dated back, so only a loss may stand after it in the log.
    static func latest(
        _ events: [ActivityEvent], before index: Int, where match: (ActivityEvent) -> Bool
    )
        -> ActivityEvent?
    {
        let time = events[index].time
        return events.enumerated().filter { i, e in
            match(e) && (i < index || (isKeySideLoss(e) && e.time <= time))
        }.max { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }?.element
    }

    static func describe(_ e: ActivityEvent) -> String {
        let name = ActivityEvent.shortName(e.resource)
        switch e.kind {
        case .change: return "\(e.operation ?? "change") (\(name))"
        case .state: return "\(name) \(e.state ?? "")"
        case .data: return e.detail ?? ""
        case .refused: return "\(e.operation ?? "request") refused (\(name))"
        }
    }
}
