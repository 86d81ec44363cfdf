import Foundation
import JMESPath

/// knack's automatic table: one row per item, a column per scalar field (lists, objects and nulls
/// left out, `id`/`type`/`etag` skipped), headers with the first letter capitalised, laid out as
/// tabulate's "simple" format as knack calls it: every column left-aligned (numbers are not
/// parsed) and each cell's surrounding blanks trimmed (checked with az 2.91's knack).
enum TableFormatter {
    static let skippedKeys: Set<String> = ["id", "type", "etag"]

    static func render(_ value: JSON, sortKeys: Bool) -> String {
        let rows: [[(String, JSON)]]
        if case .array(let items) = value {
            rows = items.map { row($0, sortKeys: sortKeys) }
        } else {
            rows = [row(value, sortKeys: sortKeys)]
        }
        var headers = [String]()
        for r in rows { for (k, _) in r where !headers.contains(k) { headers.append(k) } }
        guard !headers.isEmpty else { return "\n" }
        let cells: [[String]] = rows.map { r in
            headers.map { h in
                r.first { $0.0 == h }.map { cell($0.1).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            }
        }
        // tabulate pads every header by two before comparing with the cells.
        let widths = headers.indices.map { c in max(headers[c].count + 2, cells.map { $0[c].count }.max() ?? 0) }
        func pad(_ s: String, _ c: Int) -> String {
            s + String(repeating: " ", count: widths[c] - s.count)
        }
        var lines = [headers.indices.map { pad(headers[$0], $0) }.joined(separator: "  ")]
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for r in cells { lines.append(r.indices.map { pad(r[$0], $0) }.joined(separator: "  ")) }
        return lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n") + "\n"
    }

    private static func row(_ item: JSON, sortKeys: Bool) -> [(String, JSON)] {
        switch item {
        case .object(let o):
            let keys = sortKeys ? o.keys.sorted(by: JSON.codePointLess) : Array(o.keys)
            return keys.compactMap { k in
                guard !skippedKeys.contains(k), let v = o[k] else { return nil }
                switch v {
                case .null, .array, .object: return nil
                default: return (capitalizeFirst(k), v)
                }
            }
        case .array(let a):
            return a.enumerated().map { ("Column\($0.offset + 1)", $0.element) }
        default:
            return [("Result", item)]
        }
    }

    static func capitalizeFirst(_ k: String) -> String { k.prefix(1).uppercased() + k.dropFirst() }

    private static func cell(_ v: JSON) -> String {
        switch v {
        case .bool(let b): return b ? "True" : "False"
        case .string(let s): return s
        case .number, .float, .bigInteger: return v.pythonNumberText!
        case .null: return ""
        // tabulate writes str() of a list or dict cell: Python's repr of it.
        case .array, .object: return PyValue(json: v, ordered: false).pythonRepr
        }
    }
}
