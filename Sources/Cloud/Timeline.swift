import Foundation

/// "What just happened, and why": each state a consumer entered, with the event that caused it
/// and the key operation its service made at that moment. Read off the activity log and the
/// audit log; nothing is stored for it.
public struct TimelineEntry: Sendable, Equatable {
    public let time: Date
    public let resource: String
    public let resourceType: String
    public let state: String
    public let previous: String?
    /// The latest change or state, before this one, of the consumer itself or of a key, vault or
    /// identity it depends on (its role assignments included), in a few words.
    public let cause: String?
    public let causeTime: Date?
    /// The consumer's own key operation at that moment: "KeyWrap ForbiddenByRbac".
    public let keyOperation: String?
}

extension World {
    public func timeline(resource: String? = nil, since: Date? = nil) -> [TimelineEntry] {
        let events = Array(activity.events)
        let deps = keyDependencies()
        var out = [TimelineEntry]()
        for (i, e) in events.enumerated() where e.kind == .state {
            guard let type = e.resourceType, ResourceType.consumers.contains(type) else { continue }
            let name = ActivityEvent.shortName(e.resource)
            if let resource, name.lowercased() != resource.lowercased() { continue }
            if let since, e.time < since { continue }
            let mine = deps.filter { $0.consumer.lowercased() == e.resource.lowercased() }
            let related = relatedResources(mine)
            let cause = events[..<i].last { c in
                let r = c.resource.lowercased()
                guard r != e.resource.lowercased() else { return c.kind == .change }
                return c.kind != .data && related.contains { r == $0 || r.hasPrefix($0 + "/") }
            }
            out.append(
                TimelineEntry(
                    time: e.time, resource: e.resource, resourceType: type, state: e.state ?? "", previous: e.previous,
                    cause: cause.map(Self.describe), causeTime: cause?.time,
                    keyOperation: keyOperation(at: e.time, principals: Set(mine.compactMap(\.principalId)))))
        }
        return out
    }

    /// What a consumer depends on, as the events name it (an event on it or under it counts):
    /// its vaults' ids (their role assignments are under them), its keys' URLs, its identities.
    func relatedResources(_ deps: [KeyDependency]) -> Set<String> {
        var out = Set<String>()
        for d in deps {
            if let v = vaults[d.vault.lowercased()] ?? deletedVaults[d.vault.lowercased()]?.vault {
                out.insert(vaultID(v).lowercased())
            }
            out.insert("https://\(d.vault.lowercased()).vault.azure.net/keys/\(d.key.lowercased())")
            if let i = d.identity { out.insert(i.lowercased()) }
        }
        return out
    }

    /// An event in a few words: "key pg-key Disabled", "keyvault set-policy by admin".
    static func describe(_ e: ActivityEvent) -> String {
        let name = ActivityEvent.shortName(e.resource)
        switch e.kind {
        case .state:
            let type = (e.resourceType ?? "").split(separator: "/").last.map(String.init) ?? ""
            let noun = ["keys": "key", "vaults": "vault", "userAssignedIdentities": "identity"][type] ?? type
            return "\(noun) \(name) \(e.state ?? "")"
        case .change, .refused:
            let operation = e.operation ?? ""
            let op =
                operation.hasPrefix("az ")
                ? String(operation.dropFirst(3))
                : operation.split(separator: "/").suffix(2).joined(separator: "/")
            let who = (e.caller ?? "").split(separator: "@").first.map { String($0.split(separator: " ")[0]) } ?? ""
            return "\(op) by \(who)"
        case .data:
            return e.detail ?? ""
        }
    }

    /// The consumer's key operation in force at `time` (a run of identical outcomes covers it).
    func keyOperation(at time: Date, principals: Set<String>) -> String? {
        guard !principals.isEmpty else { return nil }
        // Records are in time order: look back from the last one that started by then.
        var lo = 0
        var hi = audit.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if audit[mid].firstTime <= time { lo = mid + 1 } else { hi = mid }
        }
        var i = lo - 1
        var looked = 0
        while i >= 0, looked < 512 {
            let r = audit[i]
            if principals.contains(r.principal), r.lastTime >= time {
                return "\(r.operation) \(r.result)"
            }
            i -= 1
            looked += 1
        }
        return nil
    }
}
