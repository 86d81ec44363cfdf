import JMESPath
import OrderedCollections
import Yams

/// Turns a command's result into the text az prints for `-o json|jsonc|yaml|yamlc|tsv|table|none`.
public enum OutputFormatter {
    /// - Parameters:
    ///   - keepKeyOrder: true when `--query` built the objects (a multiselect hash), whose key
    ///     order az keeps in tsv and table; false sorts keys as az does for service results.
    ///   - color: colour for jsonc/yamlc (only on a terminal, never with NO_COLOR).
    public static func render(
        _ value: JSON, as format: OutputFormat, keepKeyOrder: Bool = false, queryActive: Bool = false,
        color: Bool = false
    ) -> String {
        // az prints nothing at all for a null result, whatever the format.
        if value.isNull { return "" }
        switch format {
        case .none: return ""
        case .json: return value.serialized(.az) + "\n"
        case .jsonc: return color ? JSONColorizer.colorize(value) + "\n" : value.serialized(.az) + "\n"
        case .yaml, .yamlc: return yaml(value)
        case .tsv: return tsv(value, keepKeyOrder: keepKeyOrder)
        case .table: return TableFormatter.render(value, sortKeys: !queryActive)
        }
    }

    // MARK: yaml (PyYAML safe_dump layout: block style, sorted keys, indentless sequences)

    static func yaml(_ value: JSON) -> String {
        let node = yamlNode(value)
        // PyYAML's default line width: a long scalar is folded at a space past column 80.
        let text = (try? Yams.serialize(node: node, width: 80, allowUnicode: true, sortKeys: true)) ?? ""
        // PyYAML ends a document whose root is a plain (unquoted) scalar with the end marker.
        switch value {
        case .array, .object: return text
        default: return text.hasPrefix("'") || text.hasPrefix("\"") ? text : text + "...\n"
        }
    }

    private static func yamlNode(_ value: JSON) -> Yams.Node {
        switch value {
        case .null: return Yams.Node("null", Tag(.null))
        case .bool(let b): return Yams.Node(b ? "true" : "false", Tag(.bool))
        case .number(let n) where n == n.rounded() && n.isFinite:
            return Yams.Node(JSON.formatNumber(n), Tag(.int))
        case .bigInteger(let digits): return Yams.Node(digits, Tag(.int))
        case .number(let n), .float(let n): return Yams.Node(yamlFloat(n), Tag(.float))
        case .string(let s):
            // A string that YAML would read back as another type ("true", "123", "null", "") is
            // single-quoted, as PyYAML's safe_dump does.
            let readsBackAs = Resolver.default.resolveTag(of: Yams.Node(s))
            let quoted = s.isEmpty || readsBackAs != .str
            return Yams.Node(s, Tag(.str), quoted ? .singleQuoted : .any)
        case .array(let a): return Yams.Node(a.map(yamlNode))
        case .object(let o): return Yams.Node(o.map { (Yams.Node($0.key, Tag(.str)), yamlNode($0.value)) })
        }
    }

    /// PyYAML's represent_float: repr, lowercased, with `.0` put before a bare exponent, and
    /// YAML's own names for infinity and NaN.
    static func yamlFloat(_ n: Double) -> String {
        if n.isNaN { return ".nan" }
        if n.isInfinite { return n > 0 ? ".inf" : "-.inf" }
        let r = JSON.pythonRepr(n).lowercased()
        return !r.contains(".") && r.contains("e") ? r.replacingOccurrences(of: "e", with: ".0e") : r
    }

    // MARK: tsv (knack's _TsvOutput)

    static func tsv(_ value: JSON, keepKeyOrder: Bool) -> String {
        var out = ""
        // A bare scalar is printed as it is, booleans in JSON spelling.
        switch value {
        case .bool(let b): return (b ? "true" : "false") + "\n"
        case .array(let rows):
            for row in rows { tsvRow(row, keepKeyOrder: keepKeyOrder, into: &out) }
        default:
            tsvRow(value, keepKeyOrder: keepKeyOrder, into: &out)
        }
        return out
    }

    private static func tsvRow(_ row: JSON, keepKeyOrder: Bool, into out: inout String) {
        let cells: [JSON]
        switch row {
        case .object(let o):
            cells = keepKeyOrder ? Array(o.values) : o.keys.sorted(by: JSON.codePointLess).map { o[$0]! }
        case .array(let a): cells = a
        // A row that is a bare boolean is written lowercased; one inside a row is str()'s `True`.
        case .bool(let b):
            out += (b ? "true" : "false") + "\n"
            return
        default: cells = [row]
        }
        out += cells.map(tsvCell).joined(separator: "\t")
        out += "\n"
    }

    static func tsvCell(_ v: JSON) -> String {
        switch v {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .number, .float, .bigInteger: return v.pythonNumberText!
        case .string(let s): return s
        case .array(let a): return String(a.count)
        case .object: return ""
        }
    }
}
