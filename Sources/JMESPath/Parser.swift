/// A top-down operator-precedence parser for the JMESPath grammar.
struct Parser {
    private let tokens: [Token]
    private var index = 0
    private var depth = 0

    /// How deeply an expression may nest, counting the parser's recursion and the left-nested
    /// chains it builds in a loop (`a.a.a...`, `a || b || c`): evaluating, and even releasing,
    /// the tree recurses once a level, so an unbounded depth would overflow the stack.
    /// jmespath.py is bounded by Python's recursion limit (1,000 frames, several a level).
    static let maxDepth = 256

    init(tokens: [Token]) { self.tokens = tokens }

    static func parse(_ expression: String) throws -> Node {
        var p = Parser(tokens: try Lexer.tokenize(expression))
        let node = try p.expression(0)
        guard p.current.kind == .eof else { throw p.unexpected() }
        return node
    }

    private var current: Token { tokens[index] }
    private func lookahead(_ n: Int) -> TokenKind { tokens[min(index + n, tokens.count - 1)].kind }
    private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    private func unexpected() -> JMESPathError {
        let t = current
        if t.kind == .eof { return JMESPathError(.syntax, "unexpected end of expression") }
        return JMESPathError(.syntax, "unexpected token \(describe(t.kind)) at column \(t.position + 1)")
    }

    private func describe(_ k: TokenKind) -> String {
        switch k {
        case .unquotedIdentifier(let s), .quotedIdentifier(let s): return "'\(s)'"
        case .number(let n): return "'\(n)'"
        case .literal: return "literal"
        default: return "'\(k)'"
        }
    }

    private mutating func expect(_ k: TokenKind) throws {
        guard current.kind == k else { throw unexpected() }
        advance()
    }

    static func tooDeep() -> JMESPathError {
        JMESPathError(.syntax, "the expression nests more than \(maxDepth) levels deep")
    }

