import Foundation
import JMESPath

/// What a report shows of an assertion: its value, and the value of each path it reads, so a
/// failure reads as expected against got instead of a document dumped on one line.
enum AssertionTrace {
    static func evaluate(_ expression: String, on doc: JSON?) -> AssertionRecord {
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
    static func paths(in expression: String) -> [String] {
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
    static func fields(of assertions: [String]) -> Set<String> {
        Set(assertions.flatMap(paths).flatMap { $0.split(separator: ".").map(String.init) })
    }
}

/// How a command is shown: with the values its variables had, and its output cut to what matters.
enum CommandDisplay {
    /// `$NAME` and `${NAME}` replaced by their values (a `$(...)` is left as written: it ran once).
    static func substitute(_ text: String, _ variables: [String: String]) -> String {
        var out = ""
        let chars = Array(text)
        var i = 0
        var quoted = false
        while i < chars.count {
            let c = chars[i]
            if c == "'" { quoted.toggle() }
            guard c == "$", !quoted, i + 1 < chars.count else {
                out.append(c)
                i += 1
                continue
            }
            var j = i + 1
            let braced = chars[j] == "{"
            if braced { j += 1 }
            var name = ""
            while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" {
                name.append(chars[j])
                j += 1
            }
            if !name.isEmpty, let v = variables[name], !braced || (j < chars.count && chars[j] == "}") {
                out += v
                i = braced ? j + 1 : j
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }

    /// The output's lines; when it is long, the lines naming a field the assertions read (with one
    /// line around each), the rest elided, so the asserted value is never cut off.
    static func trimmed(_ output: String, keeping fields: Set<String>, maxLines: Int) -> [String] {
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard lines.count > maxLines else { return lines }
        let hits = lines.indices.filter { i in
            fields.contains { lines[i].contains("\"\($0)\":") || lines[i].hasPrefix($0 + ":") }
        }
        guard !hits.isEmpty else {
            return Array(lines.prefix(maxLines)) + ["… (\(lines.count - maxLines) more lines)"]
        }
        var keep = Set<Int>()
        for h in hits { for i in max(0, h - 1)...min(lines.count - 1, h + 1) { keep.insert(i) } }
        var out = [String]()
        var skipped = 0
        for i in lines.indices {
            if keep.contains(i) {
                if skipped > 0 { out.append("… (\(skipped) lines)") }
                skipped = 0
                out.append(lines[i])
            } else {
                skipped += 1
            }
        }
        if skipped > 0 { out.append("… (\(skipped) lines)") }
        return out
    }
}
