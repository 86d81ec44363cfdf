import Foundation
import HashTreeCollections

/// Where the entries of a table not yet in memory are read from: the state directory's snapshot
/// and journal, read on demand so that a command pays for the entries it touches, not for the
/// whole world (a vault of 100,000 keys is not decoded to show one).
public protocol TableSource: AnyObject, Sendable {
    /// The entry stored under `key`, decoded; nil when there is none.
    func value<V: Decodable & Sendable>(_ type: V.Type, forKey key: String) -> V?
    /// The entry's stored bytes, copied as they are when a new snapshot is written.
    func storedBytes(forKey key: String) -> Data?
    /// Every key starting with `prefix`, in byte order.
    func keys(withPrefix prefix: String) -> [String]
}

/// The keys a table changed, newest first, as a persistent list: a copy of the world shares it,
/// and appending to one copy neither copies nor disturbs the other. Two tables whose newest nodes
/// are the same object share their whole history of changes.
final class ChangeLog: @unchecked Sendable {
    let key: String
    let depth: Int
    /// Only cleared, by deinit.
    private(set) var previous: ChangeLog?

    init(key: String, previous: ChangeLog?) {
        self.key = key
        self.previous = previous
        depth = (previous?.depth ?? 0) + 1
    }

    /// Releasing a long log node by node would recurse once per node; unlink it in a loop.
    deinit {
        var node = previous
        previous = nil
        while var n = node {
            node = nil
            guard isKnownUniquelyReferenced(&n) else { break }
            node = n.previous
            n.previous = nil
        }
    }

    /// The keys changed after `older`, when `older` is an earlier state of this log.
    func keys(after older: ChangeLog?) -> [String]? {
        var node: ChangeLog? = self
        var out = [String]()
        while let n = node, n.depth > (older?.depth ?? 0) {
            out.append(n.key)
            node = n.previous
        }
        return node === older ? out : nil
    }
}

/// A dictionary-like table whose entries come from a `TableSource` until they are changed in
/// memory. It keeps a log of the keys it changed so the store can journal exactly what one
/// command changed without comparing the whole table.
public struct LazyTable<Value: Codable & Sendable & Equatable>: Sendable {
    public private(set) var base: (any TableSource)?
    /// The keys in `base` are `prefix + key`.
    public private(set) var prefix: String
    /// Entries set (or removed, as nil) since the table was read from its base. A persistent
    /// map: the store keeps the world as last saved while a command changes a copy, and a
    /// session's changes accumulate, so copying must not cost the size of the table.
    private var changes = TreeDictionary<String, Value?>()
    private var log: ChangeLog?

    public init() {
        base = nil
        prefix = ""
    }

    public init(base: any TableSource, prefix: String) {
        self.base = base
        self.prefix = prefix
    }

    public subscript(key: String) -> Value? {
        get {
            if let changed = changes[key] { return changed }
            return base?.value(Value.self, forKey: prefix + key)
        }
        set {
            changes[key] = .some(newValue)
            log = ChangeLog(key: key, previous: log)
        }
    }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> Value? {
        let old = self[key]
        if old != nil { self[key] = nil }
        return old
    }

    /// Every key, sorted.
    public var keys: [String] {
        var all = Set(base?.keys(withPrefix: prefix).map { String($0.dropFirst(prefix.count)) } ?? [])
        for (k, v) in changes {
            if v == nil { all.remove(k) } else { all.insert(k) }
        }
        return all.sorted()
    }

    public var values: [Value] { keys.compactMap { self[$0] } }
    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// What changed from `stored` to this table, by key (nil: removed). When this table is
    /// `stored` plus later changes (the usual case: one command), only the keys changed since are
    /// looked at; otherwise (a checkpoint rewound to, a table from elsewhere) every key is compared.
    public func changes(since stored: LazyTable?) -> [String: Value?] {
        var out = [String: Value?]()
        guard let stored else {
            for k in keys { out[k] = .some(self[k]) }
            return out
        }
        if base === stored.base, prefix == stored.prefix,
            let later = log?.keys(after: stored.log) ?? (stored.log == nil ? [] : nil)
        {
            for k in later where out[k] == nil { out[k] = .some(self[k]) }
            return out
        }
        let candidates: Set<String> =
            base === stored.base && prefix == stored.prefix
            ? Set(changes.keys).union(stored.changes.keys)
            : Set(keys).union(stored.keys)
        for k in candidates {
            let now = self[k]
            if now != stored[k] { out[k] = .some(now) }
        }
        return out
    }

    /// Entries as they should be written to a new snapshot: bytes copied from the base when the
    /// entry was never changed, the value otherwise.
    public func storedEntries() -> [(key: String, stored: Data?, value: Value?)] {
        keys.map { k in
            if changes[k] == nil, let bytes = base?.storedBytes(forKey: prefix + k) { return (k, bytes, nil) }
            return (k, nil, self[k])
        }
    }
}

extension LazyTable: Equatable {
    public static func == (a: LazyTable, b: LazyTable) -> Bool {
        if a.base === b.base, a.prefix == b.prefix, a.log === b.log { return true }
        return a.changes(since: b).isEmpty
    }
}

/// A table encodes as the dictionary it stands for, so a world written whole (a checkpoint, a
/// format-1 state file) keeps every entry; the state directory detaches tables before it encodes.
extension LazyTable: Codable {
    public init(from decoder: Decoder) throws {
        self.init()
        let all = try [String: Value](from: decoder)
        for k in all.keys.sorted() { self[k] = all[k] }
    }

    public func encode(to encoder: Encoder) throws {
        var all = [String: Value]()
        for k in keys { all[k] = self[k] }
        try all.encode(to: encoder)
    }
}
