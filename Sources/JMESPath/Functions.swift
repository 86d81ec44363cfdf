import OrderedCollections

/// JMESPath's built-in functions, with the specification's argument type rules.
enum Functions {
    struct Signature {
        let minArgs: Int
        let variadic: Bool
    }

    static let table: [String: Signature] = [
        "abs": .init(minArgs: 1, variadic: false), "avg": .init(minArgs: 1, variadic: false),
        "ceil": .init(minArgs: 1, variadic: false), "contains": .init(minArgs: 2, variadic: false),
        "ends_with": .init(minArgs: 2, variadic: false), "floor": .init(minArgs: 1, variadic: false),
        "join": .init(minArgs: 2, variadic: false), "keys": .init(minArgs: 1, variadic: false),
        "length": .init(minArgs: 1, variadic: false), "map": .init(minArgs: 2, variadic: false),
        "max": .init(minArgs: 1, variadic: false), "max_by": .init(minArgs: 2, variadic: false),
        "merge": .init(minArgs: 1, variadic: true), "min": .init(minArgs: 1, variadic: false),
        "min_by": .init(minArgs: 2, variadic: false), "not_null": .init(minArgs: 1, variadic: true),
        "reverse": .init(minArgs: 1, variadic: false), "sort": .init(minArgs: 1, variadic: false),
        "sort_by": .init(minArgs: 2, variadic: false), "starts_with": .init(minArgs: 2, variadic: false),
        "sum": .init(minArgs: 1, variadic: false), "to_array": .init(minArgs: 1, variadic: false),
        "to_number": .init(minArgs: 1, variadic: false), "to_string": .init(minArgs: 1, variadic: false),
        "type": .init(minArgs: 1, variadic: false), "values": .init(minArgs: 1, variadic: false),
    ]

    private static func typeError(_ name: String, _ expected: String, _ got: JSON) -> JMESPathError {
        JMESPathError(.invalidType, "\(name)() expected \(expected), received \(got.typeName)")
    }

