enum TokenKind: Equatable, Sendable {
    case unquotedIdentifier(String)
    case quotedIdentifier(String)
    case number(Int)
    case literal(JSON)
    case dot, star, flatten, filter, lbracket, rbracket, lbrace, rbrace, lparen, rparen
    case comma, colon, pipe, or, and, not, expref, current
    case eq, ne, lt, lte, gt, gte
    case eof

    /// Binding powers from the reference implementation; a projection stops at anything below 10.
    var bindingPower: Int {
        switch self {
        case .pipe: return 1
        case .or: return 2
        case .and: return 3
        case .eq, .ne, .lt, .lte, .gt, .gte: return 5
        case .flatten: return 9
        case .star: return 20
        case .filter: return 21
        case .dot: return 40
        case .not: return 45
        case .lbrace: return 50
        case .lbracket: return 55
        case .lparen: return 60
        default: return 0
        }
    }
}

struct Token: Sendable {
    let kind: TokenKind
    let position: Int
}

struct Lexer {
    private let scalars: [Unicode.Scalar]
    private var pos = 0

    init(_ expression: String) { scalars = Array(expression.unicodeScalars) }

    static func tokenize(_ expression: String) throws -> [Token] {
        var lexer = Lexer(expression)
        var tokens = [Token]()
        while true {
            let t = try lexer.next()
            tokens.append(t)
            if t.kind == .eof { return tokens }
        }
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        pos + offset < scalars.count ? scalars[pos + offset] : nil
    }

    private func syntax(_ message: String) -> JMESPathError {
        JMESPathError(.syntax, "\(message) at column \(pos + 1)")
    }

    mutating func next() throws -> Token {
        while let c = peek(), c == " " || c == "\t" || c == "\n" || c == "\r" { pos += 1 }
        let start = pos
        guard let c = peek() else { return Token(kind: .eof, position: pos) }
        func single(_ k: TokenKind) -> Token { pos += 1; return Token(kind: k, position: start) }
        switch c {
        case ".": return single(.dot)
        case "*": return single(.star)
        case "]": return single(.rbracket)
        case "{": return single(.lbrace)
        case "}": return single(.rbrace)
        case "(": return single(.lparen)
        case ")": return single(.rparen)
        case ",": return single(.comma)
        case ":": return single(.colon)
        case "@": return single(.current)
        case "[":
            if peek(1) == "]" { pos += 2; return Token(kind: .flatten, position: start) }
            if peek(1) == "?" { pos += 2; return Token(kind: .filter, position: start) }
            return single(.lbracket)
        case "|":
            if peek(1) == "|" { pos += 2; return Token(kind: .or, position: start) }
            return single(.pipe)
        case "&":
            if peek(1) == "&" { pos += 2; return Token(kind: .and, position: start) }
            return single(.expref)
        case "!":
            if peek(1) == "=" { pos += 2; return Token(kind: .ne, position: start) }
            return single(.not)
        case "=":
            if peek(1) == "=" { pos += 2; return Token(kind: .eq, position: start) }
            throw syntax("unexpected '=' (did you mean '=='?)")
        case "<":
            if peek(1) == "=" { pos += 2; return Token(kind: .lte, position: start) }
            return single(.lt)
        case ">":
            if peek(1) == "=" { pos += 2; return Token(kind: .gte, position: start) }
            return single(.gt)
        case "'": return Token(kind: .literal(.string(try rawString())), position: start)
        case "`": return Token(kind: .literal(try jsonLiteral()), position: start)
        case "\"": return Token(kind: .quotedIdentifier(try quotedIdentifier()), position: start)
        case "-", "0"..."9":
            pos += 1
            var digits = String(c)
            while let d = peek(), ("0"..."9").contains(d) { digits.unicodeScalars.append(d); pos += 1 }
            guard digits != "-", let n = Int(digits) else { throw syntax("invalid number '\(digits)'") }
            return Token(kind: .number(n), position: start)
        default:
            if isIdentifierStart(c) {
                var name = ""
                while let d = peek(), isIdentifierStart(d) || ("0"..."9").contains(d) {
                    name.unicodeScalars.append(d)
                    pos += 1
                }
                return Token(kind: .unquotedIdentifier(name), position: start)
            }
            throw syntax("unexpected character '\(c)'")
        }
    }

    private func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_"
    }

    /// `'...'`: a backslash always takes the next character with it (so `\\'` does not close the
    /// literal), and only `\'` is unescaped, as the reference implementation does.
    private mutating func rawString() throws -> String {
        pos += 1
        var s = ""
        while true {
            guard let c = peek() else { throw syntax("unterminated raw string literal") }
            pos += 1
            if c == "'" { return s.replacingAll("\\'", with: "'") }
            s.unicodeScalars.append(c)
            if c == "\\", let n = peek() {
                s.unicodeScalars.append(n)
                pos += 1
            }
        }
    }

    private mutating func jsonLiteral() throws -> JSON {
        pos += 1
        var s = ""
        while true {
            guard let c = peek() else { throw syntax("unterminated JSON literal") }
            pos += 1
            if c == "`" { break }
            if c == "\\", peek() == "`" { s.unicodeScalars.append("`"); pos += 1; continue }
            s.unicodeScalars.append(c)
        }
        if let v = try? JSON.parse(s) { return v }
        // jmespath.py's deprecated form: a literal that is not JSON is the string it spells.
        let trimmed = String(s.drop { $0 == " " || $0 == "\t" || $0 == "\n" })
        if let v = try? JSON.parse("\"" + trimmed + "\""), case .string = v { return v }
        throw syntax("invalid JSON literal `\(s)`")
    }

    private mutating func quotedIdentifier() throws -> String {
        let start = pos
        pos += 1
        while true {
            guard let c = peek() else { throw syntax("unterminated quoted identifier") }
            pos += 1
            if c == "\\" { pos += 1; continue }
            if c == "\"" { break }
        }
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars[start..<pos])
        guard case .string(let s)? = try? JSON.parse(text) else { throw syntax("invalid quoted identifier \(text)") }
        return s
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return self.split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
