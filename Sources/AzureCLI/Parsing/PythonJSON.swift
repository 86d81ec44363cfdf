import Foundation
import JMESPath

/// What az's `shell_safe_json_parse(text, preserve_order=True)` makes of a text: `json.loads`
/// with OrderedDicts, else `ast.literal_eval` (Python literals: `{'a': 1}`, `(1, 2)`, `None`).
enum PythonJSON {
    /// `json.loads` of an unquoted word of the shorthand syntax, kept where it is a number or a
    /// bool (`7`, `1.5`, `true`); nil where it is not JSON.
    static func scalar(_ text: String) -> PyValue? {
        switch text {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "NaN": return .float(.nan)
        case "Infinity": return .float(.infinity)
        case "-Infinity": return .float(-.infinity)
        default: break
        }
        guard text.wholeMatch(of: /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/) != nil,
            let json = try? JSON.parse(text)
        else { return nil }
        let isFloat = text.contains { $0 == "." || $0 == "e" || $0 == "E" }
        if isFloat, let d = Double(text) { return .float(d) }
        return PyValue(json: json, ordered: true)
    }

    /// `json.loads(text)`: JSON, with NaN and Infinity.
    static func loads(_ text: String) -> JSON? {
        if let json = try? JSON.parse(text) { return json }
        guard text.contains("NaN") || text.contains("Infinity") else { return nil }
        var reader = PythonLiteral(Array(text.unicodeScalars), json: true)
        return reader.document()?.json
    }

    /// az's recommendations after a JSON error: the shell's quoting (any inline JSON), and a JSON
    /// argument's (validate_file_or_dict).
    static let shellQuoting =
        "The provided JSON string may have been parsed by the shell. See "
        + "https://learn.microsoft.com/cli/azure/use-azure-cli-successfully-quoting#json-strings"
    static let validJSON = "Please provide a valid JSON file path or JSON string."

    /// How `shell_safe_json_parse` says it could not read the text (nil where it can): the text,
    /// then json's own complaint.
    static func failure(_ text: String) -> String? {
        guard parse(text) == nil else { return nil }
        return "Failed to parse string as JSON:\n\(text)\nError detail: \(PythonJSONError.message(text) ?? "")"
    }

    /// `shell_safe_json_parse`, its failure printed with the quoting recommendation.
    static func shellSafe(_ text: String) throws -> PyValue {
        if let v = parse(text) { return v }
        throw CLIError(failure(text)! + "\n" + shellQuoting)
    }

    static func parse(_ text: String) -> PyValue? {
        if let json = loads(text) { return PyValue(json: json, ordered: true) }
        var reader = PythonLiteral(Array(text.unicodeScalars), json: false)
        return reader.document()
    }

    /// az's `read_file_content`: a file's text, without a byte-order mark.
    static func fileContent(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else { throw CLIError("Failed to decode file \(path) - unknown decoding") }
        return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }
}

/// `ast.literal_eval` for the literals a command line carries: None, True, False, ints and
/// floats with a sign, quoted strings, lists, tuples and dicts with string keys. Anything else
/// (sets, bytes, complex numbers, other keys) is not read, and the caller reports its own error.
/// In `json` mode it reads JSON as `json.loads` does where a strict reader does not: with NaN and
/// Infinity.
struct PythonLiteral {
    let s: [Unicode.Scalar]
    let json: Bool
    var i = 0

    init(_ s: [Unicode.Scalar], json: Bool) {
        self.s = s
        self.json = json
    }

    mutating func document() -> PyValue? {
        // literal_eval drops leading blanks and tabs before it parses.
        while i < s.count, s[i] == " " || s[i] == "\t" { i += 1 }
        guard var v = value() else { return nil }
        // An expression of values with commas is a tuple without its parentheses (`1,5`).
        if !json, eat(",") {
            var items = [v]
            while true {
                skip()
                if i == s.count { break }
                guard let next = value() else { return nil }
                items.append(next)
                if !eat(",") { break }
            }
            v = .tuple(items)
        }
        skip()
        return i == s.count ? v : nil
    }

    private mutating func skip() {
        while i < s.count, [" ", "\t", "\n", "\r", "\u{0C}"].contains(s[i]) { i += 1 }
    }

    private mutating func eat(_ c: Unicode.Scalar) -> Bool {
        skip()
        guard i < s.count, s[i] == c else { return false }
        i += 1
        return true
    }

