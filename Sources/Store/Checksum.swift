import Foundation

/// A fast 64-bit checksum (the single-lane form of xxHash64) over journal records and snapshot
/// entries. It detects a torn or garbled write, not tampering: the state directory is the
/// user's own, mode 0700.
enum Checksum {
    private static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let p3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let p5: UInt64 = 0x27D4_EB2F_1656_67C5

    @inline(__always) private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = p5 &+ UInt64(bytes.count)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let w = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h ^= rotl(w &* p2, 31) &* p1
            h = rotl(h, 27) &* p1 &+ p4
            i += 8
        }
        while i < n {
            h ^= UInt64(bytes[i]) &* p5
            h = rotl(h, 11) &* p1
            i += 1
        }
        h ^= h >> 33
        h = h &* p2
        h ^= h >> 29
        h = h &* p3
        h ^= h >> 32
        return h
    }

    static func of(_ data: some ContiguousBytes) -> UInt64 { data.withUnsafeBytes { of($0) } }
}
