/// JSON text as Python's `json.dumps` writes it, which is what az prints: `indent=2`,
/// `sort_keys=True`, `ensure_ascii=False` for output; compact `(',', ':')` separators with ASCII
/// escapes for JMESPath's `to_string`.
public struct JSONWriteOptions: Sendable {
    public var indent: Int?
    public var sortKeys: Bool
    public var asciiOnly: Bool

    public init(indent: Int? = nil, sortKeys: Bool = false, asciiOnly: Bool = false) {
        self.indent = indent
        self.sortKeys = sortKeys
        self.asciiOnly = asciiOnly
    }

    /// `az -o json`.
    public static let az = JSONWriteOptions(indent: 2, sortKeys: true, asciiOnly: false)
    /// JMESPath `to_string` (python json.dumps with separators=(',', ':')).
    public static let compact = JSONWriteOptions(indent: nil, sortKeys: false, asciiOnly: true)
}

extension JSON {
    public func serialized(_ options: JSONWriteOptions = .az) -> String {
        var out = ""
        out.reserveCapacity(256)
        write(into: &out, options: options, level: 0)
        return out
    }

    func write(into out: inout String, options: JSONWriteOptions, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += JSON.formatNumber(n)
        case .float(let n): out += JSON.formatFloat(n)
        case .bigInteger(let digits): out += digits
        case .string(let s): JSON.writeString(s, into: &out, asciiOnly: options.asciiOnly)
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                newline(&out, options, level + 1)
                v.write(into: &out, options: options, level: level + 1)
            }
            newline(&out, options, level)
            out += "]"
        case .object(let o):
            if o.isEmpty { out += "{}"; return }
            out += "{"
            let keys = options.sortKeys ? o.keys.sorted(by: JSON.codePointLess) : Array(o.keys)
            for (i, k) in keys.enumerated() {
                if i > 0 { out += "," }
                newline(&out, options, level + 1)
                JSON.writeString(k, into: &out, asciiOnly: options.asciiOnly)
                out += options.indent == nil ? ":" : ": "
                o[k]!.write(into: &out, options: options, level: level + 1)
            }
            newline(&out, options, level)
            out += "}"
        }
    }

    private func newline(_ out: inout String, _ options: JSONWriteOptions, _ level: Int) {
        guard let indent = options.indent else { return }
        out += "\n"
        out += String(repeating: " ", count: indent * level)
    }

    /// Integral values print without a fraction, like the Python ints az returns; others use the
    /// shortest round-tripping form, as Python's float repr does.
    /// A `number` as json.dumps writes a Python int: every digit. A fraction is a float to Python.
    public static func formatNumber(_ n: Double) -> String {
        guard n == n.rounded(), n.isFinite else { return formatFloat(n) }
        // Only a float is negative zero (JSON's -0 reads as the integer 0), and Python prints it so.
        if n == 0, n.sign == .minus { return "-0.0" }
        if abs(n) < 9.0e18 { return String(Int64(n)) }
        return (n < 0 ? "-" : "") + integerDigits(abs(n))
    }

    /// The exact decimal digits of an integral double too large for Int64: its significand
    /// doubled `exponent` times in base 10^9.
    static func integerDigits(_ n: Double) -> String {
        var limbs: [UInt64] = [n.significandBitPattern | (1 << 52)]
        for _ in 0..<(Int(n.exponent) - 52) {
            var carry: UInt64 = 0
            for i in limbs.indices {
                let v = limbs[i] * 2 + carry
                (limbs[i], carry) = (v % 1_000_000_000, v / 1_000_000_000)
            }
            if carry > 0 { limbs.append(carry) }
        }
        // The first limb may hold the whole significand; normalise it to base 10^9.
        var normal = [UInt64]()
        var carry: UInt64 = 0
        for l in limbs {
            let v = l + carry
            normal.append(v % 1_000_000_000)
            carry = v / 1_000_000_000
        }
        while carry > 0 {
            normal.append(carry % 1_000_000_000)
            carry /= 1_000_000_000
        }
        let head = String(normal.removeLast())
        return head
            + normal.reversed().map { d in
                let t = String(d); return String(repeating: "0", count: 9 - t.count) + t
            }.joined()
    }

    /// A Python float as json.dumps writes it: repr's shortest round trip, `.0` on an integral
    /// value below 1e16, and JavaScript's names for the values JSON lacks.
    public static func formatFloat(_ n: Double) -> String {
        if n.isNaN { return "NaN" }
        if n.isInfinite { return n > 0 ? "Infinity" : "-Infinity" }
        return pythonRepr(n)
    }

    /// `repr(float)`: Swift's shortest description agrees with it (exponent below 1e-4 and from
    /// 1e16 on) except that Python keeps `.0` on integral values.
    public static func pythonRepr(_ n: Double) -> String {
        if n.isNaN { return "nan" }
        if n.isInfinite { return n > 0 ? "inf" : "-inf" }
        if n == n.rounded(), abs(n) < 1e16 { return (n == 0 && n.sign == .minus ? "-" : "") + "\(Int64(n)).0" }
        return "\(n)"
    }

    static func writeString(_ s: String, into out: inout String, asciiOnly: Bool) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 || (asciiOnly && u.value > 0x7E) {
                    if u.value > 0xFFFF {
                        let v = u.value - 0x10000
                        out += hex4(0xD800 + (v >> 10))
                        out += hex4(0xDC00 + (v & 0x3FF))
                    } else {
                        out += hex4(u.value)
                    }
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }

    private static func hex4(_ v: UInt32) -> String {
        let h = String(v, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - h.count) + h
    }

    /// Orders strings by Unicode code point, as Python (and so az and JMESPath) compare them.
    public static func codePointLess(_ a: String, _ b: String) -> Bool {
        var ia = a.unicodeScalars.makeIterator()
        var ib = b.unicodeScalars.makeIterator()
        while true {
            switch (ia.next(), ib.next()) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case (let x?, let y?): if x.value != y.value { return x.value < y.value }
            }
        }
    }
}
