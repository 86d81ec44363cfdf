/// The shell's own syntax in a line: a pipe, `&&`, `||`, `;`, `&`, a redirection or a backquote
/// outside quotes, which keydrill's line language does not have and bash does. A runbook hands
/// such a line to bash; the shell and `-c` say how to run it there.
public enum ShellSyntax {
    /// Where the first such operator stands, and the operator.
    public static func firstOperator(in line: String) -> (index: String.Index, text: String)? {
        var single = false, double = false, escaped = false
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            defer { i = line.index(after: i) }
            if escaped { escaped = false; continue }
            if c == "\\" && !single { escaped = true; continue }
            if c == "'" && !double { single.toggle(); continue }
            if c == "\"" && !single { double.toggle(); continue }
            // A `#` that starts a word starts a comment: nothing after it is read.
            if c == "#", !single, !double, i == line.startIndex || line[line.index(before: i)].isWhitespace {
                return nil
            }
            guard !single, !double, "|&;<>`".contains(c) else { continue }
            let next = line.index(after: i)
            let pair = next < line.endIndex ? String(line[i...next]) : String(c)
            return (i, ["&&", "||", ">>", "2>"].contains(pair) ? pair : String(c))
        }
        return nil
    }

    public static func needsBash(_ line: String) -> Bool { firstOperator(in: line) != nil }

    /// What keydrill says of a line with bash's syntax, and the bash form that does what it meant.
    public static func refusal(_ line: String) -> String? {
        guard let (at, op) = firstOperator(in: line) else { return nil }
        let left = line[..<at].trimmingCharacters(in: .whitespaces)
        let right = line[at...].trimmingCharacters(in: .whitespaces)
        let quoted = "'" + left.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
        return "ERROR: keydrill's lines are not bash: '\(op)' is bash's syntax. Run it in bash with keydrill as its "
            + "az: keydrill -c \(quoted) \(right)\n  or: keydrill shim DIR, put DIR first on PATH, and run the line "
            + "as it is (a runbook runs such lines in bash itself)\n"
    }
}
