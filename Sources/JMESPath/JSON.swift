import OrderedCollections

/// A JSON value. Objects keep the order their keys were inserted in, because az keeps the order of a
/// `--query` multiselect hash in `-o tsv` and `-o table`; everything else sorts keys when it prints.
public enum JSON: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number as Python's `int` reads it (az prints `3`); a fraction when it is not integral.
    case number(Double)
    /// A Python `float`: what JSON writes with a fraction or exponent, and what `avg` returns. It
    /// equals the `number` of the same value, and prints as Python prints a float (`3.0`).
    case float(Double)
    /// A Python `int` too large for a Double to hold exactly, as its decimal digits (with `-`):
    /// Python's ints have no limit, and az prints them whole. Arithmetic sees its nearest Double.
    case bigInteger(String)
    case string(String)
    case array([JSON])
    case object(OrderedDictionary<String, JSON>)

    public static func int(_ value: Int) -> JSON { .number(Double(value)) }

    /// JMESPath's notion of truth: false, null and empty strings, arrays and objects are false.
    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .number, .float, .bigInteger: return true
        case .string(let s): return !s.isEmpty
        case .array(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        }
    }

    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number, .float, .bigInteger: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var arrayValue: [JSON]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: OrderedDictionary<String, JSON>? {
        if case .object(let o) = self { return o } else { return nil }
    }
    /// The value of either kind of number.
    public var numberValue: Double? {
        switch self {
        case .number(let n), .float(let n): return n
        case .bigInteger(let digits): return Double(digits)
        default: return nil
        }
    }
    public var isFloat: Bool { if case .float = self { return true } else { return false } }

    /// A Python int of any size: a Double when it holds these digits exactly, else the digits.
    public static func integer(digits: String) -> JSON {
        guard let d = Double(digits) else { return .null }
        if d == 0 { return .number(0) }
        return formatNumber(d) == digits ? .number(d) : .bigInteger(digits)
    }

    /// `str()` of the value as Python shows a number: an int's digits, a float's repr (`3.0`,
    /// `1e-07`, `inf`); nil for anything else.
    public var pythonNumberText: String? {
        switch self {
        case .number(let n): return n == n.rounded() && n.isFinite ? JSON.formatNumber(n) : JSON.pythonRepr(n)
        case .float(let n): return JSON.pythonRepr(n)
        case .bigInteger(let digits): return digits
        default: return nil
        }
    }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    public subscript(key: String) -> JSON {
        if case .object(let o) = self { return o[key] ?? .null }
        return .null
    }

    public subscript(index: Int) -> JSON {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return .null
    }

    /// Equality as JMESPath and JSON define it: object key order does not matter.
    public static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)), (.float(let a), .float(let b)), (.number(let a), .float(let b)),
            (.float(let a), .number(let b)):
            return a == b
        // Python compares an int with a float exactly: the float's own value, digit for digit.
        case (.bigInteger(let a), .bigInteger(let b)): return a == b
        case (.bigInteger(let a), .number(let b)), (.bigInteger(let a), .float(let b)),
            (.number(let b), .bigInteger(let a)),
            (.float(let b), .bigInteger(let a)):
            return b == b.rounded() && b.isFinite && JSON.formatNumber(b) == a
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (k, v) in a { guard let w = b[k], w == v else { return false } }
            return true
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .number(let n), .float(let n): hasher.combine(n)
        case .bigInteger(let digits): hasher.combine(Double(digits) ?? 0)
        case .string(let s): hasher.combine(s)
        case .array(let a): hasher.combine(a)
        case .object(let o):
            hasher.combine(o.count)
            for k in o.keys.sorted() { hasher.combine(k); hasher.combine(o[k]) }
        }
    }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
    public init(dictionaryLiteral elements: (String, JSON)...) {
        var o = OrderedDictionary<String, JSON>()
        for (k, v) in elements { o[k] = v }
        self = .object(o)
    }
}

extension JSON {
    /// Builds an object from optional values, mapping nil to JSON null (az's SDK models print every
    /// attribute, null when unset).
    public static func object(_ pairs: [(String, JSON?)]) -> JSON {
        var o = OrderedDictionary<String, JSON>()
        for (k, v) in pairs { o[k] = v ?? .null }
        return .object(o)
    }

    public static func string(_ s: String?) -> JSON { s.map { .string($0) } ?? .null }
}
