import Cloud
import Foundation

/// The parts of a world that grow without bound (keys, deleted keys, the audit log) and are
/// therefore stored apart from its core, entry by entry, and read on demand.
public enum WorldTable: UInt8, CaseIterable, Sendable {
    case keys = 1
    case deletedKeys = 2
    case audit = 3
    /// The audit log's run index: for each run key, the position of its newest record.
    case auditRuns = 4

    public var name: String {
        switch self {
        case .keys: return "keys"
        case .deletedKeys: return "deletedKeys"
        case .audit: return "audit"
        case .auditRuns: return "auditRuns"
        }
    }
}

/// One table of a world as the store sees it: where its entries go (table and key prefix) and
/// how to get them as JSON.
public struct StoredTable: Sendable {
    public let table: WorldTable
    /// A vault's tables are prefixed with its lowercased name and a slash; the audit log has none.
    public let prefix: String
    let contents: any Sendable
    let changesSince: @Sendable (_ stored: StoredTable?, _ encoder: JSONEncoder) throws -> [(key: String, value: Data?)]
    let entries: @Sendable (_ encoder: JSONEncoder) throws -> [(key: String, value: Data)]
    let keys: @Sendable () -> [String]

    init<V>(_ table: WorldTable, prefix: String, _ contents: LazyTable<V>) {
        self.table = table
        self.prefix = prefix
        self.contents = contents
        changesSince = { stored, encoder in
            try contents.changes(since: stored?.contents as? LazyTable<V>).map { k, v in
                (prefix + k, try v.map { try encoder.encode($0) })
            }
        }
        entries = { encoder in
            try contents.storedEntries().map { e in (prefix + e.key, try e.stored ?? encoder.encode(e.value!)) }
        }
        keys = { contents.keys.map { prefix + $0 } }
    }

    /// What changed from `stored` (nil: the table did not exist then) as full keys and JSON
    /// (nil: removed).
    public func changes(since stored: StoredTable?, encoder: JSONEncoder) throws -> [(key: String, value: Data?)] {
        try changesSince(stored, encoder)
    }

    /// Every entry as full key and JSON, sorted by key.
    public func allEntries(encoder: JSONEncoder) throws -> [(key: String, value: Data)] {
        try entries(encoder)
    }

    /// Every full key, for removing a table that no longer exists.
    public var allKeys: [String] { keys() }
}

extension World {
    /// Every table in the world, by table name and prefix: a vault's keys and deleted keys
    /// whether the vault is live or soft-deleted (its name is reserved either way), and the
    /// audit log.
    public var storedTables: [String: StoredTable] {
        var out = [String: StoredTable]()
        func add(_ t: StoredTable) { out["\(t.table.name):\(t.prefix)"] = t }
        for (name, v) in vaults {
            add(StoredTable(.keys, prefix: name + "/", v.keys));
            add(StoredTable(.deletedKeys, prefix: name + "/", v.deletedKeys))
        }
        for (name, d) in deletedVaults {
            add(StoredTable(.keys, prefix: name + "/", d.vault.keys));
            add(StoredTable(.deletedKeys, prefix: name + "/", d.vault.deletedKeys))
        }
        add(StoredTable(.audit, prefix: "", audit.table))
        add(StoredTable(.auditRuns, prefix: "", audit.runs))
        return out
    }

    /// Points every table at the state directory's stored entries, after the core (which holds
    /// the vaults, without their keys) was read.
    public mutating func attachTables(_ source: (WorldTable) -> any TableSource, auditCount: Int) {
        let keys = source(.keys), deleted = source(.deletedKeys)
        for name in Array(vaults.keys) {
            vaults[name]!.keys = LazyTable(base: keys, prefix: name + "/")
            vaults[name]!.deletedKeys = LazyTable(base: deleted, prefix: name + "/")
        }
        for name in Array(deletedVaults.keys) {
            deletedVaults[name]!.vault.keys = LazyTable(base: keys, prefix: name + "/")
            deletedVaults[name]!.vault.deletedKeys = LazyTable(base: deleted, prefix: name + "/")
        }
        audit = AuditLog(base: source(.audit), runs: source(.auditRuns), count: auditCount)
    }
}

extension World {
    /// The world without its tables, as the core file and journal records hold it: tables are
    /// stored apart, entry by entry. Detaching is cheap (the tables are shared, not copied).
    var core: World {
        var w = self
        for name in Array(w.vaults.keys) { w.vaults[name] = w.vaults[name]!.withoutTables }
        for name in Array(w.deletedVaults.keys) {
            w.deletedVaults[name]!.vault = w.deletedVaults[name]!.vault.withoutTables
        }
        w.audit = AuditLog()
        return w
    }
}

extension Vault {
    /// The vault without its tables, to tell whether the vault itself changed.
    var withoutTables: Vault {
        var v = self
        v.keys = LazyTable()
        v.deletedKeys = LazyTable()
        return v
    }
}
