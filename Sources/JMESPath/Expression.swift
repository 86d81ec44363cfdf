import OrderedCollections

/// A compiled JMESPath expression.
public struct JMESPathExpression: Sendable {
    let root: Node
    public let text: String

    public init(_ text: String) throws {
        self.text = text
        self.root = try Parser.parse(text)
    }

    public func search(_ data: JSON) throws -> JSON {
        try Interpreter.evaluate(root, data)
    }

    /// True when the top of the expression is a multiselect hash: az keeps that hash's key order
    /// in `-o tsv` and `-o table` instead of sorting.
    public var isMultiSelectHash: Bool {
        if case .multiSelectHash = root { return true }
        if case .projection(_, let r) = root, case .multiSelectHash = r { return true }
        if case .filterProjection(_, let r, _) = root, case .multiSelectHash = r { return true }
        if case .valueProjection(_, let r) = root, case .multiSelectHash = r { return true }
        return false
    }
}

enum Interpreter {
    static func evaluate(_ node: Node, _ value: JSON) throws -> JSON {
        switch node {
        case .identity, .current: return value
        case .field(let name): return value[name]
        case .literal(let v): return v
        case .subexpression(let l, let r): return try evaluate(r, try evaluate(l, value))
        case .index(let i):
            guard case .array(let a) = value else { return .null }
            let idx = i < 0 ? a.count + i : i
            return idx >= 0 && idx < a.count ? a[idx] : .null
        case .slice(let start, let stop, let step):
            // jmespath.py parses a zero step and leaves it to Python, which refuses it on a list
            // only: anything else is not sliced at all.
            switch value {
            case .array(let a):
                if step == 0 {
                    var e = JMESPathError(.invalidValue, "slice step cannot be zero")
                    e.raisedByPython = true
                    throw e
                }
                return .array(slice(a, start, stop, step))
            case .string where step == 0: return .null
            case .string(let s):
                var out = ""
                out.unicodeScalars.append(contentsOf: slice(Array(s.unicodeScalars), start, stop, step))
                return .string(out)
            default: return .null
            }
        case .indexExpression(let l, let r): return try evaluate(r, try evaluate(l, value))
        case .projection(let l, let r):
            guard case .array(let a) = try evaluate(l, value) else { return .null }
            var out = [JSON]()
            for e in a {
                let v = try evaluate(r, e)
                if !v.isNull { out.append(v) }
            }
            return .array(out)
        case .valueProjection(let l, let r):
            guard case .object(let o) = try evaluate(l, value) else { return .null }
            var out = [JSON]()
            for e in o.values {
                let v = try evaluate(r, e)
                if !v.isNull { out.append(v) }
            }
            return .array(out)
        case .filterProjection(let l, let r, let condition):
            guard case .array(let a) = try evaluate(l, value) else { return .null }
            var out = [JSON]()
            for e in a where try evaluate(condition, e).isTruthy {
                let v = try evaluate(r, e)
                if !v.isNull { out.append(v) }
            }
            return .array(out)
        case .flatten(let inner):
            guard case .array(let a) = try evaluate(inner, value) else { return .null }
            var out = [JSON]()
            for e in a {
                if case .array(let sub) = e { out.append(contentsOf: sub) } else { out.append(e) }
            }
            return .array(out)
        // jmespath.py evaluates a bare `&expr` to an object of its own: equal to nothing, ordered
        // with nothing.
        case .comparator(let op, let l, let r) where isExpref(l) || isExpref(r):
            if !isExpref(l) { _ = try evaluate(l, value) }
            if !isExpref(r) { _ = try evaluate(r, value) }
            return op == .eq ? .bool(false) : op == .ne ? .bool(true) : .null
        case .comparator(let op, let l, let r):
            return compare(op, try evaluate(l, value), try evaluate(r, value))
        case .or(let l, let r):
            let a = try evaluate(l, value)
            return a.isTruthy ? a : try evaluate(r, value)
        case .and(let l, let r):
            let a = try evaluate(l, value)
            return a.isTruthy ? try evaluate(r, value) : a
        // jmespath.py evaluates a bare `&expr` to an object, which is truthy.
        case .not(.expref): return .bool(false)
        case .not(let e): return .bool(!(try evaluate(e, value)).isTruthy)
        case .pipe(let l, let r): return try evaluate(r, try evaluate(l, value))
        case .multiSelectList(let items):
            if value.isNull { return .null }
            return .array(try items.map { try evaluate($0, value) })
        case .multiSelectHash(let pairs):
            if value.isNull { return .null }
            var o = OrderedDictionary<String, JSON>()
            for (k, n) in pairs { o[k] = try evaluate(n, value) }
            return .object(o)
        case .function(let name, let args):
            return try Functions.call(name, args, value)
        case .expref:
            throw JMESPathError(.invalidType, "an expression reference (&) is only valid as a function argument")
        }
    }

