import JMESPath

/// A JSON value as Python's `str()` and `type()` show it once `json.loads` has read it, for the
/// messages az builds from them (`got '1.5'(<class 'float'>)`): the JSON value keeps `1` an int
/// and `1.0` a float, as Python does.
enum PythonValue {
    static func className(_ v: JSON) -> String {
        switch v {
        case .null: return "NoneType"
        case .bool: return "bool"
        case .number(let n): return n == n.rounded() ? "int" : "float"
        case .bigInteger: return "int"
        case .float: return "float"
        case .string: return "str"
        case .array: return "list"
        case .object: return "dict"
        }
    }

    static func str(_ v: JSON) -> String {
        if case .string(let s) = v { return s }
        return repr(v)
    }

    static func repr(_ v: JSON) -> String {
        switch v {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .number, .float, .bigInteger: return v.pythonNumberText!
        case .string(let s): return stringRepr(s)
        case .array(let a): return "[" + a.map(repr).joined(separator: ", ") + "]"
        case .object(let o): return "{" + o.map { "'\($0.key)': \(repr($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    /// `repr(str)`: single quotes unless the text has one and no double quote; backslashes,
    /// quotes and control characters escaped as Python escapes them.
    static func stringRepr(_ s: String) -> String {
        let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(u) == quote {
                    out += "\\" + String(quote)
                } else if u.value < 0x20 || u.value == 0x7F {
                    out += "\\x" + (u.value < 0x10 ? "0" : "") + String(u.value, radix: 16)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + String(quote)
    }
}
