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

    public static func check(_ doc: RunbookDocument, variables: [String: String]) -> (lines: [[CheckedLine]], problems: [Problem]) {
        var problems = [Problem]()
        var out = [[CheckedLine]]()
        let parser = CommandLineParser(environment: { _ in nil })
        for step in doc.steps {
            var checked = [CheckedLine]()
            for (line, text) in RunbookRunner.logicalLines(step) {
                var ctx = DryContext(values: variables)
                if let expr = text.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).first, expr == "assert" {
                    checked.append(CheckedLine(line: line, text: text, oneWayDoor: nil))
                    continue
                }
                do {
                    let parsed = try LineLexer.parse(text, context: &ctx)
                    let words = commandWords(parsed.words)
                    if let first = words.first {
                        if first == "az" {
                            _ = try parser.parse(Array(words.dropFirst()))
                        } else if CommandTable.shared.keydrillGroups.contains(first) {
                            _ = try parser.parse(words, keydrill: true)
                        } else if !Session.builtinNames.contains(first) {
                            problems.append(Problem(line: line, message: "'\(first)' is not a keydrill command"))
                        }
                    }
                    checked.append(CheckedLine(line: line, text: text, oneWayDoor: oneWayDoor(words)))
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

    /// Steps that cannot be undone in Azure.
    public static func oneWayDoor(_ words: [String]) -> String? {
        let line = words.joined(separator: " ")
        func has(_ option: String, _ value: String) -> Bool {
            guard let i = words.firstIndex(of: option), i + 1 < words.count else { return false }
            return words[i + 1].lowercased() == value
        }
        if line.hasPrefix("az keyvault purge") || line.hasPrefix("az keyvault key purge") { return "purge: the object is gone for good" }
        if has("--enable-purge-protection", "true") { return "purge protection cannot be turned off again" }
        if line.hasPrefix("az servicebus namespace encryption add") || line.hasPrefix("portal servicebus encryption save")
            || (line.hasPrefix("az servicebus namespace create") && words.contains("--encryption-config")) {
            return "customer-managed encryption on a Service Bus namespace cannot be turned off"
        }
        if line.hasPrefix("az servicebus georecovery-alias break-pair") { return "break-pair ends the pairing" }
        if line.hasPrefix("az servicebus georecovery-alias fail-over") { return "fail-over promotes the secondary and ends the pairing" }
        if line.hasPrefix("az postgres server replica stop") { return "a stopped replica cannot replicate again" }
        return nil
    }
}
