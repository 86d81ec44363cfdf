import JMESPath

/// az's generic update arguments (`--set a.b=value`, `--add a.list value`, `--remove a.b` or
/// `--remove a.list 0`), applied to a resource's JSON as azure-cli-core's generic update does:
/// a value is JSON when it parses as JSON (unless `--force-string`), a string otherwise.
enum GenericUpdate {
    enum Step: Equatable {
        case key(String)
        case index(Int)
    }

    static func path(_ text: String) throws -> [Step] {
        var steps = [Step]()
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            let name = rest.prefix { $0 != "[" }
            if !name.isEmpty { steps.append(.key(String(name))) }
            rest = rest.dropFirst(name.count)
            while rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]"),
                    let i = Int(rest[rest.index(after: rest.startIndex)..<close])
                else { throw CLIError("invalid syntax: \(text)") }
                steps.append(.index(i))
                rest = rest[rest.index(after: close)...]
            }
            if name.isEmpty && steps.isEmpty { throw CLIError("invalid syntax: \(text)") }
        }
        return steps
    }

    static func value(_ text: String, forceString: Bool) -> JSON {
        if !forceString, let v = try? JSON.parse(text) { return v }
        return .string(text)
    }

    /// Sets the value at `steps`, creating objects on the way as az does for a missing key.
    static func set(_ json: inout JSON, _ steps: ArraySlice<Step>, _ value: JSON, whole: String) throws {
        guard let first = steps.first else {
            json = value
            return
        }
        switch (first, json) {
        case (.key(let k), .object(var o)):
            var child = o[k] ?? .object([:])
            if child.isNull, steps.count > 1 { child = .object([:]) }
            try set(&child, steps.dropFirst(), value, whole: whole)
            o[k] = child
            json = .object(o)
        case (.index(let i), .array(var a)):
            guard a.indices.contains(i) else {
                throw CLIError("index \(i) doesn't exist on \(whole.split(separator: "[").first ?? "")")
            }
            try set(&a[i], steps.dropFirst(), value, whole: whole)
            json = .array(a)
        default:
            throw CLIError("Couldn't find '\(whole)' in the resource. Available keys: \(keys(json))")
        }
    }

    static func get(_ json: JSON, _ steps: [Step]) -> JSON? {
        var j = json
        for s in steps {
            switch (s, j) {
            case (.key(let k), .object(let o)): guard let v = o[k] else { return nil }; j = v
            case (.index(let i), .array(let a)): guard a.indices.contains(i) else { return nil }; j = a[i]
            default: return nil
            }
        }
        return j
    }

    static func keys(_ json: JSON) -> String { json.objectValue.map { $0.keys.joined(separator: ", ") } ?? "" }

    /// Every `--set`, then `--add`, then `--remove`, in the order az applies them.
    static func apply(
        to resource: JSON, set: [String], add: [String], remove: [String], forceString: Bool
    ) throws -> JSON {
        var json = resource
        for expression in set {
            guard let eq = expression.firstIndex(of: "=") else {
                throw CLIError("invalid syntax: \(expression)")
            }
            let steps = try path(String(expression[..<eq]))
            try GenericUpdate.set(
                &json, steps[...], value(String(expression[expression.index(after: eq)...]), forceString: forceString),
                whole: expression)
        }
        if let target = add.first {
            let steps = try path(target)
            guard case .array(var list)? = get(json, steps) else { throw CLIError("invalid syntax: --add \(target)") }
            for item in add.dropFirst() {
                if let eq = item.firstIndex(of: "="), (try? JSON.parse(item)) == nil {
                    list.append(
                        .object([
                            (
                                String(item[..<eq]),
                                value(String(item[item.index(after: eq)...]), forceString: forceString)
                            )
                        ]))
                } else {
                    list.append(value(item, forceString: forceString))
                }
            }
            try GenericUpdate.set(&json, steps[...], .array(list), whole: target)
        }
        if let target = remove.first {
            var steps = try path(target)
            if remove.count > 1, let i = Int(remove[1]) { steps.append(.index(i)) }
            guard let last = steps.popLast(), let parent = get(json, steps) else {
                throw CLIError("Couldn't find '\(target)' in the resource.")
            }
            var changed = parent
            switch (last, parent) {
            case (.key(let k), .object(var o)): o[k] = nil; changed = .object(o)
            case (.index(let i), .array(var a)) where a.indices.contains(i): a.remove(at: i); changed = .array(a)
            default: throw CLIError("Couldn't find '\(target)' in the resource.")
            }
            try GenericUpdate.set(&json, steps[...], changed, whole: target)
        }
        return json
    }

    /// The dotted paths of every leaf that differs between two documents.
    static func changes(_ a: JSON, _ b: JSON, at prefix: String = "") -> [String] {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            var out = [String]()
            for k in Set(x.keys).union(y.keys).sorted() {
                out += changes(x[k] ?? .null, y[k] ?? .null, at: prefix.isEmpty ? k : "\(prefix).\(k)")
            }
            return out
        default:
            return a == b ? [] : [prefix]
        }
    }
}
