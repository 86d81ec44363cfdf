import Foundation
import Shell

/// What a Microsoft Learn page needs to run as it is: its `<placeholder>` words bound to
/// variables, and its az lines that are really bash (a pipe, `&&`, a redirection) run by bash.
enum Placeholders {
    /// Learn's forms: `<resource-group-name>`, `<RESOURCE_GROUP>`, `<server name>`, `<Key Vault
    /// name>`: a letter first and last, and letters, digits, `_`, `-`, `.` or single spaces
    /// between. A name with spaces is bound as it is written: `--var 'server name=pg1'`.
    static var pattern: Regex<(Substring, Substring)> {
        #/<([A-Za-z_](?:[A-Za-z0-9_.-]| (?! ))*[A-Za-z0-9_]|[A-Za-z_])>/#
    }

    /// How to bind a placeholder on the command line, quoted when its name has a space.
    static func binding(_ name: String) -> String {
        name.contains(" ") ? "--var '\(name)=VALUE'" : "--var \(name)=VALUE"
    }

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
        !s.isEmpty
            && s.unicodeScalars.allSatisfy { c in
                c.properties.isAlphabetic && c.isASCII || ("0"..."9").contains(c)
                    || "_./:@%+,-".unicodeScalars.contains(c)
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

/// A Microsoft Learn page's own structure, read before the runbook is: `[!INCLUDE ...]` lines
/// replaced by the files they name, and one zone pivot kept (`::: zone pivot="..."` to
/// `::: zone-end`), the others left out, so a page runs its az lines and not its portal steps or
/// REST calls.
public struct LearnPage: Sendable {
    public var text: String
    /// The pivots present on the page and left out.
    public var skippedPivots: [String] = []
    public var pivot: String?
    /// Includes named on the page that no folder held.
    public var missingIncludes: [String] = []

    /// - Parameters:
    ///   - pivot: the zone pivot to run; nil picks the page's az CLI pivot (the first whose name
    ///     says CLI), else the first pivot.
    ///   - includeDirs: folders to look in for includes after the page's own folder.
    public static func read(
        _ text: String, path: String, pivot: String? = nil, includeDirs: [String] = []
    ) -> LearnPage {
        var page = LearnPage(text: text)
        let folders = [(path as NSString).deletingLastPathComponent] + includeDirs
        page.text = expandIncludes(text, folders: folders, depth: 0, missing: &page.missingIncludes)
        page.selectPivot(pivot)
        return page
    }

    static var include: Regex<(Substring, Substring)> {
        #/^\s*(?:>\s*)?\[!INCLUDE\s*(?:\[[^\]]*\])?\(([^)]+)\)\]\s*$/#.ignoresCase()
    }

    static func expandIncludes(_ text: String, folders: [String], depth: Int, missing: inout [String]) -> String {
        var out = [String]()
        for line in text.components(separatedBy: "\n") {
            guard let m = line.wholeMatch(of: include) else {
                out.append(line)
                continue
            }
            let target = String(m.output.1).trimmingCharacters(in: .whitespaces)
            let found = folders.lazy.map { ($0 as NSString).appendingPathComponent(target) }.first {
                FileManager.default.isReadableFile(atPath: $0)
            }
            guard depth < 5, let file = found, let body = try? String(contentsOfFile: file, encoding: .utf8) else {
                if !missing.contains(target) { missing.append(target) }
                out.append("")
                continue
            }
            let folder = (file as NSString).deletingLastPathComponent
            out.append(
                expandIncludes(
                    withoutFrontMatter(body), folders: [folder] + folders, depth: depth + 1, missing: &missing))
        }
        return out.joined(separator: "\n")
    }

    /// An include's own front matter describes the include, not the page.
    static func withoutFrontMatter(_ text: String) -> String {
        let lines = text.components(separatedBy: "\n")
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---",
            let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" })
        else { return text }
        return lines[(end + 1)...].joined(separator: "\n")
    }

    static var zoneStart: Regex<(Substring, Substring)> { #/^\s*:::\s*zone\s+pivot\s*=\s*"([^"]*)"\s*$/# }
    static var zoneEnd: Regex<Substring> { #/^\s*:::\s*zone-end\s*$/# }

    /// Keeps the chosen pivot's zones and blanks the others' lines (so line numbers stay the
    /// page's own).
    mutating func selectPivot(_ wanted: String?) {
        var lines = text.components(separatedBy: "\n")
        var pivots = [String]()
        for line in lines {
            if let m = line.wholeMatch(of: Self.zoneStart) {
                for p in m.output.1.split(separator: ",") {
                    let name = p.trimmingCharacters(in: .whitespaces)
                    if !pivots.contains(name) { pivots.append(name) }
                }
            }
        }
        guard !pivots.isEmpty else { return }
        if let wanted, !pivots.contains(wanted) {
            skippedPivots = pivots
            return
        }
        let chosen =
            wanted ?? pivots.first { $0.lowercased().contains("cli") } ?? pivots[0]
        pivot = chosen
        skippedPivots = pivots.filter { $0 != chosen }
        var keeping: Bool?
        for i in lines.indices {
            if let m = lines[i].wholeMatch(of: Self.zoneStart) {
                keeping = m.output.1.split(separator: ",").contains {
                    $0.trimmingCharacters(in: .whitespaces) == chosen
                }
                lines[i] = ""
            } else if lines[i].wholeMatch(of: Self.zoneEnd) != nil {
                keeping = nil
                lines[i] = ""
            } else if keeping == false {
                lines[i] = ""
            }
        }
        text = lines.joined(separator: "\n")
    }
}