    private static func isExpref(_ node: Node) -> Bool { if case .expref = node { return true } else { return false } }

    static func compare(_ op: TokenKind, _ a: JSON, _ b: JSON) -> JSON {
        switch op {
        case .eq: return .bool(a == b)
        case .ne: return .bool(a != b)
        default:
            // jmespath.py (the engine az embeds) orders strings too, by code point, as Python does.
            if case .string(let x) = a, case .string(let y) = b {
                let less = x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars)
                let greater = y.unicodeScalars.lexicographicallyPrecedes(x.unicodeScalars)
                switch op {
                case .lt: return .bool(less)
                case .lte: return .bool(!greater)
                case .gt: return .bool(greater)
                case .gte: return .bool(!less)
                default: return .null
                }
            }
            guard let x = a.numberValue, let y = b.numberValue else { return .null }
            switch op {
            case .lt: return .bool(x < y)
            case .lte: return .bool(x <= y)
            case .gt: return .bool(x > y)
            case .gte: return .bool(x >= y)
            default: return .null
            }
        }
    }

    /// Python's slice semantics (`list[start:stop:step]`).
    static func slice<T>(_ a: [T], _ start: Int?, _ stop: Int?, _ step: Int?) -> [T] {
        let n = a.count
        let step = step ?? 1
        func clamp(_ v: Int?, _ def: Int, _ lo: Int, _ hi: Int) -> Int {
            guard var v else { return def }
            if v < 0 { v += n }
            return min(max(v, lo), hi)
        }
        var out = [T]()
        if step > 0 {
            let s = clamp(start, 0, 0, n)
            let e = clamp(stop, n, 0, n)
            var i = s
            while i < e { out.append(a[i]); i += step }
        } else {
            let s = clamp(start, n - 1, -1, n - 1)
            let e = clamp(stop, -1, -1, n - 1)
            var i = s
            while i > e { out.append(a[i]); i += step }
        }
        return out
    }
}

extension JMESPathExpression {
    /// The dotted field paths the expression reads from the document it is given (`key.kid`,
    /// `state`): what a failed assertion can show the value of. Paths inside a projection, a
    /// filter or the right of a pipe read each element, not the document, and are left out.
    public var fieldPaths: [String] {
        var out = [String]()
        // The field chain an expression starts with, and whether the chain is all of it (so
        // what follows a complete chain extends it: `a.b[0].c` reads `a.b`).
        func lead(_ n: Node) -> (path: [String], complete: Bool)? {
            switch n {
            case .field(let name): return ([name], true)
            case .subexpression(let a, let b):
                guard let l = lead(a) else { return nil }
                if l.complete, let r = lead(b) { return (l.path + r.path, r.complete) }
                return (l.path, false)
            case .indexExpression(let a, _), .projection(let a, _), .valueProjection(let a, _),
                .filterProjection(let a, _, _), .flatten(let a):
                return lead(a).map { ($0.path, false) }
            default: return nil
            }
        }
        func walk(_ n: Node) {
            if let l = lead(n) {
                let path = l.path.map(Self.quotedIfNeeded).joined(separator: ".")
                if !out.contains(path) { out.append(path) }
                return
            }
            switch n {
            case .subexpression(let a, _), .indexExpression(let a, _), .projection(let a, _),
                .valueProjection(let a, _), .filterProjection(let a, _, _), .pipe(let a, _), .flatten(let a),
                .not(let a):
                walk(a)
            case .comparator(_, let a, let b), .or(let a, let b), .and(let a, let b):
                walk(a)
                walk(b)
            case .multiSelectList(let items): items.forEach(walk)
            case .multiSelectHash(let pairs): pairs.forEach { walk($0.1) }
            case .function(_, let args): args.forEach(walk)
            default: break
            }
        }
        walk(root)
        return out
    }

    /// A field as an expression names it: bare when it is an identifier, quoted when not.
    static func quotedIfNeeded(_ name: String) -> String {
        let bare =
            name.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
            && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        return bare ? name : JSON.string(name).serialized(.compact)
    }
}
