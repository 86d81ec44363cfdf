/// `to_number` on a string is jmespath.py's `int(s)`, then `float(s)`: Python's own number
/// syntax, not JSON's. Surrounding whitespace is allowed, so are a `+` sign, single underscores
/// between digits, `.5` and `5.`, and `inf`, `infinity` and `nan` in any case (floats).
enum PythonNumber {
    static func parse(_ text: String) -> JSON? {
        let s = text.trimmingPythonWhitespace
        guard !s.isEmpty else { return nil }
        var body = Substring(s)
        var sign = ""
        if let c = body.first, c == "+" || c == "-" {
            sign = c == "-" ? "-" : ""
            body = body.dropFirst()
        }
        if let digits = digits(body) {
            let trimmed = String(digits.drop { $0 == "0" })
            return trimmed.isEmpty ? .number(0) : .integer(digits: sign + trimmed)
        }
        switch body.lowercased() {
        case "inf", "infinity": return .float(sign == "-" ? -.infinity : .infinity)
        case "nan": return .float(.nan)
        default: break
        }
        // A float: mantissa digits with at most one point (digits on at least one side), then an
        // optional exponent; underscores only between digits.
        var mantissa = body
        var exponent: Substring = ""
        if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = body[..<e]
            exponent = body[body.index(after: e)...]
        }
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        let whole = parts[0].isEmpty ? "" : digits(parts[0])
        let fraction = parts.count == 2 ? (parts[1].isEmpty ? "" : digits(parts[1])) : ""
        guard let whole, let fraction, !(whole.isEmpty && fraction.isEmpty) else { return nil }
        var text = sign + (whole.isEmpty ? "0" : whole) + "." + (fraction.isEmpty ? "0" : fraction)
        if body.contains(where: { $0 == "e" || $0 == "E" }) {
            var exp = exponent
            var expSign = ""
            if let c = exp.first, c == "+" || c == "-" {
                expSign = String(c)
                exp = exp.dropFirst()
            }
            guard let d = digits(exp) else { return nil }
            text += "e" + expSign + d
        }
        return Double(text).map { .float($0) }
    }

    /// The exact sum of two integers written in decimal (an optional `-`, then digits).
    static func add(_ a: String, _ b: String) -> String {
        let (na, da) = (a.hasPrefix("-"), Array(a.drop { $0 == "-" }.utf8).map { Int($0) - 48 })
        let (nb, db) = (b.hasPrefix("-"), Array(b.drop { $0 == "-" }.utf8).map { Int($0) - 48 })
        func compare(_ x: [Int], _ y: [Int]) -> Int {
            let (x, y) = (Array(x.drop { $0 == 0 }), Array(y.drop { $0 == 0 }))
            if x.count != y.count { return x.count < y.count ? -1 : 1 }
            for (p, q) in zip(x, y) where p != q { return p < q ? -1 : 1 }
            return 0
        }
        // Digit arrays, least significant first, combined with the sign of each.
        func combine(_ x: [Int], _ y: [Int], subtract: Bool) -> [Int] {
            var (x, y) = (Array(x.reversed()), Array(y.reversed()))
            let n = max(x.count, y.count)
            x += Array(repeating: 0, count: n - x.count)
            y += Array(repeating: 0, count: n - y.count)
            var out = [Int]()
            var carry = 0
            for i in 0..<n {
                var v = subtract ? x[i] - y[i] - carry : x[i] + y[i] + carry
                carry = 0
                if v < 0 { v += 10; carry = 1 } else if v > 9 { v -= 10; carry = 1 }
                out.append(v)
            }
            if carry > 0 { out.append(carry) }
            return Array(out.reversed())
        }
        let digits: [Int]
        var negative: Bool
        if na == nb {
            digits = combine(da, db, subtract: false)
            negative = na
        } else if compare(da, db) >= 0 {
            digits = combine(da, db, subtract: true)
            negative = na
        } else {
            digits = combine(db, da, subtract: true)
            negative = nb
        }
        let text = String(digits.drop { $0 == 0 }.map { Character(String($0)) })
        if text.isEmpty { negative = false }
        return (negative ? "-" : "") + (text.isEmpty ? "0" : text)
    }

    /// ASCII digits with single underscores between them, underscores removed; nil otherwise.
    private static func digits(_ s: Substring) -> String? {
        guard let first = s.first, let last = s.last, first.isASCIIDigit, last.isASCIIDigit else { return nil }
        var out = ""
        var previousUnderscore = false
        for c in s {
            if c == "_" {
                guard !previousUnderscore else { return nil }
                previousUnderscore = true
                continue
            }
            guard c.isASCIIDigit else { return nil }
            previousUnderscore = false
            out.append(c)
        }
        return out
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    /// Python's str.strip(): whitespace as Unicode defines it.
    fileprivate var trimmingPythonWhitespace: String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }
}

extension JSON {
    /// Python's `int(text)` where it succeeds, else `float(text)`; nil where neither does.
    public static func pythonNumber(_ text: String) -> JSON? { PythonNumber.parse(text) }
}
