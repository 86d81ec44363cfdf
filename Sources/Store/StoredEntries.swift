import Cloud
import Foundation

/// The tables of a world as the state directory holds them: the snapshot's entries with the
/// journal's later entries over them. Entries are decoded when a command first asks for one.
final class StoredEntries: @unchecked Sendable {
    private let snapshot: TableFile
    private let journal: MappedFile?
    /// The journal's latest entry per table and key: where its value is, or nil when removed.
    private var overlay: [WorldTable: [String: (offset: Int, length: Int)?]] = [:]
    private let lock = NSLock()
    private var decoded: [String: Any] = [:]
    /// One decoder for every entry (used under the lock): `key list` on a large vault decodes
    /// thousands.
    private let decoder = StoreCoding.decoder
    /// The first entry found unreadable. A lookup deep inside the emulator cannot throw, so it
    /// answers "no entry" and the state directory throws this before it writes anything.
    private var firstFault: StoreError?
    var fault: StoreError? { lock.withLock { firstFault } }

    init(snapshot: TableFile, journal: MappedFile?, records: [Journal.Record]) {
        self.snapshot = snapshot
        self.journal = journal
        for r in records {
            for e in r.entries { overlay[e.table, default: [:]][e.key] = .some(e.value) }
        }
    }

    /// The number of entries in a table (the audit log's length).
    func count(_ table: WorldTable) -> Int {
        var n = snapshot.count(table)
        for (key, value) in overlay[table] ?? [:] {
            let before = snapshot.find(table, key) != nil
            n += (value != nil ? 1 : 0) - (before ? 1 : 0)
        }
        return n
    }

    /// How many entries were decoded so far: what a command cost, for tests.
    var decodedCount: Int { lock.withLock { decoded.count } }

    func view(_ table: WorldTable) -> any TableSource { TableView(entries: self, table: table) }

    fileprivate func bytes(_ table: WorldTable, _ key: String) -> UnsafeRawBufferPointer?? {
        if let o = overlay[table]?[key] {
            guard let o else { return .some(nil) }
            return .some(journal!.slice(o.offset, o.length))
        }
        guard let slot = snapshot.find(table, key) else { return .some(nil) }
        guard let v = snapshot.value(slot) else { return nil }
        return .some(v)
    }

    fileprivate func value<V: Decodable & Sendable>(_ type: V.Type, _ table: WorldTable, _ key: String) -> V? {
        let id = "\(table.rawValue)/\(key)"
        lock.lock()
        defer { lock.unlock() }
        if let v = decoded[id] as? V { return v }
        guard let found = bytes(table, key) else { return corrupt(table, key, "its checksum does not match") }
        guard let found else { return nil }
        do {
            let v = try decoder.decode(V.self, from: Data(found))
            decoded[id] = v
            return v
        } catch {
            return corrupt(table, key, "\(error)")
        }
    }

    fileprivate func storedBytes(_ table: WorldTable, _ key: String) -> Data? {
        lock.lock()
        defer { lock.unlock() }
        guard let found = bytes(table, key) else { return corrupt(table, key, "its checksum does not match") }
        return found.map { Data($0) }
    }

    fileprivate func keys(_ table: WorldTable, withPrefix prefix: String) -> [String] {
        var all = Set(snapshot.keys(table, withPrefix: prefix))
        for (key, value) in overlay[table] ?? [:] where key.hasPrefix(prefix) {
            if value == nil { all.remove(key) } else { all.insert(key) }
        }
        return all.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// An entry that cannot be read is found while a command runs, deep inside the emulator:
    /// recorded (under the lock) for the state directory to throw before anything is written.
    private func corrupt<T>(_ table: WorldTable, _ key: String, _ why: String) -> T? {
        if firstFault == nil {
            firstFault = StoreError(
                "the state directory is corrupt: entry '\(key)' of table \(table.name) cannot be read (\(why)); "
                    + "keydrill will not overwrite it. Move the state directory away to start a new world.")
        }
        return nil
    }
}

final class TableView: TableSource, @unchecked Sendable {
    let entries: StoredEntries
    let table: WorldTable

    init(entries: StoredEntries, table: WorldTable) {
        self.entries = entries
        self.table = table
    }

    func value<V: Decodable & Sendable>(_ type: V.Type, forKey key: String) -> V? { entries.value(type, table, key) }
    func storedBytes(forKey key: String) -> Data? { entries.storedBytes(table, key) }
    func keys(withPrefix prefix: String) -> [String] { entries.keys(table, withPrefix: prefix) }
}

/// One JSON convention for everything the state directory writes.
enum StoreCoding {
    static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .secondsSince1970
        return d
    }

    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .secondsSince1970
        e.outputFormatting = [.sortedKeys]
        return e
    }

}
