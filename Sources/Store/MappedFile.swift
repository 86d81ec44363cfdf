import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file mapped read-only: entries are read from it in place, so opening a large snapshot costs
/// nothing until an entry is used. The mapping outlives an unlink or a rename over the file, so
/// a world read from it stays valid after a new snapshot replaces it.
final class MappedFile: @unchecked Sendable {
    let path: String
    let bytes: UnsafeRawBufferPointer
    private let base: UnsafeMutableRawPointer?

    init(path: String) throws {
        self.path = path
        let fd = try StateDirectory.openForReading(path)
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw StoreError("cannot read \(path): \(String(cString: strerror(errno)))") }
        let size = Int(st.st_size)
        if size == 0 {
            base = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else {
            throw StoreError("cannot map \(path): \(String(cString: strerror(errno)))")
        }
        base = p
        bytes = UnsafeRawBufferPointer(start: p, count: size)
    }

    deinit { if let base { munmap(base, bytes.count) } }

    var count: Int { bytes.count }

    func u32(_ at: Int) -> UInt32 { UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
    func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
    func u8(_ at: Int) -> UInt8 { bytes[at] }

    func slice(_ at: Int, _ length: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[at..<(at + length)])
    }
    func data(_ at: Int, _ length: Int) -> Data { Data(slice(at, length)) }
    func string(_ at: Int, _ length: Int) -> String { String(decoding: slice(at, length), as: UTF8.self) }

    func contains(_ at: Int, _ length: Int) -> Bool { at >= 0 && length >= 0 && at <= count && length <= count - at }
}

/// Little-endian fields appended to a byte buffer.
extension Data {
    mutating func appendU8(_ v: UInt8) { append(v) }
    mutating func appendU32(_ v: UInt32) { Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) } }
    mutating func appendU64(_ v: UInt64) { Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) } }
}
