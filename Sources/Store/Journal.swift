import Cloud
import Foundation

/// The journal (`journal.bin`): what each command changed, appended as one record with one
/// fdatasync, until the journal is folded into a new snapshot.
///
///     "KDJRNL02" | u64 generation of the snapshot it follows
///     per record: u32 payload length | u32 0 | u64 checksum of the payload | payload
///     payload: u8 core kind (0 none, 1 patch, 2 whole core) | u32 length | core JSON
///              u32 entry count, per entry: u8 table | u32 key length | key
///                                          | u32 value length (0xFFFFFFFF: removed) | value JSON
///
/// A record is appended only after the one before it is durable, so only the last record can be
/// torn by a crash: a last record cut short or failing its checksum is ignored (and cut before
/// the next append); a bad record before the last is corruption and refused.
enum Journal {
    static let magic = Array("KDJRNL02".utf8)
    static let headerSize = 16
    static let removed = UInt32.max

    enum CoreKind: UInt8 { case none = 0, patch = 1, whole = 2 }

    struct Entry {
        let table: WorldTable
        let key: String
        /// Offset and length of the value JSON in the file; nil when the entry was removed.
        let value: (offset: Int, length: Int)?
    }

    struct Record {
        let coreKind: CoreKind
        let core: (offset: Int, length: Int)
        let entries: [Entry]
    }

    struct Scan {
        var records: [Record] = []
        /// The length of the header and the complete records: where the next record goes.
        var validLength = 0
        /// True when the file belongs to an older snapshot (its removal did not survive a crash).
        var stale = false
    }

    static func header(generation: Int) -> Data {
        var d = Data(magic)
        d.appendU64(UInt64(generation))
        return d
    }

    static func scan(_ file: MappedFile, generation: Int) throws -> Scan {
        var scan = Scan()
        // A header cut short by a crash right after the file was created holds nothing.
        guard file.count >= headerSize else { return scan }
        guard Array(file.slice(0, 8)) == magic else {
            throw StoreError("\(file.path) is not a keydrill journal; keydrill will not overwrite it. Move the state directory away to start a new world.")
        }
        guard file.u64(8) == UInt64(generation) else {
            scan.stale = true
            return scan
        }
        var at = headerSize
        scan.validLength = at
        while at < file.count {
            guard file.contains(at, 16), file.contains(at + 16, Int(file.u32(at))) else { break }
            let length = Int(file.u32(at))
            let end = at + 16 + length
            let isLast = end == file.count
            guard Checksum.of(file.slice(at + 16, length)) == file.u64(at + 8), let record = parse(file, at + 16, end) else {
                if isLast { break }
                throw StoreError("the journal \(file.path) is corrupt at byte \(at) (a record before the last fails its checksum); keydrill will not overwrite it. Move the state directory away to start a new world.")
            }
            scan.records.append(record)
            at = end
            scan.validLength = at
        }
        return scan
    }

    private static func parse(_ f: MappedFile, _ start: Int, _ end: Int) -> Record? {
        var at = start
        func take(_ n: Int) -> Int? {
            guard n >= 0, at + n <= end else { return nil }
            defer { at += n }
            return at
        }
        guard let k = take(1), let kind = CoreKind(rawValue: f.u8(k)), let cl = take(4) else { return nil }
        let coreLength = Int(f.u32(cl))
        guard let core = take(coreLength), let ec = take(4) else { return nil }
        var entries = [Entry]()
        for _ in 0..<Int(f.u32(ec)) {
            guard let t = take(1), let table = WorldTable(rawValue: f.u8(t)), let kl = take(4) else { return nil }
            let keyLength = Int(f.u32(kl))
            guard let key = take(keyLength), let vl = take(4) else { return nil }
            let valueLength = f.u32(vl)
            if valueLength == removed {
                entries.append(Entry(table: table, key: f.string(key, keyLength), value: nil))
            } else {
                guard let value = take(Int(valueLength)) else { return nil }
                entries.append(Entry(table: table, key: f.string(key, keyLength), value: (value, Int(valueLength))))
            }
        }
        guard at == end else { return nil }
        return Record(coreKind: kind, core: (core, coreLength), entries: entries)
    }

    static func record(coreKind: CoreKind, core: Data, entries: [(table: WorldTable, key: String, value: Data?)]) -> Data {
        var p = Data()
        p.appendU8(coreKind.rawValue)
        p.appendU32(UInt32(core.count))
        p.append(core)
        p.appendU32(UInt32(entries.count))
        for e in entries {
            let key = Data(e.key.utf8)
            p.appendU8(e.table.rawValue)
            p.appendU32(UInt32(key.count))
            p.append(key)
            if let v = e.value {
                p.appendU32(UInt32(v.count))
                p.append(v)
            } else {
                p.appendU32(removed)
            }
        }
        var r = Data()
        r.appendU32(UInt32(p.count))
        r.appendU32(0)
        r.appendU64(Checksum.of(p))
        r.append(p)
        return r
    }
}
