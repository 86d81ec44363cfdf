import Foundation

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
