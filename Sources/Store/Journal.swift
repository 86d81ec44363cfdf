import Cloud
import Foundation

/// The journal (`journal.bin`): what each command changed, appended as one record with one
/// fdatasync, until the journal is folded into a new snapshot.
///
///     "KDJRNL03" | u64 generation of the snapshot it follows | u64 checksum of the 16 bytes before
///     per record: u32 payload length | u32 check of the length | u64 checksum of the payload | payload
///     payload: u8 core kind (0 none, 1 patch, 2 whole core) | u32 length | core JSON
///              u32 entry count, per entry: u8 table | u32 key length | key
///                                          | u32 value length (0xFFFFFFFF: removed) | value JSON
///
/// A record is appended only after the one before it is durable, so only the last record can be
/// torn by a crash: what follows the last good record is dropped (and cut before the next append)
/// only when it can be a torn write, that is a record whose header is incomplete, zero-filled or
/// promises more bytes than the file holds, or a complete last record that fails its checksum.
/// Anything else (a damaged header, a bad record before the last, a generation from the future)
/// is corruption and refused. Format 2 journals ("KDJRNL02", no header or length checks) are still
/// read; the next change then writes a new snapshot.
enum Journal {
    static let magic = Array("KDJRNL03".utf8)
    static let legacyMagic = Array("KDJRNL02".utf8)
    static let headerSize = 24
    static let legacyHeaderSize = 16
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
        /// Where the record ends in the file: where the next one starts.
        var end = 0
    }

    struct Scan {
        var records: [Record] = []
        /// The length of the header and the complete records: where the next record goes.
        var validLength = 0
        /// True when the file belongs to an older snapshot (its removal did not survive a crash).
        var stale = false
        /// True for a format 2 journal: the next change writes a snapshot rather than append to it.
        var legacy = false
    }

    static func header(generation: Int) -> Data {
        var d = Data(magic)
        d.appendU64(UInt64(generation))
        d.appendU64(Checksum.of(d))
        return d
    }

    /// The check stored beside a record's length, so a damaged length is told from a torn write.
    static func lengthCheck(_ length: UInt32) -> UInt32 {
        withUnsafeBytes(of: length.littleEndian) { UInt32(truncatingIfNeeded: Checksum.of($0)) }
    }

    /// Whether this journal was written in format 2, which the next change replaces by a snapshot.
    static func isLegacy(_ file: MappedFile) -> Bool {
        file.count >= 8 && Array(file.slice(0, 8)) == legacyMagic
    }

    static func scan(_ file: MappedFile, generation: Int) throws -> Scan {
        var scan = Scan()
        func corrupt(_ why: String) -> StoreError {
            StoreError(
                "the journal \(file.path) is corrupt (\(why)); keydrill will not overwrite it. Move the state "
                    + "directory away to start a new world."
            )
        }
        let legacy = isLegacy(file)
        let headerSize = legacy ? legacyHeaderSize : headerSize
        // The header goes out with the first record in one write: a file shorter than it, or
        // all zeros (the file grew but the data never reached the disk), is that write torn.
        if isZero(file, from: 0)
            || file.count < headerSize
                && (magic.starts(with: file.slice(0, min(8, file.count)))
                    || legacyMagic.starts(with: file.slice(0, min(8, file.count))))
        {
            return scan
        }
        guard file.count >= headerSize, Array(file.slice(0, 8)) == magic || legacy else {
            throw StoreError(
                "\(file.path) is not a keydrill journal; keydrill will not overwrite it. Move the state directory "
                    + "away to start a new world."
            )
        }
        if !legacy, Checksum.of(file.slice(0, 16)) != file.u64(16) { throw corrupt("its header fails its checksum") }
        let fileGeneration = file.u64(8)
        if fileGeneration != UInt64(generation) {
            // A fold replaces the snapshot before it removes the journal; a crash in between
            // leaves the journal of an older generation, which the new snapshot already holds.
            guard fileGeneration < UInt64(generation) else {
                throw corrupt("generation \(fileGeneration) is newer than the snapshot's \(generation)")
            }
            scan.stale = true
            return scan
        }
        var at = headerSize
        scan.validLength = at
        while at < file.count {
            // Fewer bytes than a record header: the tail of a torn append.
            guard file.contains(at, 16) else { break }
            let length = file.u32(at)
            if !legacy, file.u32(at + 4) != lengthCheck(length) {
                if isZero(file, from: at) { break }
                throw corrupt("the record at byte \(at) has a damaged header")
            }
            // A whole header promising more than the file holds: the append was cut short.
            guard file.contains(at + 16, Int(length)) else { break }
            let end = at + 16 + Int(length)
            let isLast = end == file.count
            guard Checksum.of(file.slice(at + 16, Int(length))) == file.u64(at + 8),
                let record = parse(file, at + 16, end)
            else {
                if isLast { break }
                throw corrupt("the record at byte \(at), before the last, fails its checksum")
            }
            var located = record
            located.end = end
            scan.records.append(located)
            at = end
            scan.validLength = at
        }
        scan.legacy = legacy
        return scan
    }

    private static func isZero(_ file: MappedFile, from start: Int) -> Bool {
        file.slice(start, file.count - start).allSatisfy { $0 == 0 }
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

    static func record(
        coreKind: CoreKind, core: Data, entries: [(table: WorldTable, key: String, value: Data?)]
    ) -> Data {
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
        r.appendU32(lengthCheck(UInt32(p.count)))
        r.appendU64(Checksum.of(p))
        r.append(p)
        return r
    }
}
