import AzureCLI

/// Secrets never reach the history file, a report or a debug line: the value of any option the
/// command table marks secret (`az postgres server create -p ...`, `--admin-password`) is
/// replaced, however the line spells it: an abbreviated option (`--admin-pass`), `-pVALUE`,
/// `--opt=VALUE`, quoted values with spaces, extra blanks, continuation lines, inside `$(...)`,
/// behind `expect-fail` or `await`, or after `NAME=value` assignments; and the value of an
/// assignment whose name says it holds a secret (`PW=...`, `DB_PASSWORD=...`). Other `-p`
/// options (`az keyvault key create -p software`) are left alone.
public enum HistoryRedaction {
    public static let mask = "********"

    public static func redact(_ line: String, table: CommandTable = .shared) -> String {
        let chars = Array(line)
        var replacements = [(Range<Int>, value: String)]()
        for span in commands(chars) { redact(chars, span, table: table, into: &replacements) }
        var out = chars
        for (range, _) in replacements.sorted(by: { $0.0.lowerBound > $1.0.lowerBound }) {
            out.replaceSubrange(range, with: Array(mask))
        }
        return String(out)
    }

    /// Whether a variable's name says it holds a secret.
    public static func isSecretName(_ name: String) -> Bool {
        let n = name.uppercased()
        return ["PASS", "PWD", "SECRET", "TOKEN"].contains { n.contains($0) } || n == "PW" || n.hasSuffix("_PW")
    }

    /// Every secret value the line gives (for masking them wherever they are printed later).
    public static func secrets(in line: String, table: CommandTable = .shared) -> [String] {
        let chars = Array(line)
        var replacements = [(Range<Int>, value: String)]()
        for span in commands(chars) { redact(chars, span, table: table, into: &replacements) }
        return replacements.map(\.value).filter { !$0.isEmpty && !$0.hasPrefix("$") }
    }

    /// The variables a line passes as secret values (`-p $PW`, `-p "${PW}"`), by name.
    public static func variableSecrets(in line: String, table: CommandTable = .shared) -> [String] {
        let chars = Array(line)
        var found = [(Range<Int>, value: String)]()
        for span in commands(chars) { redact(chars, span, table: table, into: &found, keepVariables: true) }
        return found.compactMap { f in
            f.value.wholeMatch(of: /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/).map { String($0.1) }
        }
    }

    /// A word of the line: its text with quotes removed, where it is, and where each of its
    /// characters came from (so part of a word, after `=`, can be replaced in the original).
    struct Word {
        var text = ""
        var origin = [Int]()
        var range: Range<Int> { (origin.first ?? 0)..<((origin.last ?? -1) + 1) }
        /// `$(...)` bodies inside the word, as ranges of the original line.
        var substitutions = [Range<Int>]()
    }

    static func words(_ c: [Character], _ span: Range<Int>) -> [Word] {
        var out = [Word]()
        var w: Word?
        var i = span.lowerBound
        func add(_ ch: Character, _ at: Int) {
            if w == nil { w = Word() }
            w!.text.append(ch)
            w!.origin.append(at)
        }
        var quote: Character?
        while i < span.upperBound {
            let ch = c[i]
            if quote == nil, ch == " " || ch == "\t" || ch == "\n" {
                if let done = w { out.append(done); w = nil }
                i += 1
                continue
            }
            if ch == "\\", quote != "'", i + 1 < span.upperBound {
                if c[i + 1] == "\n" { i += 2; continue }
                add(c[i + 1], i + 1)
                i += 2
                continue
            }
            if ch == "'" || ch == "\"" {
                if quote == nil { quote = ch; if w == nil { w = Word() }; i += 1; continue }
                if quote == ch { quote = nil; i += 1; continue }
            }
            if ch == "$", quote != "'", i + 1 < span.upperBound, c[i + 1] == "(" {
                let end = closing(c, i + 1, span.upperBound)
                if w == nil { w = Word() }
                w!.substitutions.append((i + 2)..<max(i + 2, end))
                for k in i..<min(end + 1, span.upperBound) { add(c[k], k) }
                i = end + 1
                continue
            }
            add(ch, i)
            i += 1
        }
        if let done = w { out.append(done) }
        return out
    }

