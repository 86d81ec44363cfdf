import Cloud
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The snapshot's tables (`tables-GENERATION.bin`): every entry's key and JSON, with a sorted
/// index per table so an entry is found by binary search in the mapped file without reading the
/// rest.
///
///     "KDTABLE3" | u64 generation | u32 table count | u32 0 | u64 tail offset | u64 tail checksum
///     per table: u32 table id | u32 entry count | u64 index offset
///     u64 checksum of everything before it (the head)
///     values
///     the tail, from the tail offset to the end: per table, its index (per entry u64 key offset |
///     u32 key length | u32 value length | u64 value offset | u64 checksum of the value), then
///     its keys
///
/// Opening verifies the head and the tail (indexes and keys, a few bytes an entry), so a damaged
/// index or key is refused before anything is read or written rather than hiding entries; a
/// value is verified when it is read. Format 2 files ("KDTABLE2": keys between the values, no
/// head or tail checksums) are still read; the next change writes a new snapshot.
final class TableFile: @unchecked Sendable {
    static let magic = Array("KDTABLE3".utf8)
    static let legacyMagic = Array("KDTABLE2".utf8)
    static let slotSize = 32
    static let headerSize = 40
    static let directoryEntrySize = 16

    let file: MappedFile
    private var tables: [UInt8: (count: Int, index: Int)] = [:]
    /// A format 2 file, which the next change replaces.
    let isLegacy: Bool

    init(path: String, generation: Int) throws {
        file = try MappedFile(path: path)
        func corrupt(_ why: String) -> StoreError {
            StoreError(
                "the snapshot tables \(path) are corrupt or truncated (\(why)); keydrill will not overwrite them. "
                    + "Move the state directory away to start a new world."
            )
        }
        guard file.count >= 24 else { throw corrupt("no header") }
        isLegacy = Array(file.slice(0, 8)) == Self.legacyMagic
        guard isLegacy || Array(file.slice(0, 8)) == Self.magic else { throw corrupt("no header") }
        let n = Int(file.u32(16))
        let directoryAt = isLegacy ? 24 : Self.headerSize
        guard n <= 256, file.contains(directoryAt, n * Self.directoryEntrySize + (isLegacy ? 0 : 8)) else {
            throw corrupt("table directory past the end")
        }
        if !isLegacy {
            let headLength = directoryAt + n * Self.directoryEntrySize
            guard Checksum.of(file.slice(0, headLength)) == file.u64(headLength) else {
                throw corrupt("its header fails its checksum")
            }
            let tail = Int(file.u64(24))
            guard tail >= headLength + 8, file.contains(tail, 0) else { throw corrupt("index past the end") }
            guard Checksum.of(file.slice(tail, file.count - tail)) == file.u64(32) else {
                throw corrupt("its index fails its checksum")
            }
        }
        guard file.u64(8) == UInt64(generation) else {
            throw corrupt("generation \(file.u64(8)), expected \(generation)")
        }
        for i in 0..<n {
            let at = directoryAt + i * Self.directoryEntrySize
            let count = Int(file.u32(at + 4)), index = Int(file.u64(at + 8))
            guard count <= file.count / Self.slotSize, file.contains(index, count * Self.slotSize) else {
                throw corrupt("index past the end")
            }
            tables[UInt8(truncatingIfNeeded: file.u32(at))] = (count, index)
        }
    }

    struct Slot {
        let keyOffset: Int, keyLength: Int, valueLength: Int, valueOffset: Int, checksum: UInt64
    }

    func count(_ table: WorldTable) -> Int { tables[table.rawValue]?.count ?? 0 }

    func slot(_ table: WorldTable, _ i: Int) -> Slot {
        let at = tables[table.rawValue]!.index + i * Self.slotSize
        return Slot(
            keyOffset: Int(file.u64(at)), keyLength: Int(file.u32(at + 8)), valueLength: Int(file.u32(at + 12)),
            valueOffset: Int(file.u64(at + 16)), checksum: file.u64(at + 24))
    }

    /// The slot's key compared with `key`: negative, zero or positive.
    private func compare(_ s: Slot, _ key: [UInt8]) -> Int {
        guard file.contains(s.keyOffset, s.keyLength) else { return 1 }
        let k = file.slice(s.keyOffset, s.keyLength)
        let n = min(k.count, key.count)
        let c = n == 0 ? 0 : key.withUnsafeBytes { memcmp(k.baseAddress!, $0.baseAddress!, n) }
        if c == 0 { return k.count - key.count }
        return Int(c)
    }

