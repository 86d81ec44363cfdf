import JMESPath
import OrderedCollections

/// A value as AAZ holds it in Python while it reads an argument: what the shorthand syntax,
/// `json.loads` or `ast.literal_eval` made of the text, then what the schema converted it to. Its
/// `str()` and `type()` are in az's messages (`got 'OrderedDict([('a', 1)])'(<class
/// 'collections.OrderedDict'>)`), so it keeps the distinctions Python's types make.
indirect enum PyValue: Sendable {
    /// AAZ's `AAZBlankArgValue`: `key=` or `{key}`, a value not given.
    case blank
    case none
    case bool(Bool)
    /// An int's decimal digits (Python's ints have no limit).
    case int(String)
    case float(Double)
    case str(String)
    case list([PyValue])
    case tuple([PyValue])
    /// A dict; `ordered` is an OrderedDict, what the shorthand syntax and json.loads make.
    case dict([(key: String, value: PyValue)], ordered: Bool)

    init(json: JSON, ordered: Bool) {
        switch json {
        case .null: self = .none
        case .bool(let b): self = .bool(b)
        case .number(let n) where n == n.rounded() && n.isFinite: self = .int(json.pythonNumberText ?? "0")
        case .number(let n), .float(let n): self = .float(n)
        case .bigInteger(let digits): self = .int(digits)
        case .string(let s): self = .str(s)
        case .array(let a): self = .list(a.map { PyValue(json: $0, ordered: ordered) })
        case .object(let o):
            self = .dict(o.map { ($0.key, PyValue(json: $0.value, ordered: ordered)) }, ordered: ordered)
        }
    }

    var json: JSON {
        switch self {
        case .blank, .none: return .null
        case .bool(let b): return .bool(b)
        case .int(let digits): return .integer(digits: digits)
        case .float(let d): return .float(d)
        case .str(let s): return .string(s)
        case .list(let a), .tuple(let a): return .array(a.map(\.json))
        case .dict(let pairs, _):
            var o = OrderedDictionary<String, JSON>()
            for (k, v) in pairs { o[k] = v.json }
            return .object(o)
        }
    }

    var isBlank: Bool { if case .blank = self { return true } else { return false } }

    /// `type(value)` as Python prints it.
    var pythonType: String {
        let name: String
        switch self {
        case .blank: name = "azure.cli.core.aaz._base._AAZBlankArgValueType"
        case .none: name = "NoneType"
        case .bool: name = "bool"
        case .int: name = "int"
        case .float: name = "float"
        case .str: name = "str"
        case .list: name = "list"
        case .tuple: name = "tuple"
        case .dict(_, let ordered): name = ordered ? "collections.OrderedDict" : "dict"
        }
        return "<class '\(name)'>"
    }

    /// `str(value)`.
    var pythonStr: String {
        if case .str(let s) = self { return s }
        return pythonRepr
    }

    /// `repr(value)` (Python 3.11's, the version az was checked with: 3.12 prints an OrderedDict
    /// as `OrderedDict({'a': 1})`).
    var pythonRepr: String {
        switch self {
        case .blank: return "BlankArgValue"
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let digits): return digits
        case .float(let d): return JSON.pythonRepr(d)
        case .str(let s): return PyValue.stringRepr(s)
        case .list(let a): return "[" + a.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .tuple(let a):
            return a.count == 1 ? "(\(a[0].pythonRepr),)" : "(" + a.map(\.pythonRepr).joined(separator: ", ") + ")"
        case .dict(let pairs, let ordered):
            if ordered {
                guard !pairs.isEmpty else { return "OrderedDict()" }
                return "OrderedDict(["
                    + pairs.map { "(\(PyValue.stringRepr($0.key)), \($0.value.pythonRepr))" }
                    .joined(separator: ", ") + "])"
            }
            return "{"
                + pairs.map { "\(PyValue.stringRepr($0.key)): \($0.value.pythonRepr)" }
                .joined(separator: ", ") + "}"
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
