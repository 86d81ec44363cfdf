import Foundation
/// A line of keydrill's command language, split into words after quoting and substitution.
public struct ParsedLine: Sendable, Equatable {
    /// `NAME=value` words before the command (alone on a line they set session variables; before a
    /// command they set the environment of that command only).
    public var assignments: [(String, String)]
    public var words: [String]

    public static func == (a: ParsedLine, b: ParsedLine) -> Bool {
        a.words == b.words && a.assignments.map { $0.0 + "=" + $0.1 } == b.assignments.map { $0.0 + "=" + $0.1 }
    }
}

/// A usage error in the line itself (exit 2), naming the column.
public struct LineSyntaxError: Error, Sendable, Equatable {
    public let message: String
}

/// Resolves `$NAME` / `${NAME}` and runs `$(command)` for the lexer.
public protocol SubstitutionContext {
    func variable(_ name: String) -> String?
    /// The command's stdout, or throws with its exit code.
    mutating func commandOutput(_ line: String) throws -> String
}

public struct SubstitutionFailed: Error, Sendable {
    public let message: String
    public let exitCode: Int32
}

/// Words, single and double quotes, backslash escapes, `#` comments, `$VAR`, `${VAR}`, `$?`,
/// `$(command)` (its stdout with the trailing newline removed), `NAME=value`. An unquoted
/// substitution is split on white space, as a POSIX shell does; a quoted one is not.
public enum LineLexer {
    enum Piece { case literal(String), splittable(String) }

    public static func parse<C: SubstitutionContext>(_ line: String, context: inout C) throws -> ParsedLine {
        let chars = Array(line)
        var i = 0
        var words = [(pieces: [Piece], quotedAny: Bool, assignmentName: String?)]()
        while true {
            while i < chars.count, chars[i] == " " || chars[i] == "\t" || chars[i] == "\n" || chars[i] == "\r" {
                i += 1
            }
            guard i < chars.count else { break }
            if chars[i] == "#" { break }
            var pieces = [Piece]()
            var quotedAny = false
            var assignmentName: String?
            // NAME= at the start of a word marks an assignment.
            if words.allSatisfy({ $0.assignmentName != nil }) {
                var j = i
                while j < chars.count, chars[j].isLetter || chars[j] == "_" || (j > i && chars[j].isNumber) { j += 1 }
                if j > i, j < chars.count, chars[j] == "=", chars[i].isLetter || chars[i] == "_", chars[i].isASCII {
                    assignmentName = String(chars[i..<j])
                    i = j + 1
                }
            }
            var literal = ""
            func flush() { if !literal.isEmpty { pieces.append(.literal(literal)); literal = "" } }
            wordLoop: while i < chars.count {
                let c = chars[i]
                switch c {
                case " ", "\t", "\n", "\r":
                    break wordLoop
                case "'":
                    quotedAny = true
                    let start = i
                    i += 1
                    while i < chars.count, chars[i] != "'" { literal.append(chars[i]); i += 1 }
                    guard i < chars.count else {
                        throw LineSyntaxError(message: "unbalanced quote: the ' at column \(start + 1) is never closed")
                    }
                    i += 1
                case "\"":
                    quotedAny = true
                    let start = i
                    i += 1
                    while true {
                        guard i < chars.count else {
                            throw LineSyntaxError(
                                message: "unbalanced quote: the \" at column \(start + 1) is never closed")
                        }
                        let d = chars[i]
                        if d == "\"" { i += 1; break }
                        if d == "\\", i + 1 < chars.count, "\"\\$`\n".contains(chars[i + 1]) {
                            if chars[i + 1] != "\n" { literal.append(chars[i + 1]) }
                            i += 2
                            continue
                        }
                        if d == "$" {
                            if let (text, next) = try expand(chars, i, &context) {
                                literal += text
                                i = next
                                continue
                            }
                        }
                        literal.append(d)
                        i += 1
                    }
                case "\\":
                    if i + 1 < chars.count {
                        if chars[i + 1] != "\n" { literal.append(chars[i + 1]) }
                        i += 2
                    } else {
                        i += 1  // a trailing backslash joins lines; the reader has already done so
                    }
                case "$":
                    if let (text, next) = try expand(chars, i, &context) {
                        flush()
                        pieces.append(.splittable(text))
                        i = next
                    } else {
                        literal.append(c)
                        i += 1
                    }
                default:
                    literal.append(c)
                    i += 1
                }
            }
            flush()
            words.append((pieces, quotedAny, assignmentName))
        }

        var result = ParsedLine(assignments: [], words: [])
        var inCommand = false
        for w in words {
            if !inCommand, let name = w.assignmentName {
                result.assignments.append(
                    (
                        name,
                        w.pieces.map { p -> String in
                            switch p {
                            case .literal(let s), .splittable(let s): return s
                            }
                        }.joined()
                    ))
                continue
            }
            inCommand = true
            // Field splitting: unquoted substitutions break the word at white space.
            var current: String? = w.quotedAny ? "" : nil
            var fields = [String]()
            for p in w.pieces {
                switch p {
                case .literal(let s): current = (current ?? "") + s
                case .splittable(let s):
                    let parts = s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
                    if parts.isEmpty { continue }
                    let startsWithSpace = s.first.map { $0 == " " || $0 == "\t" || $0 == "\n" } ?? false
                    let endsWithSpace = s.last.map { $0 == " " || $0 == "\t" || $0 == "\n" } ?? false
                    for (k, part) in parts.enumerated() {
                        if k == 0, !startsWithSpace {
                            current = (current ?? "") + part
                        } else {
                            if let c = current { fields.append(c) }
                            current = part
                        }
                    }
                    if endsWithSpace, let c = current { fields.append(c); current = nil }
                }
            }
            if let c = current { fields.append(c) }
            result.words.append(contentsOf: fields)
        }
        return result
    }