    /// The commands of a line or of a bash script: the spans between unquoted newlines, `;`, `|`
    /// and `&` outside any `$(...)`, so every az line of a bash block is read, not only its first.
    static func commands(_ c: [Character]) -> [Range<Int>] {
        var spans = [Range<Int>]()
        var start = 0, depth = 0, i = 0
        var quote: Character?
        while i < c.count {
            let ch = c[i]
            if ch == "\\", quote != "'" { i += 2; continue }
            if ch == "'" || ch == "\"" {
                quote = quote == nil ? ch : (quote == ch ? nil : quote)
            } else if quote == nil {
                if ch == "(" { depth += 1 }
                if ch == ")" { depth = max(0, depth - 1) }
                if depth == 0, "\n;|&".contains(ch) {
                    if i > start { spans.append(start..<i) }
                    start = i + 1
                }
            }
            i += 1
        }
        if c.count > start { spans.append(start..<c.count) }
        return spans
    }

    /// The index of the `)` matching the `(` at `open`, or the end.
    static func closing(_ c: [Character], _ open: Int, _ end: Int) -> Int {
        var depth = 0
        var i = open
        var quote: Character?
        while i < end {
            let ch = c[i]
            if ch == "\\", quote != "'" { i += 2; continue }
            if ch == "'" || ch == "\"" { quote = quote == nil ? ch : (quote == ch ? nil : quote) }
            if quote == nil {
                if ch == "(" { depth += 1 }
                if ch == ")" { depth -= 1; if depth == 0 { return i } }
            }
            i += 1
        }
        return end
    }

    static func redact(
        _ c: [Character], _ span: Range<Int>, table: CommandTable, into out: inout [(Range<Int>, value: String)],
        keepVariables: Bool = false
    ) {
        let ws = words(c, span)
        for w in ws {
            for s in w.substitutions { redact(c, s, table: table, into: &out, keepVariables: keepVariables) }
        }
        func maskValue(of w: Word, from offset: Int) {
            guard offset < w.origin.count else { return }
            // A variable's name is no secret; its value never reaches the line.
            if !keepVariables, w.text.dropFirst(offset).wholeMatch(of: /\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/) != nil {
                return
            }
            out.append((w.origin[offset]..<(w.origin.last! + 1), String(w.text.dropFirst(offset))))
        }
        var i = 0
        // NAME=value assignments, alone or before the command.
        while i < ws.count, let eq = ws[i].text.firstIndex(of: "="), ws[i].text.first != "-" {
            let name = String(ws[i].text[..<eq])
            if isSecretName(name) { maskValue(of: ws[i], from: name.count + 1) }
            i += 1
        }
        // Wrappers that run the command after their own options.
        while i < ws.count, let wrapper = BuiltinCatalogue.spec(ws[i].text), !wrapper.wrapperOptions.isEmpty {
            i += 1
            while i + 1 < ws.count, wrapper.wrapperOptions.contains(where: { $0.name == ws[i].text }) { i += 2 }
        }
        if i < ws.count, ws[i].text == "az" { i += 1 }
        var path = [String]()
        while i < ws.count,
            let next = table.children[path.joined(separator: " ")]?.first(where: {
                $0.lowercased() == ws[i].text.lowercased()
            })
        {
            path.append(next)
            i += 1
        }
        guard let spec = table.command(path.joined(separator: " ")) else { return }
        let secret = spec.parameters.filter(\.isSecret).flatMap(\.options)
        guard !secret.isEmpty else { return }
        let longs = spec.parameters.flatMap(\.options).filter { $0.hasPrefix("--") }
        /// A secret long option, or an abbreviation az would expand to one.
        func isSecretOption(_ o: String) -> Bool {
            if secret.contains(o) { return true }
            guard o.hasPrefix("--"), o.count > 2 else { return false }
            let matches = longs.filter { $0.hasPrefix(o) }
            return !matches.isEmpty && matches.allSatisfy { secret.contains($0) }
        }
        let shorts = secret.filter { !$0.hasPrefix("--") }
        while i < ws.count {
            let t = ws[i].text
            if let eq = t.firstIndex(of: "="), t.hasPrefix("-"), isSecretOption(String(t[..<eq])) {
                maskValue(of: ws[i], from: t.distance(from: t.startIndex, to: eq) + 1)
            } else if isSecretOption(t) {
                if i + 1 < ws.count { maskValue(of: ws[i + 1], from: 0); i += 1 }
            } else if let s = shorts.first(where: { t.hasPrefix($0) && t.count > $0.count }) {
                maskValue(of: ws[i], from: s.count)
            }
            i += 1
        }
    }
}
