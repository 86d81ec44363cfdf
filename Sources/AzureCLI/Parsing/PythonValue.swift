import JMESPath

/// A JSON value as Python's `str()` and `type()` show it once `json.loads` has read it, for the
/// messages az builds from them (`got '1.5'(<class 'float'>)`). `text` is the JSON it came from:
/// Python keeps `1` an int and `1.0` a float, which a Double cannot tell apart.
enum PythonValue {
    static func isFloat(_ text: String) -> Bool { text.contains { $0 == "." || $0 == "e" || $0 == "E" } }

    static func className(_ v: JSON, text: String) -> String {
        switch v {
        case .null: return "NoneType"
        case .bool: return "bool"
        case .number: return isFloat(text) ? "float" : "int"
        case .string: return "str"
        case .array: return "list"
        case .object: return "dict"
        }
    }

    static func str(_ v: JSON, text: String) -> String {
        if case .string(let s) = v { return s }
        return repr(v, float: isFloat(text))
    }

    static func repr(_ v: JSON, float: Bool = true) -> String {
        switch v {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .number(let n):
            if n == n.rounded(), abs(n) < 1e16 { return float ? "\(Int64(n)).0" : "\(Int64(n))" }
            return "\(n)"
        case .string(let s): return "'\(s)'"
        case .array(let a): return "[" + a.map { repr($0, float: false) }.joined(separator: ", ") + "]"
        case .object(let o):
            return "{" + o.map { "'\($0.key)': \(repr($0.value, float: false))" }.joined(separator: ", ") + "}"
        }
    }
}
