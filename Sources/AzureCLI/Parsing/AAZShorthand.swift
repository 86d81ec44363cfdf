import Foundation

/// az's `AAZInvalidShorthandSyntaxError`: where in the text the syntax broke, shown under it.
struct AAZShorthandError: Error, Sendable {
    var data: [Unicode.Scalar]
    var at: Int
    let range: Int
    let message: String

    var description: String {
        let shown = String(String.UnicodeScalarView(data.prefix(at + range)))
        return "Shorthand Syntax Error: \(message):\n\t\(shown)\n\t"
            + String(repeating: " ", count: at) + String(repeating: "^", count: range)
    }

    /// Seen from an enclosing text whose part at `offset` this error was found in.
    func within(_ outer: [Unicode.Scalar], at offset: Int) -> AAZShorthandError {
        var e = self
        e.data = outer
        e.at += offset
        return e
    }
}

/// az's `AAZShortHandSyntaxParser` (azure/cli/core/aaz/_utils.py), position for position: its
/// errors point where az's point. Texts are Unicode scalars because Python indexes code points.
enum AAZShorthand {
    typealias Text = ArraySlice<Unicode.Scalar>

    struct ShowHelp: Error {}

    private static func fail(_ s: Text, _ at: Int, _ range: Int, _ message: String) -> AAZShorthandError {
        AAZShorthandError(data: Array(s), at: at, range: range, message: message)
    }

    /// The whole value: a simple element's is a string (`null`, or a quoted string, unquoted);
    /// another's is a dict, list or string, which `json.loads` turns into a number or a bool.
    static func parse(_ data: String, simple: Bool = false) throws -> PyValue {
        let s = Text(data.unicodeScalars)
        if s.isEmpty { throw fail(s, 0, 1, "Cannot parse empty") }
        if simple {
            if data == "null" { return .none }
            if data == "??" { throw ShowHelp() }
            if s.first == "'" {
                let (v, n) = try singleQuoted(s)
                if n != s.count { throw fail(s, n, s.count - n, "Redundant tail for quota expression") }
                return .str(v)
            }
            return .str(data)
        }
        let (v, n) = try value(s)
        if n != s.count { throw fail(s, n, s.count - n, "Redundant tail") }
        return v
    }

    private static func rebased(_ s: Text, _ idx: Int, _ body: (Text) throws -> (PyValue, Int)) throws -> (PyValue, Int)
    {
        do { return try body(s.dropFirst(idx)) } catch let e as AAZShorthandError { throw e.within(Array(s), at: idx) }
    }

    private static func value(_ s: Text) throws -> (PyValue, Int) {
        if s.first == "{" { return try dict(s) }
        if s.first == "[" { return try list(s) }
        return try string(s, convert: true)
    }

    private static func at(_ s: Text, _ i: Int) -> Unicode.Scalar? {
        i < s.count ? s[s.startIndex + i] : nil
    }

    private static func dict(_ s: Text) throws -> (PyValue, Int) {
        var result = [(key: String, value: PyValue)]()
        var idx = 1
        if at(s, idx) == "}" { return (.dict(result, ordered: true), idx + 1) }
        while idx < s.count {
            let (k, length) = try rebased(s, idx) { try string($0) }
            let key = k.pythonStr
            if key.contains("\"") {
                throw fail(s, idx, length, "Dict key should not contain double quotes '\(key)'")
            }
            if key.contains("'") {
                throw fail(s, idx, length, "Dict key should not contain single quotes '\(key)'")
            }
            if result.contains(where: { $0.key == key }) {
                throw fail(s, idx, length, "Duplicate defined dict key '\(key)'")
            }
            idx += length
            let v: PyValue
            var n = 0
            if at(s, idx) == ":" {
                idx += 1
                if idx >= s.count { throw fail(s, idx, 1, "Cannot parse empty") }
                (v, n) = try rebased(s, idx) { try value($0) }
            } else if at(s, idx) == "," || at(s, idx) == "}" {
                v = .blank
            } else {
                throw fail(s, idx, 1, "Expect characters ':' or ','")
            }
            result.append((key, v))
            idx += n
            if at(s, idx) == "," {
                idx += 1
                if at(s, idx) == "}" { break }
            } else if at(s, idx) == "}" {
                break
            } else {
                throw fail(s, idx, 1, "Expect character ',' or '}'")
            }
        }
        guard at(s, idx) == "}" else { throw fail(s, idx, 1, "Expect character '}'") }
        return (.dict(result, ordered: true), idx + 1)
    }