    static func call(_ name: String, _ argNodes: [Node], _ current: JSON) throws -> JSON {
        // As jmespath.py, the engine az embeds: functions are looked up and counted when called,
        // so the command has run by then, and the messages are its own.
        guard let f = table[name] else { throw JMESPathError(.unknownFunction, "Unknown function: \(name)()") }
        if argNodes.count < f.minArgs || (!f.variadic && argNodes.count > f.minArgs) {
            let noun = f.minArgs == 1 ? "argument" : "arguments"
            throw JMESPathError(
                .invalidArity,
                "Expected \(f.variadic ? "at least " : "")\(f.minArgs) \(noun) for function \(name)(), received "
                    + "\(argNodes.count)")
        }
        // JMESPathExpression references are passed unevaluated; everything else is evaluated first.
        var args = [JSON]()
        var exprefs = [Node?]()
        for n in argNodes {
            if case .expref(let inner) = n {
                args.append(.null)
                exprefs.append(inner)
            } else {
                args.append(try Interpreter.evaluate(n, current))
                exprefs.append(nil)
            }
        }
        func expref(_ i: Int) throws -> Node {
            guard let e = exprefs[i] else {
                throw JMESPathError(
                    .invalidType, "\(name)() expected an expression reference (&...) as argument \(i + 1)")
            }
            return e
        }
        func noExpref(_ i: Int) throws {
            if exprefs[i] != nil {
                throw JMESPathError(
                    .invalidType, "\(name)() does not take an expression reference as argument \(i + 1)")
            }
        }
        // jmespath.py's type() takes any argument and names no type for an expression reference.
        if name == "type", exprefs[0] != nil { return .null }
        for i in args.indices where !["sort_by", "min_by", "max_by", "map"].contains(name) { try noExpref(i) }
        func number(_ i: Int) throws -> Double {
            guard let n = args[i].numberValue else { throw typeError(name, "a number", args[i]) }
            return n
        }
        func string(_ i: Int) throws -> String {
            guard case .string(let s) = args[i] else { throw typeError(name, "a string", args[i]) }
            return s
        }
        func array(_ i: Int) throws -> [JSON] {
            guard case .array(let a) = args[i] else { throw typeError(name, "an array", args[i]) }
            return a
        }
        func object(_ i: Int) throws -> OrderedDictionary<String, JSON> {
            guard case .object(let o) = args[i] else { throw typeError(name, "an object", args[i]) }
            return o
        }

        switch name {
        // Python keeps an int an int and a float a float; avg divides, so it is always a float.
        case "abs":
            if case .bigInteger(let d) = args[0] { return .bigInteger(d.hasPrefix("-") ? String(d.dropFirst()) : d) }
            return args[0].isFloat ? .float(abs(try number(0))) : .number(abs(try number(0)))
        // Python's math.ceil and math.floor give integers, which have no negative zero.
        case "ceil", "floor":
            if case .bigInteger = args[0] { return args[0] }
            return .number((try number(0)).rounded(name == "ceil" ? .up : .down) + 0)
        case "avg":
            let a = try numbers(name, try array(0))
            return a.isEmpty ? .null : .float(a.reduce(0, +) / Double(a.count))
        case "sum":
            let a = try array(0)
            let total = try numbers(name, a).reduce(0, +)
            if a.contains(where: \.isFloat) { return .float(total) }
            // Python adds ints exactly, however large.
            guard a.contains(where: { if case .bigInteger = $0 { return true } else { return false } }) else {
                return .number(total)
            }
            return .integer(digits: a.reduce("0") { PythonNumber.add($0, $1.pythonNumberText ?? "0") })
        case "contains":
            switch args[0] {
            case .array(let a): return .bool(a.contains(args[1]))
            case .string(let s):
                guard case .string(let needle) = args[1] else { return .bool(false) }
                return .bool(
                    s.unicodeScalars.count >= needle.unicodeScalars.count && s.contains(needle) || needle.isEmpty)
            default: throw typeError(name, "an array or a string", args[0])
            }
        case "ends_with":
            return .bool(
                Array(try string(0).unicodeScalars).reversed().starts(
                    with: Array(try string(1).unicodeScalars).reversed()))
        case "starts_with":
            return .bool(Array(try string(0).unicodeScalars).starts(with: Array(try string(1).unicodeScalars)))
        case "join":
            let sep = try string(0)
            let parts = try array(1).map { v -> String in
                guard case .string(let s) = v else { throw typeError(name, "an array of strings", v) }
                return s
            }
            return .string(parts.joined(separator: sep))
        case "keys": return .array(try object(0).keys.map { .string($0) })
        case "values": return .array(Array(try object(0).values))
        case "length":
            switch args[0] {
            case .string(let s): return .int(s.unicodeScalars.count)
            case .array(let a): return .int(a.count)
            case .object(let o): return .int(o.count)
            default: throw typeError(name, "a string, an array or an object", args[0])
            }
        case "map":
            let e = try expref(0)
            return .array(try array(1).map { try Interpreter.evaluate(e, $0) })
        case "max", "min":
            let a = try array(0)
            if a.isEmpty { return .null }
            let keys = try sortKeys(name, a)
            var best = 0
            for i in keys.indices.dropFirst()
            where name == "max" ? less(keys[best], keys[i]) : less(keys[i], keys[best]) { best = i }
            return a[best]
        case "max_by", "min_by":
            let a = try array(0)
            let e = try expref(1)
            if a.isEmpty { return .null }
            let keys = try sortKeys(name, try a.map { try Interpreter.evaluate(e, $0) })
            var best = 0
            for i in keys.indices.dropFirst()
            where name == "max_by" ? less(keys[best], keys[i]) : less(keys[i], keys[best]) { best = i }
            return a[best]
        case "merge":
            // jmespath.py checks only the first argument's type and merges the rest with Python's
            // dict.update, which also takes a list of [key, value] pairs (an empty list or string
            // adds nothing); anything else crashes it, and is a type error here.
            var out = try object(0)
            for a in args.dropFirst() {
                switch a {
                case .object(let o): for (k, v) in o { out[k] = v }
                case .array(let pairs):
                    for p in pairs {
                        guard case .array(let kv) = p, kv.count == 2, case .string(let k) = kv[0] else {
                            throw typeError(name, "an object", a)
                        }
                        out[k] = kv[1]
                    }
                case .string(""): continue
                default: throw typeError(name, "an object", a)
                }
            }
            return .object(out)
        case "not_null":
            return args.first { !$0.isNull } ?? .null
        case "reverse":
            switch args[0] {
            case .string(let s):
                var out = ""
                out.unicodeScalars.append(contentsOf: s.unicodeScalars.reversed())
                return .string(out)
            case .array(let a): return .array(a.reversed())
            default: throw typeError(name, "an array or a string", args[0])
            }
        case "sort":
            let a = try array(0)
            let keys = try sortKeys(name, a)
            return .array(stableOrder(keys).map { a[$0] })
        case "sort_by":
            let a = try array(0)
            let e = try expref(1)
            let keys = try sortKeys(name, try a.map { try Interpreter.evaluate(e, $0) })
            return .array(stableOrder(keys).map { a[$0] })
        case "to_array":
            if case .array = args[0] { return args[0] }
            return .array([args[0]])
        case "to_string":
            if case .string = args[0] { return args[0] }
            return .string(args[0].serialized(.compact))
        case "to_number":
            switch args[0] {
            case .number, .float, .bigInteger: return args[0]
            case .string(let s): return PythonNumber.parse(s) ?? .null
            default: return .null
            }
        case "type": return .string(args[0].typeName)
        default:
            throw JMESPathError(.unknownFunction, "unknown function: \(name)()")
        }
    }

    private static func numbers(_ name: String, _ a: [JSON]) throws -> [Double] {
        try a.map { v in
            guard let n = v.numberValue else { throw typeError(name, "an array of numbers", v) }
            return n
        }
    }

    private enum SortKey { case number(Double), string(String) }

    /// Sorting and min/max need all numbers or all strings.
    private static func sortKeys(_ name: String, _ a: [JSON]) throws -> [SortKey] {
        guard let first = a.first else { return [] }
        switch first {
        case .number, .float, .bigInteger:
            return try a.map { v in
                guard let n = v.numberValue else { throw typeError(name, "numbers only", v) }
                return .number(n)
            }
        case .string:
            return try a.map { v in
                guard case .string(let s) = v else { throw typeError(name, "strings only", v) }
                return .string(s)
            }
        default:
            throw typeError(name, "an array of numbers or strings", first)
        }
    }

    private static func less(_ a: SortKey, _ b: SortKey) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x < y
        case (.string(let x), .string(let y)): return JSON.codePointLess(x, y)
        default: return false
        }
    }

    private static func stableOrder(_ keys: [SortKey]) -> [Int] {
        keys.indices.sorted { i, j in
            if less(keys[i], keys[j]) { return true }
            if less(keys[j], keys[i]) { return false }
            return i < j
        }
    }
}
