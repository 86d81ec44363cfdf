import Foundation
import JMESPath
import Yams

/// How AAZ reads the values of a dict, object or list argument (azure/cli/core/aaz/_arg_action.py):
/// each value is the whole argument or, as `key.path=value`, a part of it, in shorthand syntax,
/// JSON, a Python literal or a file; then the schema converts it. az runs this as argparse takes
/// the option, so its errors come before any later option's.
enum AAZCompoundValue {
    /// The errors az's action raises. A `value` error nested in a dict or list is prefixed with
    /// where it was (`Invalid 'key' : `); the others are not.
    enum Failure: Error {
        /// `AAZInvalidValueError`.
        case value(String)
        /// Another ValueError or KeyError: a shorthand syntax error, a failed `int()`, an unknown field.
        case other(String)
        /// An enum's `InvalidArgumentValueError`, which az prints without naming the option.
        case choice(String)
        /// Where az itself fails with a traceback (a simple value given a key below it).
        case broken(String)
    }

    /// The argument's value after this option's `values`, applied over what earlier uses of
    /// the same option gave (`--tags a=b --tags c=d` is one dict).
    static func take(_ shape: AAZShape, values: [String], option: String, over existing: JSON?) throws -> JSON {
        do {
            var result = existing ?? .null
            for (keys, data) in try operations(shape, values) { assign(data.json, at: keys, in: &result) }
            return result
        } catch let f as Failure {
            switch f {
            case .value(let m), .other(let m): throw CLIError("Failed to parse '\(option)' argument: \(m)")
            case .choice(let m): throw CLIError(m)
            case .broken(let m):
                throw CLIError(
                    "Failed to parse '\(option)' argument: \(m) (az 2.91 itself fails here with a traceback)")
            }
        } catch is AAZShorthand.ShowHelp {
            throw CLIError("keydrill does not show AAZ's shorthand help ('??'): see 'az \(option) --help'.")
        }
    }

    private static func operations(_ shape: AAZShape, _ values: [String]) throws -> [([AAZShorthand.KeyPart], PyValue)]
    {
        if values.isEmpty {
            guard case .value(let v)? = shape.blank else { throw Failure.value("argument cannot be blank") }
            return [([], v)]
        }
        do {
            return try values.map { v in
                let (key, text) = try shorthand { try AAZShorthand.splitPartialValue(v) }
                let keys = key ?? []
                let schema = try schema(shape, at: keys)
                let decoded = try decode(schema, text)
                return (keys, try format(schema, decoded))
            }
        } catch let error where shape.kind == .list && !(error is AAZShorthand.ShowHelp) {
            // az's "separate elements" form, `--args a b c`, for a list of simple values.
            for v in values where try shorthand({ try AAZShorthand.splitPartialValue(v) }).key != nil { throw error }
            guard let element = shape.element, element.isSimple else { throw error }
            let elements = try values.map { v in
                try format(element, v.isEmpty ? .str("") : try shorthand { try AAZShorthand.parse(v, simple: true) })
            }
            return [([], .list(elements))]
        }
    }