    private mutating func value() -> PyValue? {
        skip()
        guard i < s.count else { return nil }
        switch s[i] {
        case "[":
            i += 1
            return items(close: "]").map { .list($0.values) }
        case "(" where !json:
            i += 1
            guard let (values, comma) = items(close: ")") else { return nil }
            // `(x)` is x; a tuple of one has its comma.
            return values.count == 1 && !comma ? values[0] : .tuple(values)
        case "{":
            i += 1
            var pairs = [(key: String, value: PyValue)]()
            while true {
                if eat("}") { return .dict(pairs, ordered: json) }
                skip()
                guard case .str(let k)? = string(), eat(":"), let v = value() else { return nil }
                if let at = pairs.firstIndex(where: { $0.key == k }) {
                    pairs[at].value = v
                } else {
                    pairs.append((k, v))
                }
                if eat("}") { return .dict(pairs, ordered: json) }
                guard eat(",") else { return nil }
            }
        case "\"",
            "'" where !json:
            return string()
        default:
            return word()
        }
    }

    /// The values up to `close`, and whether a comma followed the last.
    private mutating func items(close: Unicode.Scalar) -> (values: [PyValue], comma: Bool)? {
        var out = [PyValue]()
        var comma = false
        while true {
            if eat(close) { return (out, comma) }
            guard let v = value() else { return nil }
            out.append(v)
            comma = false
            if eat(close) { return (out, comma) }
            guard eat(",") else { return nil }
            comma = true
        }
    }

    private mutating func string() -> PyValue? {
        guard i < s.count, s[i] == "'" || s[i] == "\"" else { return nil }
        let quote = s[i]
        i += 1
        var out = String.UnicodeScalarView()
        while i < s.count, s[i] != quote {
            guard s[i] != "\n" else { return nil }
            if s[i] == "\\", i + 1 < s.count {
                i += 1
                let escapes: [Unicode.Scalar: Unicode.Scalar] = [
                    "n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", "\"": "\"", "0": "\0", "a": "\u{07}",
                    "b": "\u{08}", "f": "\u{0C}", "v": "\u{0B}",
                ]
                if let e = escapes[s[i]] {
                    out.append(e)
                } else {
                    out.append("\\")
                    out.append(s[i])
                }
            } else {
                out.append(s[i])
            }
            i += 1
        }
        guard i < s.count else { return nil }
        i += 1
        return .str(String(out))
    }