    /// The first slot whose key is not less than `key`.
    private func lowerBound(_ table: WorldTable, _ key: [UInt8]) -> Int {
        var lo = 0, hi = count(table)
        while lo < hi {
            let mid = (lo + hi) / 2
            if compare(slot(table, mid), key) < 0 { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    func find(_ table: WorldTable, _ key: String) -> Slot? {
        let k = Array(key.utf8)
        let i = lowerBound(table, k)
        guard i < count(table) else { return nil }
        let s = slot(table, i)
        return compare(s, k) == 0 ? s : nil
    }

    func key(_ s: Slot) -> String? {
        file.contains(s.keyOffset, s.keyLength) ? file.string(s.keyOffset, s.keyLength) : nil
    }

    func keys(_ table: WorldTable, withPrefix prefix: String) -> [String] {
        let p = Array(prefix.utf8)
        var out = [String]()
        var i = lowerBound(table, p)
        while i < count(table), let k = key(slot(table, i)), k.utf8.starts(with: p) {
            out.append(k)
            i += 1
        }
        return out
    }

    /// The entry's bytes, or nil when its slot points outside the file or its checksum fails.
    func value(_ s: Slot) -> UnsafeRawBufferPointer? {
        guard file.contains(s.valueOffset, s.valueLength) else { return nil }
        let v = file.slice(s.valueOffset, s.valueLength)
        return Checksum.of(v) == s.checksum ? v : nil
    }

    /// Writes a tables file and makes it durable. Entries must be sorted by key bytes.
    static func write(path: String, generation: Int, tables: [(WorldTable, [(key: String, value: Data)])]) throws {
        let dir = (path as NSString).deletingLastPathComponent
        // A file left by a fold a crash interrupted is replaced, never written through: a link
        // planted at the name must not redirect the write.
        unlink(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError("cannot write in \(dir): \(String(cString: strerror(errno))); nothing was changed")
        }
        var failure: String?
        defer {
            close(fd)
            if failure != nil { unlink(path) }
        }
        var buffer = Data()
        var written = 0
        func flush(force: Bool = false) {
            guard failure == nil, force || buffer.count >= 1 << 20 else { return }
            failure = AtomicFile.writeAll(fd, buffer)
            written += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }
        let headLength = headerSize + tables.count * directoryEntrySize
        buffer.append(Data(count: headLength + 8))
        var valueAt = [[Int]]()
        for (_, entries) in tables {
            var offsets = [Int]()
            offsets.reserveCapacity(entries.count)
            for e in entries {
                offsets.append(written + buffer.count)
                buffer.append(e.value)
                flush()
            }
            valueAt.append(offsets)
        }
        flush(force: true)
        let tailAt = written
        var tail = Data()
        var directory = Data()
        for (t, (table, entries)) in tables.enumerated() {
            let indexAt = tailAt + tail.count
            var keyAt = indexAt + entries.count * slotSize
            directory.appendU32(UInt32(table.rawValue))
            directory.appendU32(UInt32(entries.count))
            directory.appendU64(UInt64(indexAt))
            var keys = Data()
            for (i, e) in entries.enumerated() {
                let key = Data(e.key.utf8)
                tail.appendU64(UInt64(keyAt))
                tail.appendU32(UInt32(key.count))
                tail.appendU32(UInt32(e.value.count))
                tail.appendU64(UInt64(valueAt[t][i]))
                tail.appendU64(Checksum.of(e.value))
                keys.append(key)
                keyAt += key.count
            }
            tail.append(keys)
        }
        var head = Data(magic)
        head.appendU64(UInt64(generation))
        head.appendU32(UInt32(tables.count))
        head.appendU32(0)
        head.appendU64(UInt64(tailAt))
        head.appendU64(Checksum.of(tail))
        head.append(directory)
        head.appendU64(Checksum.of(head))
        buffer = tail
        flush(force: true)
        if failure == nil {
            let n = head.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, 0) }
            if n != head.count { failure = String(cString: strerror(errno)) }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        if let failure { throw StoreError("cannot write \(path): \(failure); the previous state was kept") }
    }
}
