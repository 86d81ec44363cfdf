import AzureCLI

/// keydrill's own commands beside `az`, declared once: name, usage, summary and how the rest of
/// the line is read. The session dispatches by it, and help, completion, hints, runbook lint,
/// history redaction and dry runs read the same declarations (never the text of a line).
public struct BuiltinSpec: Sendable {
    public enum Syntax: Sendable {
        /// Plain words (`clock advance 1h`), each builtin checking its own.
        case words(subcommands: [String])
        /// The rest of the line, as typed, is a JMESPath expression (`assert`, `??`).
        case expression
        /// Its own options, then the command it runs (`expect-fail`, `await`).
        case wrapper([WrapperOption])
    }

    /// An option of a wrapper; every one takes a value.
    public struct WrapperOption: Sendable {
        public let name: String
        public let metavar: String
        public let required: Bool
    }

    public let name: String
    public let usage: String
    public let summary: String
    public let syntax: Syntax

    public var wrapperOptions: [WrapperOption] {
        if case .wrapper(let options) = syntax { return options }
        return []
    }
}

/// A wrapper's reading of its words: its options and the command it runs.
public struct WrappedCommand: Sendable, Equatable {
    public let wrapper: String
    public let options: [String: String]
    public let command: [String]
}

public enum BuiltinCatalogue {
    public static let all: [BuiltinSpec] = [
        BuiltinSpec(
            name: "clock", usage: "clock now | clock advance [-v] DURATION | clock set [-v] TIME",
            summary:
                "Show or move the virtual clock (durations: 90s, 15m, 2h, 3d, 1h30m); -v lists the events that ran.",
            syntax: .words(subcommands: ["now", "advance", "set"])),
        BuiltinSpec(
            name: "gameday",
            usage: "gameday status | gameday declare [--fault FAULT] [--target TARGET] TEXT | gameday reveal | "
                + "gameday end [--report FILE.md] [--html FILE.html] [--json FILE] [--junit FILE]",
            summary:
                "Play the game day in this state directory: the probes now, a detection and diagnosis, the faults "
                + "(costs points), the score.",
            syntax: .words(subcommands: ["status", "declare", "reveal", "end"])),
        BuiltinSpec(name: "echo", usage: "echo WORD...", summary: "Print the words.", syntax: .words(subcommands: [])),
        BuiltinSpec(
            name: "assert", usage: "assert JMESPATH",
            summary: "Pass when the expression is truthy on the last command's JSON output.", syntax: .expression),
        BuiltinSpec(
            name: "??", usage: "?? JMESPATH", summary: "Query the last command's JSON output, as az interactive does.",
            syntax: .expression),
        BuiltinSpec(
            name: "expect-fail", usage: "expect-fail [--code CODE] [--message TEXT] COMMAND...",
            summary:
                "Pass when the command fails (with that error code or exit code, and with TEXT in its error output).",
            syntax: .wrapper([
                BuiltinSpec.WrapperOption(name: "--code", metavar: "CODE", required: false),
                BuiltinSpec.WrapperOption(name: "--message", metavar: "TEXT", required: false),
            ])),
        BuiltinSpec(
            name: "await", usage: "await --until JMESPATH --within DURATION [--every DURATION] COMMAND...",
            summary:
                "Run the command, advancing the virtual clock by --every (default 1m) until the expression is truthy "
                + "on its output; fail after --within.",
            syntax: .wrapper([
                BuiltinSpec.WrapperOption(name: "--until", metavar: "JMESPATH", required: true),
                BuiltinSpec.WrapperOption(name: "--within", metavar: "DURATION", required: true),
                BuiltinSpec.WrapperOption(name: "--every", metavar: "DURATION", required: false),
            ])),
        BuiltinSpec(
            name: "settings", usage: "settings [show] | settings set NAME VALUE",
            summary: "Show or change the world's timings (key check and poll intervals, propagation delays, ...).",
            syntax: .words(subcommands: ["show", "set"])),
        BuiltinSpec(
            name: "impact", usage: "impact --key ID | --vault-name NAME | --identity NAME [-g RG] [--simulate]",
            summary: "Who loses access if a key, a vault or an identity goes, how soon, and how each comes back.",
            syntax: .words(subcommands: [])),
        BuiltinSpec(
            name: "status", usage: "status",
            summary: "An overview of the world: resources and their states, keys and who uses them.",
            syntax: .words(subcommands: [])),
        BuiltinSpec(
            name: "checkpoint", usage: "checkpoint NAME", summary: "Save the world and the variables under a name.",
            syntax: .words(subcommands: [])),
        BuiltinSpec(
            name: "rewind", usage: "rewind [NAME]",
            summary: "Restore the world and the variables saved by checkpoint NAME; bare, list the checkpoints.",
            syntax: .words(subcommands: [])),
        BuiltinSpec(
            name: "history", usage: "history", summary: "List the interactive shell's history, oldest first.",
            syntax: .words(subcommands: [])),
        BuiltinSpec(name: "clear", usage: "clear", summary: "Clear the screen.", syntax: .words(subcommands: [])),
        BuiltinSpec(
            name: "help", usage: "help [COMMAND]",
            summary: "List the command groups and keydrill's own commands, or describe one.",
            syntax: .words(subcommands: [])),
        BuiltinSpec(name: "exit", usage: "exit [CODE]", summary: "Leave the shell.", syntax: .words(subcommands: [])),
        BuiltinSpec(
            name: "quit", usage: "quit [CODE]", summary: "Leave the shell, as exit does (psql's \\q too).",
            syntax: .words(subcommands: [])),
    ]