    /// A shorthand syntax error, as the ValueError az reports it as.
    private static func shorthand<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as AAZShorthandError { throw Failure.other(e.description) }
    }

    /// `get_schema_by_key_items`: the schema a partial value's key names.
    private static func schema(_ shape: AAZShape, at keys: [AAZShorthand.KeyPart]) throws -> AAZShape {
        var schema = shape
        for key in keys {
            switch schema.kind {
            case .dict, .list:
                schema = schema.element!
            case .object:
                guard case .name(let name) = key, let field = schema.field(name) else {
                    let shown: String
                    switch key {
                    case .name(let n): shown = n
                    case .index(let i): shown = String(i)
                    }
                    throw Failure.other("Model 'AAZObjectArg' has no field named '\(shown)'")
                }
                schema = field
            default:
                throw Failure.broken("a \(schema.kind.rawValue) value has no part to set")
            }
        }
        return schema
    }

    /// `_decode_value`: the Python value of one value's text.
    private static func decode(_ schema: AAZShape, _ text: String) throws -> PyValue {
        if text.isEmpty { return .blank }
        if schema.isSimple { return try shorthand { try AAZShorthand.parse(text, simple: true) } }
        let path = (text as NSString).expandingTildeInPath
        if FileManager.default.fileExists(atPath: path) { return try file(path) }
        do {
            return try AAZShorthand.parse(text)
        } catch let e as AAZShorthandError {
            guard let v = PythonJSON.parse(text) else { throw Failure.other(e.description) }
            return v
        }
    }

    /// `get_file_json` or, for `.yml` and `.yaml`, `get_file_yaml`.
    private static func file(_ path: String) throws -> PyValue {
        let content = try PythonJSON.fileContent(path)
        if path.hasSuffix(".yml") || path.hasSuffix(".yaml") {
            if content.isEmpty {
                throw CLIError("Failed to parse file '\(path)' with exception:\nNo content in the file.")
            }
            do {
                return PyValue(yaml: try Yams.load(yaml: content))
            } catch {
                throw CLIError("Failed to parse file '\(path)' with exception:\n\(error)")
            }
        }
        if let failure = PythonJSON.failure(content) {
            throw CLIError("Failed to parse file '\(path)' with exception:\n\(failure)")
        }
        return PythonJSON.parse(content)!
    }

    /// The `format_data` of the action az builds for `schema`.
    static func format(_ schema: AAZShape, _ input: PyValue) throws -> PyValue {
        var data = input
        if data.isBlank {
            switch schema.blank {
            case nil: throw Failure.value("argument value cannot be blank")
            case .prompt?: return .none  // az asks when the command runs, and cannot without a terminal
            case .value(let v)?: data = v
            }
        }
        if case .none = data {
            if schema.nullable { return .none }
            throw Failure.value("field is not nullable")
        }
        switch schema.kind {
        case .str, .int, .bool, .float: return try simple(schema, data)
        case .any: return data
        case .object, .dict:
            guard case .dict(let pairs, let ordered) = data else {
                throw Failure.value("dict type value expected, got '\(data.pythonStr)'(\(data.pythonType))")
            }
            var out = [(key: String, value: PyValue)]()
            for (key, value) in pairs {
                let element: AAZShape
                if schema.kind == .dict {
                    element = schema.element!
                } else if let f = schema.field(key) {
                    element = f
                } else {
                    throw Failure.other("Model 'AAZObjectArg' has no field named '\(key)'")
                }
                do {
                    out.append((key, try format(element, value)))
                } catch Failure.value(let m) {
                    throw Failure.value("Invalid '\(key)' : \(m)")
                }
            }
            return .dict(out, ordered: ordered)
        case .list:
            guard case .list(let items) = data else {
                throw Failure.value("list type value expected, got '\(data.pythonStr)'(\(data.pythonType))")
            }
            return .list(
                try items.enumerated().map { i, v in
                    do { return try format(schema.element!, v) } catch Failure.value(let m) {
                        throw Failure.value("Invalid at [\(i)] : \(m)")
                    }
                })
        }
    }

    /// `AAZSimpleTypeArgAction.format_data` past its blank and None checks.
    private static func simple(_ schema: AAZShape, _ input: PyValue) throws -> PyValue {
        var data = input
        if schema.kind == .str {
            switch data {
            case .int, .bool, .float: data = .str(data.pythonStr.lowercased())
            default: break
            }
        }
        if case .str(let text) = data {
            if !schema.choices.isEmpty { return try choice(schema, text) }
            switch schema.kind {
            case .int:
                guard case .int(let digits)? = PyValue(pythonNumber: text), !text.contains(".") else {
                    throw Failure.other("invalid literal for int() with base 10: \(PyValue.stringRepr(text))")
                }
                return .int(digits)
            case .float:
                guard let v = PyValue(pythonNumber: text) else {
                    throw Failure.other("could not convert string to float: \(PyValue.stringRepr(text))")
                }
                if case .int(let digits) = v { return .float(Double(digits) ?? 0) }
                return v
            case .bool: return .bool(!text.isEmpty)
            default: return data
            }
        }
        switch (schema.kind, data) {
        // Python's bool is an int, and an int is good where a float is asked for.
        case (.int, .int), (.int, .bool), (.bool, .bool), (.float, .float), (.float, .int), (.float, .bool): return data
        default:
            throw Failure.value("\(schema.dataType) type value expected, got '\(data.pythonStr)'(\(data.pythonType))")
        }
    }

    /// `AAZArgEnum.__getitem__`.
    private static func choice(_ schema: AAZShape, _ text: String) throws -> PyValue {
        if let c = schema.choices.first(where: {
            $0.value.pythonStr == text && $0.value.isStr || $0.key == text
                || !schema.choicesCaseSensitive && $0.key.lowercased() == text.lowercased()
        }) {
            return c.value
        }
        if schema.choicesExtensible, !schema.choices.isEmpty { return .str(text) }
        let keys = schema.choices.map { PyValue.stringRepr($0.key) }.joined(separator: ", ")
        throw Failure.choice("unrecognized value '\(text)' from choices '[\(keys)]' ")
    }

    /// `AAZArgActionOperations._assign_data`: the value at a key path, the containers on the way
    /// made as needed.
    private static func assign(_ value: JSON, at keys: ArraySlice<AAZShorthand.KeyPart>, in target: inout JSON) {
        guard let key = keys.first else {
            target = value
            return
        }
        switch key {
        case .name(let name):
            var o = target.objectValue ?? [:]
            var child = o[name] ?? .null
            assign(value, at: keys.dropFirst(), in: &child)
            o[name] = child
            target = .object(o)
        case .index(let index):
            var a = target.arrayValue ?? []
            let i = index < 0 ? a.count + index : index
            guard i >= 0 else { return }
            while a.count <= i { a.append(.null) }
            assign(value, at: keys.dropFirst(), in: &a[i])
            target = .array(a)
        }
    }

    private static func assign(_ value: JSON, at keys: [AAZShorthand.KeyPart], in target: inout JSON) {
        assign(value, at: keys[...], in: &target)
    }
}

extension PyValue {
    fileprivate var isStr: Bool { if case .str = self { return true } else { return false } }

    /// Python's `int(text)` where it succeeds, else `float(text)`; nil where neither does.
    fileprivate init?(pythonNumber text: String) {
        guard let json = JSON.pythonNumber(text) else { return nil }
        self.init(json: json, ordered: false)
    }

    /// What PyYAML's `safe_load` gives, as Python values.
    fileprivate init(yaml: Any?) {
        switch yaml {
        case nil: self = .none
        case let b as Bool: self = .bool(b)
        case let i as Int: self = .int(String(i))
        case let d as Double: self = .float(d)
        case let s as String: self = .str(s)
        case let a as [Any?]: self = .list(a.map { PyValue(yaml: $0) })
        case let o as [AnyHashable: Any?]:
            self = .dict(o.map { ("\($0.key)", PyValue(yaml: $0.value)) }.sorted { $0.0 < $1.0 }, ordered: false)
        default: self = .str("\(yaml!)")
        }
    }
}
