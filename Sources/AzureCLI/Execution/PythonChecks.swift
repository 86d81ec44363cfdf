/// The Python library functions az's validators lean on, as far as their errors go: a line az
/// refuses through one of them is refused here with the same words.

/// `base64.b64decode(s)` (not strict): characters outside the alphabet are skipped, and only
/// the count of the rest and the padding can fail, with binascii's two messages.
enum PythonBase64 {
    static func check(_ text: String) throws { _ = try decode(text) }

    static func decode(_ text: String) throws -> [UInt8] {
        var out = [UInt8](), quad = 0, data = 0, pads = 0, bits: UInt32 = 0
        for c in text.utf8 {
            if c == UInt8(ascii: "=") {
                if quad >= 2 {
                    pads += 1
                    if quad + pads >= 4 { return out }
                }
                continue
            }
            let v: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"): v = 62
            case UInt8(ascii: "/"): v = 63
            default: continue
            }
            pads = 0
            data += 1
            bits = bits << 6 | v
            quad += 1
            if quad > 1 { out.append(UInt8(truncatingIfNeeded: bits >> UInt32(2 * (4 - quad)))) }
            if quad == 4 { (quad, bits) = (0, 0) }
        }
        if quad == 1 {
            throw UsageError(
                "Invalid base64-encoded string: number of data characters (\(data)) cannot be 1 more than a "
                    + "multiple of 4", footer: [])
        }
        if quad != 0 { throw UsageError("Incorrect padding", footer: []) }
        return out
    }
}

/// `ipaddress.ip_network(s)` (strict) for IPv4, with its ValueErrors; an IPv6 network is taken as
/// given (the Key Vault firewall keydrill emulates holds IPv4 rules, and says so when given one).
struct PythonIPNetwork: CustomStringConvertible {
    let address: UInt32
    let prefix: Int
    let isV6: Bool
    private let text: String

    init(_ s: String) throws {
        text = s
        if s.contains(":") {
            (address, prefix, isV6) = (0, 128, true)
            return
        }
        let bad = UsageError("'\(s)' does not appear to be an IPv4 or IPv6 network", footer: [])
        let halves = s.split(separator: "/", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { throw bad }
        let octets = halves[0].split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { throw bad }
        var a: UInt32 = 0
        for o in octets {
            // Python refuses leading zeros and more than three digits in an octet.
            guard (1...3).contains(o.count), o.allSatisfy(\.isASCII), let n = UInt32(o), n <= 255,
                o.count == 1 || o.first != "0"
            else { throw bad }
            a = a << 8 | n
        }
        var p = 32
        if halves.count == 2 {
            guard let n = Int(halves[1]), halves[1].allSatisfy(\.isNumber), (0...32).contains(n) else { throw bad }
            p = n
        }
        let mask: UInt32 = p == 0 ? 0 : ~UInt32(0) << (32 - p)
        if a & ~mask != 0 { throw UsageError("\(s) has host bits set", footer: []) }
        (address, prefix, isV6) = (a, p, false)
    }

    func overlaps(_ other: PythonIPNetwork) -> Bool {
        guard !isV6, !other.isV6 else { return isV6 && other.isV6 && text == other.text }
        let p = min(prefix, other.prefix)
        let mask: UInt32 = p == 0 ? 0 : ~UInt32(0) << (32 - p)
        return address & mask == other.address & mask
    }

    var description: String {
        if isV6 { return text }
        let o = [24, 16, 8, 0].map { String(address >> UInt32($0) & 0xff) }
        return o.joined(separator: ".") + "/\(prefix)"
    }
}

/// `urllib.parse.urlparse` as far as the Key Vault SDK's parse_key_vault_id asks it: a scheme, a
/// host, the path's non-empty segments, and a port that `.port` can read.
struct PythonURL {
    let scheme: String
    let netloc: String
    let pathSegments: [Substring]

    init?(_ s: String) {
        var rest = Substring(s)
        var scheme = ""
        if let colon = rest.firstIndex(of: ":"), colon > rest.startIndex, let first = rest.first, first.isASCII,
            first.isLetter,
            rest[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        {
            scheme = rest[..<colon].lowercased()
            rest = rest[rest.index(after: colon)...]
        }
        var netloc = Substring("")
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex { "/?#".contains($0) } ?? rest.endIndex
            netloc = rest[..<end]
            rest = rest[end...]
        }
        let pathEnd = rest.firstIndex { "?#".contains($0) } ?? rest.endIndex
        self.scheme = scheme
        self.netloc = String(netloc)
        self.pathSegments = rest[..<pathEnd].split(separator: "/")
    }

    private var hostAndPort: Substring {
        netloc.lastIndex(of: "@").map { netloc[netloc.index(after: $0)...] } ?? Substring(netloc)
    }

    var hasHost: Bool {
        guard !scheme.isEmpty else { return false }
        let hp = hostAndPort
        if hp.hasPrefix("[") { return hp.count > 2 }
        return !(hp.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? "").isEmpty
    }

    /// `.port` raises for a port that is not a number or out of range (outside the SDK's try).
    func checkPort() throws {
        let hp = hostAndPort
        let afterHost = hp.hasPrefix("[") ? hp.split(separator: "]", maxSplits: 1).dropFirst().first ?? "" : hp
        guard let colon = afterHost.firstIndex(of: ":") else { return }
        let port = afterHost[afterHost.index(after: colon)...]
        guard !port.isEmpty else { return }
        guard port.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(port) else {
            throw UsageError("Port could not be cast to integer value as '\(port)'", footer: [])
        }
        if n > 65535 { throw UsageError("Port out of range 0-65535", footer: []) }
    }
}
