import Foundation

/// Damage a game day penalises because no later command can undo it.
public struct Harm: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case keyPurged = "key-purged"
        case vaultPurged = "vault-purged"
        case consumerDeleted = "consumer-deleted"
        /// A key's name now holds new key material: whatever the old versions sealed is gone.
        case keyRecreated = "key-recreated"
        case dataUnreadable = "data-unreadable"

        public var defaultPenalty: Int {
            switch self {
            case .keyPurged, .vaultPurged: return 100
            case .consumerDeleted: return 60
            case .keyRecreated: return 40
            case .dataUnreadable: return 80
            }
        }

        public var summary: String {
            switch self {
            case .keyPurged: return "a key was purged: every version, and what it sealed, is gone for good"
            case .vaultPurged: return "a vault was purged with its keys"
            case .consumerDeleted: return "a server or namespace was deleted"
            case .keyRecreated: return "a key was recreated instead of recovered: the old versions are gone"
            case .dataUnreadable: return "workload data could not be read back at the end"
            }
        }
    }

    public let kind: Kind
    public let resource: String

    public init(kind: Kind, resource: String) {
        self.kind = kind
        self.resource = resource
    }
}

extension World {
    /// The irreversible harm between two states of the world: what one command did.
    public func harms(since before: World) -> [Harm] {
        var out = [Harm]()
        // Only what changed is compared (a table's change log knows it), so a command costs the
        // same in a vault of ten keys as in one of ten thousand.
        for (name, old) in before.vaults.merging(
            before.deletedVaults.mapValues(\.vault), uniquingKeysWith: { a, _ in a })
        {
            guard let now = vaults[name] ?? deletedVaults[name]?.vault else { continue }
            for (k, value) in now.deletedKeys.changes(since: old.deletedKeys) where value == nil && now.keys[k] == nil {
                out.append(Harm(kind: .keyPurged, resource: old.kid(old.deletedKeys[k]?.key.name ?? k)))
            }
            for (k, value) in now.keys.changes(since: old.keys) {
                guard let fresh = value, let earlier = old.keys[k] ?? old.deletedKeys[k]?.key else { continue }
                let kept = Set(earlier.versions.map(\.version))
                if !fresh.versions.contains(where: { kept.contains($0.version) }) {
                    out.append(Harm(kind: .keyRecreated, resource: old.kid(earlier.name)))
                }
            }
        }
        for (name, d) in before.deletedVaults where deletedVaults[name] == nil && vaults[name] == nil {
            out.append(Harm(kind: .vaultPurged, resource: vaultID(d.vault)))
        }
        // A consumer deleted: gone, or (a Flexible Server) only revivable for a while.
        let live = { (w: World) in w.consumers().filter { $0.state.state != ConsumerState.dropped }.map(\.id) }
        let still = Set(live(self))
        for id in live(before) where !still.contains(id) {
            out.append(Harm(kind: .consumerDeleted, resource: id))
        }
        return out.sorted { ($0.kind.rawValue, $0.resource) < ($1.kind.rawValue, $1.resource) }
    }
}