    private mutating func word() -> PyValue? {
        let start = i
        while i < s.count, !" \t\n\r,:)]}".unicodeScalars.contains(s[i]) { i += 1 }
        let text = String(String.UnicodeScalarView(s[start..<i]))
        if json {
            switch text {
            case "null": return PyValue.none
            case "NaN", "Infinity", "-Infinity", "true", "false": return PythonJSON.scalar(text)
            default: return (try? JSON.parse(text)).map { PyValue(json: $0, ordered: true) }
            }
        }
        switch text {
        case "None": return PyValue.none
        case "True": return .bool(true)
        case "False": return .bool(false)
        default: break
        }
        var body = Substring(text)
        var negative = false
        while let c = body.first, c == "+" || c == "-" {
            if c == "-" { negative.toggle() }
            body = body.dropFirst()
        }
        let digits = body.replacingOccurrences(of: "_", with: "")
        guard !digits.isEmpty, !body.hasPrefix("_"), !body.hasSuffix("_"), !body.contains("__") else { return nil }
        if digits.allSatisfy(\.isASCIIDigit) {
            // A decimal int has no leading zero (`007` is a syntax error), though `0` and `00` are ints.
            let trimmed = String(digits.drop { $0 == "0" })
            guard trimmed.isEmpty || digits.first != "0" else { return nil }
            return .int(trimmed.isEmpty ? "0" : (negative ? "-" : "") + trimmed)
        }
        guard digits.wholeMatch(of: /([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?/) != nil, let d = Double(digits)
        else { return nil }
        return .float(negative ? -d : d)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

/// Where and why Python's `json.loads` refuses a text, in its words (`Expecting value: line 1
/// column 1 (char 0)`), for the "Error detail:" az prints: CPython's scanner, position for position.
struct PythonJSONError {
    let s: [Unicode.Scalar]

    init(_ text: String) { s = Array(text.unicodeScalars) }

    struct Failure: Error {
        let message: String
        let at: Int
    }

    /// nil where the text is JSON.
    static func message(_ text: String) -> String? {
        let reader = PythonJSONError(text)
        do {
            var i = reader.whitespace(0)
            i = try reader.value(i)
            i = reader.whitespace(i)
            if i != reader.s.count { throw Failure(message: "Extra data", at: i) }
            return nil
        } catch let f as Failure {
            return reader.render(f)
        } catch {
            return nil
        }
    }

    private func render(_ f: Failure) -> String {
        let before = s.prefix(f.at)
        let line = before.filter { $0 == "\n" }.count + 1
        let column = before.lastIndex(of: "\n").map { f.at - $0 } ?? f.at + 1
        return "\(f.message): line \(line) column \(column) (char \(f.at))"
    }

    private func whitespace(_ start: Int) -> Int {
        var i = start
        while i < s.count, [" ", "\t", "\n", "\r"].contains(s[i]) { i += 1 }
        return i
    }

    private func starts(_ word: String, _ i: Int) -> Bool {
        let w = Array(word.unicodeScalars)
        return i + w.count <= s.count && Array(s[i..<(i + w.count)]) == w
    }

    private func value(_ i: Int) throws -> Int {
        guard i < s.count else { throw Failure(message: "Expecting value", at: i) }
        switch s[i] {
        case "\"": return try string(i + 1)
        case "{": return try object(i + 1)
        case "[": return try array(i + 1)
        default:
            for word in ["null", "true", "false", "NaN", "Infinity", "-Infinity"] where starts(word, i) {
                return i + word.unicodeScalars.count
            }
            return try number(i)
        }
    }

    private func number(_ start: Int) throws -> Int {
        var i = start
        func digits() -> Int {
            let from = i
            while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
            return i - from
        }
        if i < s.count, s[i] == "-" { i += 1 }
        if i < s.count, s[i] == "0" {
            i += 1
        } else if i < s.count, ("1"..."9").contains(s[i]) {
            _ = digits()
        } else {
            throw Failure(message: "Expecting value", at: start)
        }
        // A fraction or an exponent counts only when digits follow it.
        if i + 1 < s.count, s[i] == ".", ("0"..."9").contains(s[i + 1]) {
            i += 1
            _ = digits()
        }
        if i < s.count, s[i] == "e" || s[i] == "E" {
            let mark = i
            i += 1
            if i < s.count, s[i] == "+" || s[i] == "-" { i += 1 }
            if digits() == 0 { i = mark }
        }
        return i
    }

    /// After the opening quote at `start - 1`.
    private func string(_ start: Int) throws -> Int {
        var i = start
        while true {
            guard i < s.count else { throw Failure(message: "Unterminated string starting at", at: start - 1) }
            let c = s[i]
            if c == "\"" { return i + 1 }
            if c.value < 0x20 { throw Failure(message: "Invalid control character at", at: i) }
            if c == "\\" {
                guard i + 1 < s.count else { throw Failure(message: "Unterminated string starting at", at: start - 1) }
                let e = s[i + 1]
                if e == "u" {
                    let hex = s[(i + 2)..<min(i + 6, s.count)]
                    guard hex.count == 4, hex.allSatisfy({ $0.properties.isASCIIHexDigit }) else {
                        throw Failure(message: "Invalid \\uXXXX escape", at: i + 1)
                    }
                    i += 6
                    continue
                }
                guard "\"\\/bfnrt".unicodeScalars.contains(e) else { throw Failure(message: "Invalid \\escape", at: i) }
                i += 2
                continue
            }
            i += 1
        }
    }

    private func object(_ start: Int) throws -> Int {
        var i = whitespace(start)
        if i < s.count, s[i] == "}" { return i + 1 }
        while true {
            guard i < s.count, s[i] == "\"" else {
                throw Failure(message: "Expecting property name enclosed in double quotes", at: i)
            }
            i = whitespace(try string(i + 1))
            guard i < s.count, s[i] == ":" else { throw Failure(message: "Expecting ':' delimiter", at: i) }
            i = try value(whitespace(i + 1))
            i = whitespace(i)
            guard i < s.count else { throw Failure(message: "Expecting ',' delimiter", at: i) }
            if s[i] == "}" { return i + 1 }
            guard s[i] == "," else { throw Failure(message: "Expecting ',' delimiter", at: i) }
            i = whitespace(i + 1)
        }
    }

    private func array(_ start: Int) throws -> Int {
        var i = whitespace(start)
        if i < s.count, s[i] == "]" { return i + 1 }
        while true {
            i = whitespace(try value(i))
            guard i < s.count else { throw Failure(message: "Expecting ',' delimiter", at: i) }
            if s[i] == "]" { return i + 1 }
            guard s[i] == "," else { throw Failure(message: "Expecting ',' delimiter", at: i) }
            i = whitespace(i + 1)
        }
    }
}