    static let byName: [String: BuiltinSpec] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    public static func spec(_ name: String) -> BuiltinSpec? { byName[name] }
    public static let names: [String] = all.map(\.name)

    /// The builtins that read the rest of their line as an expression, as typed (asked per line).
    public static let expressionBuiltins: [String] = all.filter {
        if case .expression = $0.syntax { return true } else { return false }
    }.map(\.name)

    public struct UsageProblem: Error, Sendable, Equatable {
        public let message: String
    }

    /// Reads `words` when they start with a wrapper: its options (each once, each with a value)
    /// and the command after them. Nil when the words are not a wrapper's.
    public static func unwrap(_ words: [String]) throws(UsageProblem) -> WrappedCommand? {
        guard let first = words.first, let spec = byName[first], case .wrapper(let declared) = spec.syntax else {
            return nil
        }
        var rest = Array(words.dropFirst())
        var options = [String: String]()
        while let flag = rest.first, flag.hasPrefix("--") {
            guard declared.contains(where: { $0.name == flag }) else {
                throw UsageProblem(message: "\(first): unknown option '\(flag)'; usage: \(spec.usage)")
            }
            guard rest.count >= 2 else { throw UsageProblem(message: "usage: \(spec.usage)") }
            options[flag] = rest[1]
            rest.removeFirst(2)
        }
        if rest.isEmpty || declared.contains(where: { $0.required && options[$0.name] == nil }) {
            throw UsageProblem(message: "usage: \(spec.usage)")
        }
        return WrappedCommand(wrapper: first, options: options, command: rest)
    }

    /// The command a line finally runs, through any wrappers (`expect-fail await ... az ...`).
    public static func innermost(
        _ words: [String]
    ) throws(UsageProblem) -> (wrappers: [WrappedCommand], command: [String]) {
        var wrappers = [WrappedCommand]()
        var words = words
        while let w = try unwrap(words) {
            wrappers.append(w)
            words = w.command
        }
        return (wrappers, words)
    }
}

/// What the first word of a line names, in the one catalogue of everything a line can run:
/// `az` and az's table, keydrill's own groups (the same table), and the builtins.
public enum LineCommand: Sendable, Equatable {
    case az
    case keydrillGroup(String)
    case builtin(String)

    public init?(_ first: String, table: CommandTable = .shared) {
        if first == "az" {
            self = .az
        } else if table.keydrillTopLevel.contains(first) {
            self = .keydrillGroup(first)
        } else if BuiltinCatalogue.spec(first) != nil {
            self = .builtin(first)
        } else {
            return nil
        }
    }

    /// Every word a line may start with, sorted.
    public static func firstWords(table: CommandTable = .shared) -> [String] {
        (["az"] + table.keydrillGroups + BuiltinCatalogue.names).sorted()
    }
}
