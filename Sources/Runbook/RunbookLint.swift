import AzureCLI
import Foundation
import Shell

/// The checks a dry run makes without running anything: every line lexes, every az or keydrill
/// command parses against the command table, builtins are known; and the one-way doors a
/// rehearsal should flag before anyone runs the procedure for real.
public enum RunbookLint {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    public struct CheckedLine: Sendable {
        public let line: Int
        public let text: String
        public let oneWayDoor: String?
    }

    /// Variables resolve to their declared defaults (or overrides) and `$(...)` to a placeholder,
    /// since nothing runs.
    struct DryContext: SubstitutionContext {
        let values: [String: String]
        func variable(_ name: String) -> String? { values[name] ?? "<\(name)>" }
        mutating func commandOutput(_ line: String) throws -> String { "<output>" }
    }

    public static func check(
        _ doc: RunbookDocument, variables: [String: String]
    ) -> (lines: [[CheckedLine]], problems: [Problem]) {
        var problems = [Problem]()
        var out = [[CheckedLine]]()
        let parser = CommandLineParser(environment: { _ in nil })
        for step in doc.steps {
            var checked = [CheckedLine]()
            for (line, text) in RunbookRunner.logicalLines(step) {
                var ctx = DryContext(values: variables)
                // These take the rest of the line as a JMESPath expression, checked when they run.
                if let expr = text.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).first,
                    expr == "assert" || expr == "??"
                {
                    checked.append(CheckedLine(line: line, text: text, oneWayDoor: nil))
                    continue
                }
                do {
                    let parsed = try LineLexer.parse(text, context: &ctx)
                    // `expect-fail --code 2` rehearses a usage error on purpose: the line is meant to be wrong.
                    if Array(parsed.words.prefix(3)) == ["expect-fail", "--code", "2"] {
                        checked.append(CheckedLine(line: line, text: text, oneWayDoor: nil))
                        continue
                    }
                    let words = commandWords(parsed.words)
                    var door: String?
                    if let first = words.first {
                        var parsedCommand: ParseResult?
                        if first == "az" {
                            parsedCommand = try parser.parse(Array(words.dropFirst()))
                        } else if CommandTable.shared.keydrillGroups.contains(first) {
                            parsedCommand = try parser.parse(words, keydrill: true)
                        } else if !Session.builtinNames.contains(first) {
                            problems.append(Problem(line: line, message: "'\(first)' is not a keydrill command"))
                        }
                        if case .run(let invocation)? = parsedCommand { door = OneWayDoors.reason(invocation) }
                    }
                    checked.append(CheckedLine(line: line, text: text, oneWayDoor: door))
                } catch let e as UsageError {
                    problems.append(Problem(line: line, message: e.message))
                    checked.append(CheckedLine(line: line, text: text, oneWayDoor: nil))
                } catch let e as CLIError {
                    problems.append(Problem(line: line, message: e.message))
                    checked.append(CheckedLine(line: line, text: text, oneWayDoor: nil))
                } catch {
                    problems.append(Problem(line: line, message: "\(error)"))
                    checked.append(CheckedLine(line: line, text: text, oneWayDoor: nil))
                }
            }
            out.append(checked)
        }
        return (out, problems)
    }

    /// The command a wrapper (`expect-fail`, `await`) runs, or the words themselves.
    static func commandWords(_ words: [String]) -> [String] {
        var w = words
        if w.first == "expect-fail" {
            w.removeFirst()
            if w.first == "--code", w.count >= 2 { w.removeFirst(2) }
        } else if w.first == "await" {
            w.removeFirst()
            while let f = w.first, f.hasPrefix("--"), w.count >= 2 { w.removeFirst(2) }
        }
        return w
    }
}
