import Crypto
import Foundation

/// Deterministic identifiers: every GUID a world hands out comes from its seed and a counter, so the
/// same commands on a world with the same seed give the same ids.
public struct IdentifierSource: Codable, Sendable, Equatable {
    public let seed: UInt64
    public private(set) var counter: UInt64 = 0

    public init(seed: UInt64) { self.seed = seed }

    public mutating func nextBytes() -> [UInt8] {
        counter += 1
        var input = [UInt8]()
        withUnsafeBytes(of: seed.bigEndian) { input.append(contentsOf: $0) }
        withUnsafeBytes(of: counter.bigEndian) { input.append(contentsOf: $0) }
        return Array(SHA256.hash(data: input))
    }

    /// A random-looking version-4 GUID in lowercase, as Azure prints them.
    public mutating func guid() -> String {
        var b = Array(nextBytes().prefix(16))
        b[6] = (b[6] & 0x0F) | 0x40
        b[8] = (b[8] & 0x3F) | 0x80
        let hex = b.map { String(format: "%02x", $0) }.joined()
        let h = Array(hex)
        return
            "\(String(h[0..<8]))-\(String(h[8..<12]))-\(String(h[12..<16]))-\(String(h[16..<20]))-\(String(h[20..<32]))"
    }

    /// 32 lowercase hex digits, the shape of a Key Vault object version.
    public mutating func hex32() -> String {
        nextBytes().prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}

/// An ARM resource id split the way az's `--ids` splits it: subscription, resource_group, namespace,
/// type, name, then child_type_N / child_name_N pairs.
public enum ResourceID {
    public static func parts(_ id: String) -> [String: String]? {
        let segs = id.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard segs.count >= 2, segs[0].lowercased() == "subscriptions" else { return nil }
        var out = ["subscription": segs[1]]
        var i = 2
        if i + 1 < segs.count, segs[i].lowercased() == "resourcegroups" {
            out["resource_group"] = segs[i + 1]
            i += 2
        }
        if i < segs.count {
            guard segs[i].lowercased() == "providers", i + 3 < segs.count else {
                return out["resource_group"] == nil ? nil : out
            }
            out["namespace"] = segs[i + 1]
            out["type"] = segs[i + 2]
            out["name"] = segs[i + 3]
            i += 4
            var n = 1
            while i + 1 < segs.count {
                out["child_type_\(n)"] = segs[i]
                out["child_name_\(n)"] = segs[i + 1]
                i += 2
                n += 1
            }
        }
        return out
    }
}

extension String {
    /// Azure compares ids and names without regard to case. This does it without making lowercase
    /// copies, which matters where a check compares one principal with every access policy.
    public func equalsIgnoringCase(_ other: String) -> Bool {
        var a = utf8.makeIterator()
        var b = other.utf8.makeIterator()
        while true {
            switch (a.next(), b.next()) {
            case (nil, nil): return true
            case (let x?, let y?):
                if x == y { continue }
                guard x < 0x80, y < 0x80 else { return lowercased() == other.lowercased() }
                if x | 0x20 != y | 0x20 || !((x | 0x20) >= 0x61 && (x | 0x20) <= 0x7A) { return false }
            default: return false
            }
        }
    }
}
