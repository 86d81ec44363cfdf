import Foundation

/// `world.json` ends with a checksum of everything before it, so a changed byte is refused as
/// corruption instead of loading as a different world:
///
///     {"format":"keydrill-world","generation":N,"version":3,"world":{...},"checksum":"<16 hex>"}
///
/// The file stays one JSON document (the checksum is its last member), readable with any tool.
enum SealedCore {
    static let prefix = Array(#","checksum":""#.utf8)
    static let suffix = Array(#""}"#.utf8)
    static var trailerLength: Int { prefix.count + 16 + suffix.count }

    /// `json` is an encoded object; the result carries its checksum as a last member.
    static func seal(_ json: Data) -> Data {
        precondition(json.last == UInt8(ascii: "}"))
        var out = json.dropLast()
        let sum = Checksum.of(out)
        out.append(contentsOf: prefix)
        out.append(contentsOf: Array(String(format: "%016llx", sum).utf8))
        out.append(contentsOf: suffix)
        return Data(out)
    }

    /// Whether the data ends with a checksum member; nil when it has none.
    static func verify(_ data: Data) -> Bool? {
        let n = data.count
        guard n > trailerLength else { return nil }
        let bytes = [UInt8](data.suffix(trailerLength))
        guard bytes.starts(with: prefix), bytes.suffix(suffix.count).elementsEqual(suffix) else { return nil }
        let hex = String(decoding: bytes[prefix.count..<(prefix.count + 16)], as: UTF8.self)
        guard let stored = UInt64(hex, radix: 16) else { return false }
        return Checksum.of(data.prefix(n - trailerLength)) == stored
    }
}
