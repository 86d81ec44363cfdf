import AzureCLI
import Foundation
import JMESPath
import Shell

/// The checks a dry run makes without running anything: every line lexes, every az or keydrill
/// command parses against the command table, builtins are known; and the one-way doors a
/// rehearsal should flag before anyone runs the procedure for real.
public enum RunbookLint {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let message: String
        /// Nothing can be rehearsed with it (an unbound placeholder): the run is refused. Other
        /// problems (a usage error, a command keydrill does not emulate) fail the run at their
        /// line, after every step before it was rehearsed.
        public var refusesRun = false
        public var description: String { "line \(line): \(message)" }

        public init(line: Int, message: String, refusesRun: Bool = false) {
            self.line = line
            self.message = message
            self.refusesRun = refusesRun
        }
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
            for command in RunbookRunner.logicalLines(step) {
                let line = command.line
                let prepared = RunbookRunner.prepare(command, variables)
                let text = prepared.text
                for name in prepared.unbound {
                    problems.append(
                        Problem(
                            line: line, message: "<\(name)> is not bound: give it with \(Placeholders.binding(name))",
                            refusesRun: true))
                }
                // bash reads these (a shell block, a Learn line with a pipe): nothing to parse here.
                if prepared.bash {
                    checked.append(CheckedLine(line: line, text: text, oneWayDoor: nil))
                    continue
                }
                var ctx = DryContext(values: variables)
                // These take the rest of the line as a JMESPath expression: it must compile, unless
                // a variable makes it (its value is known only when the step runs).
                if let problem = expressionProblem(text) {
                    if case .some(let message) = problem { problems.append(Problem(line: line, message: message)) }
                    checked.append(CheckedLine(line: line, text: text, oneWayDoor: nil))
                    continue
                }
                do {
                    let parsed = try LineLexer.parse(text, context: &ctx)
                    let (wrappers, words) = try unwrapped(parsed.words)
                    // `expect-fail --code 2` rehearses a usage error on purpose: the line is meant to be wrong.
                    if wrappers.contains(where: { $0.wrapper == "expect-fail" && $0.options["--code"] == "2" }) {
                        checked.append(CheckedLine(line: line, text: text, oneWayDoor: nil))
                        continue
                    }
                    var door: String?
                    if let first = words.first {
                        var parsedCommand: ParseResult?
                        switch LineCommand(first) {
                        case .az?: parsedCommand = try parser.parse(Array(words.dropFirst()))
                        case .keydrillGroup?: parsedCommand = try parser.parse(words, keydrill: true)
                        case .builtin?: break
                        case .none:
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

    /// The command the wrappers (`expect-fail`, `await`) run, read as the session reads them.
    static func unwrapped(_ words: [String]) throws -> (wrappers: [WrappedCommand], command: [String]) {
        do { return try BuiltinCatalogue.innermost(words) } catch { throw CLIError(error.message) }
    }

    /// nil: not an expression builtin's line; .some(nil): one that is fine; .some(message): one
    /// whose expression does not compile.
    static func expressionProblem(_ text: String) -> String?? {
        for name in BuiltinCatalogue.expressionBuiltins {
            guard let expression = RawExpressionLine.expression(after: name, in: text) else { continue }
            if expression.isEmpty { return .some("usage: \(BuiltinCatalogue.spec(name)!.usage)") }
            if expression.contains("$") { return .some(nil) }
            var ctx = DryContext(values: [:])
            do {
                _ = try JMESPathExpression(try RawExpressionLine.substitute(expression, context: &ctx))
                return .some(nil)
            } catch {
                return .some("\(name): invalid JMESPath expression '\(expression)': \(error)")
            }
        }
        return nil
    }
}