    /// Expands the `$...` at `i`; nil when the `$` is literal.
    static func expand<C: SubstitutionContext>(
        _ chars: [Character], _ i: Int, _ context: inout C
    ) throws -> (String, Int)? {
        guard i + 1 < chars.count else { return nil }
        let n = chars[i + 1]
        if n == "?" { return (context.variable("?") ?? "0", i + 2) }
        if n == "{" {
            guard let close = chars[(i + 2)...].firstIndex(of: "}") else {
                throw LineSyntaxError(message: "unbalanced brace: the ${ at column \(i + 1) is never closed")
            }
            let body = String(chars[(i + 2)..<close])
            // ${NAME}, and the shell's prefix/suffix trims ${NAME#P} ${NAME##P} ${NAME%P} ${NAME%%P}
            // (P a glob with * and ?), which is how a script cuts the version off a key id.
            let name = String(body.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
            guard isName(name) else {
                throw LineSyntaxError(message: "bad substitution: ${\(body)} at column \(i + 1)")
            }
            let rest = String(body.dropFirst(name.count))
            let v = try value(name, context)
            if rest.isEmpty { return (v, close + 1) }
            for op in ["##", "#", "%%", "%"] where rest.hasPrefix(op) {
                return (trim(v, op: op, pattern: String(rest.dropFirst(op.count))), close + 1)
            }
            throw LineSyntaxError(
                message:
                    "bad substitution: ${\(body)} at column \(i + 1) (keydrill expands ${NAME}, ${NAME#P}, "
                    + "${NAME##P}, ${NAME%P}, ${NAME%%P})"
            )
        }
        if n == "(" {
            let close = try matchingParen(chars, i + 1)
            let inner = String(chars[(i + 2)..<close])
            var output = try context.commandOutput(inner)
            while output.hasSuffix("\n") { output.removeLast() }
            return (output, close + 1)
        }
        if n.isLetter || n == "_" {
            var j = i + 1
            while j < chars.count, chars[j].isASCII, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" {
                j += 1
            }
            return (try value(String(chars[(i + 1)..<j]), context), j)
        }
        return nil
    }

    /// Removes the shortest (`#`, `%`) or longest (`##`, `%%`) prefix or suffix matching a glob.
    static func trim(_ v: String, op: String, pattern: String) -> String {
        var regex = ""
        for c in pattern {
            switch c {
            case "*": regex += ".*"
            case "?": regex += "."
            default: regex += NSRegularExpression.escapedPattern(for: String(c))
            }
        }
        let chars = Array(v)
        let lengths = op.count == 2 ? Array((0...chars.count).reversed()) : Array(0...chars.count)
        for n in lengths {
            let piece = op.hasPrefix("#") ? String(chars[0..<n]) : String(chars[(chars.count - n)...])
            if piece.range(of: "^(?:\(regex))$", options: .regularExpression) != nil {
                return op.hasPrefix("#") ? String(chars[n...]) : String(chars[0..<(chars.count - n)])
            }
        }
        return v
    }

    private static func value<C: SubstitutionContext>(_ name: String, _ context: C) throws -> String {
        guard let v = context.variable(name) else {
            throw SubstitutionFailed(message: "\(name): unbound variable", exitCode: 1)
        }
        return v
    }

    static func isName(_ s: String) -> Bool {
        guard let f = s.first, f.isLetter || f == "_" else { return false }
        return s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// The index of the `)` closing the `(` at `open`, skipping quoted text and nested parens.
    static func matchingParen(_ chars: [Character], _ open: Int) throws -> Int {
        var depth = 0
        var i = open
        var quote: Character?
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                if c == "\\", q == "\"" { i += 2; continue }
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "\\" {
                i += 2
                continue
            } else if c == "(" {
                depth += 1
            } else if c == ")" {
                depth -= 1
                if depth == 0 { return i }
            }
            i += 1
        }
        throw LineSyntaxError(message: "unbalanced parenthesis: the $( at column \(open) is never closed")
    }

    /// True when the text cannot stand alone yet: it ends in a backslash, or a quote or `$(` is
    /// still open. Readers then join it with the next line.
    public static func needsContinuation(_ text: String) -> Bool {
        let chars = Array(text)
        var i = 0
        var quote: Character?
        var depth = 0
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                if c == "\\", q == "\"" { i += 2; continue }
                if c == q { quote = nil }
            } else if c == "#", depth == 0, i == 0 || chars[i - 1] == " " || chars[i - 1] == "\t" {
                return false
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "\\" {
                if i == chars.count - 1 { return true }
                i += 2
                continue
            } else if c == "$", i + 1 < chars.count, chars[i + 1] == "(" {
                depth += 1
                i += 2
                continue
            } else if c == ")", depth > 0 {
                depth -= 1
            }
            i += 1
        }
        return quote != nil || depth > 0
    }
}
