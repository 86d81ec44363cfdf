import Cloud
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The snapshot's tables (`tables-GENERATION.bin`): every entry's key and JSON, with a sorted
/// index per table so an entry is found by binary search in the mapped file without reading the
/// rest.
///
///     "KDTABLE2" | u64 generation | u32 table count | u32 0
///     per table: u32 table id | u32 entry count | u64 index offset
///     keys and values
///     per table, its index: per entry u64 key offset | u32 key length | u32 value length |
///                           u64 value offset | u64 checksum of the value
final class TableFile: @unchecked Sendable {
    static let magic = Array("KDTABLE2".utf8)
    static let slotSize = 32

    let file: MappedFile
    private var tables: [UInt8: (count: Int, index: Int)] = [:]

    init(path: String, generation: Int) throws {
        file = try MappedFile(path: path)
        func corrupt(_ why: String) -> StoreError {
            StoreError("the snapshot tables \(path) are corrupt or truncated (\(why)); keydrill will not overwrite them. Move the state directory away to start a new world.")
        }
        guard file.count >= 24, Array(file.slice(0, 8)) == Self.magic else { throw corrupt("no header") }
        guard file.u64(8) == UInt64(generation) else { throw corrupt("generation \(file.u64(8)), expected \(generation)") }
        let n = Int(file.u32(16))
        guard file.contains(24, n * 16) else { throw corrupt("table directory past the end") }
        for i in 0..<n {
            let at = 24 + i * 16
            let count = Int(file.u32(at + 4)), index = Int(file.u64(at + 8))
            guard file.contains(index, count * Self.slotSize) else { throw corrupt("index past the end") }
            tables[UInt8(truncatingIfNeeded: file.u32(at))] = (count, index)
        }
    }

    struct Slot {
        let keyOffset: Int, keyLength: Int, valueLength: Int, valueOffset: Int, checksum: UInt64
    }

    func count(_ table: WorldTable) -> Int { tables[table.rawValue]?.count ?? 0 }

    func slot(_ table: WorldTable, _ i: Int) -> Slot {
        let at = tables[table.rawValue]!.index + i * Self.slotSize
        return Slot(keyOffset: Int(file.u64(at)), keyLength: Int(file.u32(at + 8)), valueLength: Int(file.u32(at + 12)),
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

    func key(_ s: Slot) -> String? { file.contains(s.keyOffset, s.keyLength) ? file.string(s.keyOffset, s.keyLength) : nil }

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
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError("cannot write in \((path as NSString).deletingLastPathComponent): \(String(cString: strerror(errno))); nothing was changed") }
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
        var header = Data(magic)
        header.appendU64(UInt64(generation))
        header.appendU32(UInt32(tables.count))
        header.appendU32(0)
        let directoryAt = header.count
        buffer.append(header)
        buffer.append(Data(count: tables.count * 16))
        var indexes = [Data]()
        for (_, entries) in tables {
            var index = Data(capacity: entries.count * slotSize)
            for e in entries {
                let key = Data(e.key.utf8)
                let keyAt = written + buffer.count
                buffer.append(key)
                let valueAt = written + buffer.count
                buffer.append(e.value)
                index.appendU64(UInt64(keyAt))
                index.appendU32(UInt32(key.count))
                index.appendU32(UInt32(e.value.count))
                index.appendU64(UInt64(valueAt))
                index.appendU64(Checksum.of(e.value))
                flush()
            }
            indexes.append(index)
        }
        var directory = Data()
        for (i, (table, entries)) in tables.enumerated() {
            directory.appendU32(UInt32(table.rawValue))
            directory.appendU32(UInt32(entries.count))
            directory.appendU64(UInt64(written + buffer.count))
            buffer.append(indexes[i])
            flush()
        }
        flush(force: true)
        if failure == nil {
            let n = directory.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, off_t(directoryAt)) }
            if n != directory.count { failure = String(cString: strerror(errno)) }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        if let failure { throw StoreError("cannot write \(path): \(failure); the previous state was kept") }
    }
}