    private static func list(_ s: Text) throws -> (PyValue, Int) {
        var result = [PyValue]()
        var idx = 1
        if at(s, idx) == "]" { return (.list(result), idx + 1) }
        while idx < s.count {
            let (v, n) = try rebased(s, idx) { try value($0) }
            result.append(v)
            idx += n
            if at(s, idx) == "," {
                idx += 1
                if at(s, idx) == "]" { break }
            } else if at(s, idx) == "]" {
                break
            } else {
                throw fail(s, idx, 1, "Expect character ',' or ']'")
            }
        }
        guard at(s, idx) == "]" else { throw fail(s, idx, 1, "Expect character ']'") }
        return (.list(result), idx + 1)
    }

    /// Python's `str.strip() == ''` for one character.
    private static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c.properties.isWhitespace || (0x1C...0x1F).contains(c.value)
    }

    private static func string(_ s: Text, convert: Bool = false) throws -> (PyValue, Int) {
        if s.first == "'" {
            let (v, n) = try singleQuoted(s)
            return (.str(v), n)
        }
        var idx = 0
        while let c = at(s, idx) {
            if [",", ":", "]", "}"].contains(c) { break }
            if isSpace(c) { throw fail(s, idx, 1, "Please wrap whitespace character in single quotes") }
            if c == "\"" || c == "'" { throw fail(s, idx, 1, "Please wrap \(c) character in single quotes") }
            idx += 1
        }
        if idx == 0 { throw fail(s, idx, 1, "Cannot parse empty") }
        let text = String(String.UnicodeScalarView(s.prefix(idx)))
        if text == "null" { return (.none, idx) }
        if text == "??" { throw ShowHelp() }
        if convert, let v = PythonJSON.scalar(text) { return (v, idx) }
        return (.str(text), idx)
    }

    /// A single-quoted string, where `'/` stands for a quote inside it.
    private static func singleQuoted(_ s: Text) throws -> (String, Int) {
        var idx = 1
        var result = String.UnicodeScalarView()
        var closed = false
        while let c = at(s, idx) {
            if c == "'" {
                if at(s, idx + 1) == "/" {
                    result.append("'")
                    idx += 2
                } else {
                    closed = true
                    idx += 1
                    break
                }
            } else {
                result.append(c)
                idx += 1
            }
        }
        if !closed { throw fail(s, idx, 1, "Miss end quota character: '") }
        return (String(result), idx)
    }

    /// One key of a partial value (`a.b[0]`): a property name or a list index.
    enum KeyPart: Sendable, Equatable {
        case name(String)
        case index(Int)
    }

    /// az's `partial_value_key_pattern`: a key of names (plain or quoted) and indexes, `=`, the value.
    private static let partialValueKey: NSRegularExpression = {
        let name = #"(([a-zA-Z0-9_\-]+)|('([^']*)'(/([^']*)')*))"#
        let index = #"(\[-?[0-9]+])"#
        let pattern = "^((\(index)|(\(name)\(index)?))(\\.\(name)\(index)?)*)=(.*)$"
        return try! NSRegularExpression(pattern: pattern)
    }()

    /// `split_partial_value`: `key.path=value` is a value for part of the argument; anything else
    /// is the whole of it.
    static func splitPartialValue(_ v: String) throws -> (key: [KeyPart]?, value: String) {
        let ns = v as NSString
        guard let m = partialValueKey.firstMatch(in: v, range: NSRange(location: 0, length: ns.length)),
            m.range.length == ns.length, m.range(at: 1).location != NSNotFound
        else { return (nil, v) }
        let key = ns.substring(with: m.range(at: 1))
        let value = ns.substring(with: m.range(at: m.numberOfRanges - 1))
        return (try keyParts(key), value)
    }

    private static func keyParts(_ key: String) throws -> [KeyPart] {
        let s = Array(key.unicodeScalars)
        var parts = [KeyPart]()
        var idx = 0
        while idx < s.count {
            let rest = s[idx...]
            do {
                if s[idx] == "[" {
                    var i = 1
                    while let c = at(rest, i), c != "]" { i += 1 }
                    guard at(rest, i) == "]" else { throw fail(rest, i, 1, "Expect character ']'") }
                    let text = String(String.UnicodeScalarView(rest.dropFirst().prefix(i - 1)))
                    if text.isEmpty { throw fail(rest, 0, 2, "Miss index") }
                    parts.append(.index(Int(text) ?? 0))
                    i += 1
                    if at(rest, i) == "." { i += 1 }
                    idx += i
                } else {
                    var i = 0
                    let name: String
                    if rest.first == "'" {
                        (name, i) = try singleQuoted(rest)
                    } else {
                        while let c = at(rest, i), c != ".", c != "[" { i += 1 }
                        name = String(String.UnicodeScalarView(rest.prefix(i)))
                    }
                    if name.isEmpty { throw fail(rest, 0, i, "Miss prop name") }
                    if at(rest, i) == "." { i += 1 }
                    parts.append(.name(name))
                    idx += i
                }
            } catch let e as AAZShorthandError {
                throw e.within(s, at: idx)
            }
        }
        return parts
    }
}
