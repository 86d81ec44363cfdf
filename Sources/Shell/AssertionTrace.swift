@preconcurrency import Foundation
import JMESPath

/// What an assertion read and gave: its value, and the value of each path it reads, so a failure
/// reads as expected against got (in the shell's message and in a report), not as a document
/// dumped on one line.
public enum AssertionTrace {
    public static func evaluate(_ expression: String, on doc: JSON?) -> AssertionRecord {
        guard let doc else {
            return AssertionRecord(expression: expression, value: "(no JSON output)", reads: [:], passed: false)
        }
        let value: JSON?
        do { value = try JMESPathExpression(expression).search(doc) } catch { value = nil }
        var reads = [String: String]()
        for path in paths(in: expression) {
            if let v = try? JMESPathExpression(path).search(doc) { reads[path] = v.serialized(.compact) }
        }
        return AssertionRecord(
            expression: expression, value: value?.serialized(.compact) ?? "(error)", reads: reads,
            passed: value?.isTruthy ?? false)
    }

    /// The dotted field paths an expression reads (`key.kid`, `state`), outside its string and
    /// JSON literals and not naming a function.
    public static func paths(in expression: String) -> [String] {
        var out = [String]()
        var current = ""
        var quote: Character?
        let chars = Array(expression)
        func flush(_ next: Character?) {
            let trimmed = current.trimmingCharacters(in: CharacterSet(charactersIn: "."))
            if !trimmed.isEmpty, next != "(", !["null", "true", "false"].contains(trimmed), !out.contains(trimmed),
                trimmed.first.map({ $0.isLetter || $0 == "_" }) == true
            {
                out.append(trimmed)
            }
            current = ""
        }
        for (i, c) in chars.enumerated() {
            if let q = quote {
                if c == q { quote = nil }
                continue
            }
            if c == "'" || c == "`" || c == "\"" {
                flush(nil)
                quote = c
                continue
            }
            if c.isLetter || c.isNumber || c == "_" || (c == "." && !current.isEmpty) {
                current.append(c)
            } else {
                let next = chars[i...].first { $0 != " " }
                flush(next)
            }
        }
        flush(nil)
        return out
    }

    /// Which top-level fields the assertions after a command read: the lines of its output worth showing.
    public static func fields(of assertions: [String]) -> Set<String> {
        Set(assertions.flatMap(paths).flatMap { $0.split(separator: ".").map(String.init) })
    }
}

public struct AssertionRecord: Codable, Sendable {
    public let expression: String
    /// The expression's value, and each path it reads with its value there (compact JSON).
    public let value: String
    public let reads: [String: String]
    public let passed: Bool
}
