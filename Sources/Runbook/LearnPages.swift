import Foundation
import Shell

/// What a Microsoft Learn page needs to run as it is: its `<placeholder>` words bound to
/// variables, and its az lines that are really bash (a pipe, `&&`, a redirection) run by bash.
enum Placeholders {
    static var pattern: Regex<(Substring, Substring)> { #/<([A-Za-z_][A-Za-z0-9_-]*)>/# }

    static func names(in text: String) -> [String] {
        text.matches(of: pattern).map { String($0.output.1) }
    }

    /// The line with every bound placeholder replaced by its value, and the unbound names. A value
    /// is quoted for where it stands (bare, inside double quotes, inside single quotes), so bash
    /// and keydrill's line language both read it as the one literal word it is: never as code,
    /// a redirection or more options, whatever it holds.
    static func substitute(_ text: String, _ values: [String: String]) -> (text: String, unbound: [String]) {
        var unbound = [String]()
        var out = ""
        var quote: Character? = nil
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "<", let m = text[i...].prefixMatch(of: pattern) {
                let name = String(m.output.1)
                if let v = values[name] {
                    out += ShellQuoting.quote(v, inside: quote)
                } else {
                    unbound.append(name)
                    out += m.output.0
                }
                i = m.range.upperBound
                continue
            }
            out.append(c)
            if c == "\\", quote != "'", text.index(after: i) < text.endIndex {
                i = text.index(after: i)
                out.append(text[i])
            } else if c == "'" || c == "\"" {
                if quote == nil { quote = c } else if quote == c { quote = nil }
            }
            i = text.index(after: i)
        }
        return (out, unbound)
    }
}

/// POSIX quoting, which bash and keydrill's line language read alike.
enum ShellQuoting {
    /// Words made of these alone read the same quoted or not, so a plain name stays as written.
    static func isPlain(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { c in
            c.properties.isAlphabetic && c.isASCII || ("0"..."9").contains(c) || "_./:@%+,-".unicodeScalars.contains(c)
        }
    }

    /// `value` as literal text at a place that is bare, or inside `"` or `'` quotes.
    static func quote(_ value: String, inside quote: Character?) -> String {
        if isPlain(value) { return value }
        switch quote {
        case "'": return value.replacingOccurrences(of: "'", with: #"'\''"#)
        case "\"":
            var s = ""
            for c in value {
                if "\\\"$`".contains(c) { s.append("\\") }
                s.append(c)
            }
            return s
        default: return "'" + value.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
        }
    }
}

enum ShellSyntax {
    /// Whether the line uses the shell's own syntax outside quotes: a pipe, `&&`, `||`, `;`, `&`
    /// or a redirection, which keydrill's line language does not have and bash does.
    static func needsBash(_ line: String) -> Bool {
        var single = false, double = false, escaped = false
        for c in line {
            if escaped { escaped = false; continue }
            if c == "\\" && !single { escaped = true; continue }
            if c == "'" && !double { single.toggle(); continue }
            if c == "\"" && !single { double.toggle(); continue }
            if !single && !double && "|&;<>`".contains(c) { return true }
        }
        return false
    }
}

extension RunbookRunner {
    /// A command as it runs: placeholders bound (Learn lines), and whether bash runs it.
    static func prepare(
        _ c: RunbookDocument.Command, _ values: [String: String]
    ) -> (text: String, bash: Bool, unbound: [String]) {
        switch c.kind {
        case .keydrill: return (c.text, false, [])
        case .shell:
            // bash reads `<file>` as a redirection: a shell block's values come as exported variables.
            return (c.text, true, [])
        case .azurecli:
            let (text, unbound) = Placeholders.substitute(c.text, values)
            // keydrill's own words keep their language (`assert a && b` is an expression).
            let first = String(text.drop { $0 == " " || $0 == "\t" }.prefix { $0 != " " && $0 != "\t" })
            if let known = LineCommand(first), known != .az { return (text, false, unbound) }
            return (text, ShellSyntax.needsBash(text), unbound)
        }
    }

    /// A step's commands as they run: line-language lines with their continuations joined,
    /// shell blocks whole.
    public static func logicalLines(_ step: RunbookDocument.Step) -> [RunbookDocument.Command] {
        var result = [RunbookDocument.Command]()
        var pending: RunbookDocument.Command?
        for c in step.commands {
            if c.kind == .shell {
                if let p = pending { result.append(p); pending = nil }
                result.append(c)
                continue
            }
            if var p = pending {
                p.text += "\n" + c.text
                pending = p
            } else {
                if c.text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                pending = c
            }
            if !LineLexer.needsContinuation(pending!.text) {
                result.append(pending!)
                pending = nil
            }
        }
        if let p = pending { result.append(p) }
        return result
    }
}