    mutating func expression(_ bindingPower: Int) throws -> Node {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw Self.tooDeep() }
        let token = current
        advance()
        var left = try nud(token)
        let entryDepth = depth
        defer { depth = entryDepth }
        while bindingPower < current.kind.bindingPower {
            let t = current
            advance()
            depth += 1
            guard depth <= Self.maxDepth else { throw Self.tooDeep() }
            left = try led(t, left)
        }
        return left
    }

    private mutating func nud(_ token: Token) throws -> Node {
        switch token.kind {
        case .literal(let v): return .literal(v)
        case .unquotedIdentifier(let name): return .field(name)
        case .quotedIdentifier(let name):
            if current.kind == .lparen {
                throw JMESPathError(
                    .syntax, "quoted identifier not allowed for function names at column \(token.position + 1)")
            }
            return .field(name)
        case .star:
            let right: Node = current.kind == .rbracket ? .identity : try projectionRHS(TokenKind.star.bindingPower)
            return .valueProjection(.identity, right)
        case .filter:
            return try filter(left: .identity)
        case .lbrace:
            return try multiSelectHash()
        case .lparen:
            let e = try expression(0)
            try expect(.rparen)
            return e
        case .flatten:
            let right = try projectionRHS(TokenKind.flatten.bindingPower)
            return .projection(.flatten(.identity), right)
        case .not:
            return .not(try expression(TokenKind.not.bindingPower))
        case .lbracket:
            if case .number = current.kind { return try projectIfSlice(.identity, try indexExpression()) }
            if current.kind == .colon { return try projectIfSlice(.identity, try indexExpression()) }
            if current.kind == .star, lookahead(1) == .rbracket {
                advance(); advance()
                return .projection(.identity, try projectionRHS(TokenKind.star.bindingPower))
            }
            return try multiSelectList()
        case .current:
            return .current
        case .expref:
            return .expref(try expression(TokenKind.expref.bindingPower))
        case .eof:
            throw JMESPathError(.syntax, "unexpected end of expression")
        default:
            index -= 1
            throw unexpected()
        }
    }

    private mutating func led(_ token: Token, _ left: Node) throws -> Node {
        switch token.kind {
        case .dot:
            if current.kind == .star {
                advance()
                return .valueProjection(left, try projectionRHS(TokenKind.dot.bindingPower))
            }
            return .subexpression(left, try dotRHS(TokenKind.dot.bindingPower))
        case .pipe: return .pipe(left, try expression(TokenKind.pipe.bindingPower))
        case .or: return .or(left, try expression(TokenKind.or.bindingPower))
        case .and: return .and(left, try expression(TokenKind.and.bindingPower))
        case .lparen:
            guard case .field(let name) = left else {
                throw JMESPathError(.syntax, "invalid function call at column \(token.position + 1)")
            }
            // As jmespath.py (az's engine) parses arguments: a comma after each is optional, so
            // `f(a b)` is two arguments and `f(a,)` one.
            var args = [Node]()
            while current.kind != .rparen {
                args.append(try expression(0))
                if current.kind == .comma { advance() }
            }
            advance()
            return .function(name, args)
        case .filter: return try filter(left: left)
        case .eq, .ne, .lt, .lte, .gt, .gte:
            return .comparator(token.kind, left, try expression(token.kind.bindingPower))
        case .flatten:
            return .projection(.flatten(left), try projectionRHS(TokenKind.flatten.bindingPower))
        case .lbracket:
            if case .number = current.kind { return try indexAfter(left) }
            if current.kind == .colon { return try indexAfter(left) }
            try expect(.star)
            try expect(.rbracket)
            return .projection(left, try projectionRHS(TokenKind.star.bindingPower))
        default:
            index -= 1
            throw unexpected()
        }
    }

    private mutating func filter(left: Node) throws -> Node {
        let condition = try expression(0)
        try expect(.rbracket)
        let right: Node = current.kind == .flatten ? .identity : try projectionRHS(TokenKind.filter.bindingPower)
        return .filterProjection(left, right, condition: condition)
    }

    private mutating func indexExpression() throws -> Node {
        if lookahead(0) == .colon || lookahead(1) == .colon { return try slice() }
        guard case .number(let n) = current.kind else { throw unexpected() }
        advance()
        try expect(.rbracket)
        return .index(n)
    }

    private mutating func slice() throws -> Node {
        var parts: [Int?] = [nil, nil, nil]
        var i = 0
        while current.kind != .rbracket {
            switch current.kind {
            case .colon:
                i += 1
                if i == 3 { throw unexpected() }
                advance()
            case .number(let n):
                parts[i] = n
                advance()
            default:
                throw unexpected()
            }
        }
        advance()
        return .slice(parts[0], parts[1], parts[2])
    }

    /// `left[n]` or `left[a:b]`. jmespath.py adds an index or slice that follows an index
    /// expression to that expression as one more step, so such a slice does not project:
    /// `x[-1][1:].*` is `(x[-1])[1:]` then `.*`, null on a list.
    private mutating func indexAfter(_ left: Node) throws -> Node {
        let right = try indexExpression()
        if case .indexExpression = left { return .indexExpression(left, right) }
        return try projectIfSlice(left, right)
    }

    private mutating func projectIfSlice(_ left: Node, _ right: Node) throws -> Node {
        let e = Node.indexExpression(left, right)
        if right.isSlice { return .projection(e, try projectionRHS(TokenKind.star.bindingPower)) }
        return e
    }

    private mutating func projectionRHS(_ bindingPower: Int) throws -> Node {
        if current.kind.bindingPower < 10 { return .identity }
        switch current.kind {
        case .lbracket, .filter: return try expression(bindingPower)
        case .dot:
            advance()
            return try dotRHS(bindingPower)
        default: throw unexpected()
        }
    }

    private mutating func dotRHS(_ bindingPower: Int) throws -> Node {
        switch current.kind {
        case .unquotedIdentifier, .quotedIdentifier, .star: return try expression(bindingPower)
        case .lbracket:
            advance()
            return try multiSelectList()
        case .lbrace:
            advance()
            return try multiSelectHash()
        default: throw unexpected()
        }
    }

    private mutating func multiSelectList() throws -> Node {
        var items = [Node]()
        while true {
            items.append(try expression(0))
            if current.kind == .rbracket { advance(); break }
            try expect(.comma)
        }
        return .multiSelectList(items)
    }

    private mutating func multiSelectHash() throws -> Node {
        var pairs = [(String, Node)]()
        while true {
            let key: String
            switch current.kind {
            case .unquotedIdentifier(let s), .quotedIdentifier(let s): key = s
            default: throw unexpected()
            }
            advance()
            try expect(.colon)
            pairs.append((key, try expression(0)))
            // jmespath.py: the comma between pairs is optional (a trailing one is not).
            if current.kind == .rbrace { advance(); break }
            if current.kind == .comma { advance() }
        }
        return .multiSelectHash(pairs)
    }
}
