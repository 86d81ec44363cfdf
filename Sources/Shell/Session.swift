import AzureCLI
import Cloud
import Foundation
import JMESPath
import Store

/// What one line printed and how it ended.
public struct LineOutcome: Sendable {
    public var stdout = ""
    public var stderr = ""
    public var exitCode: Int32 = 0
    /// The service error code when the line failed with one (`ResourceGroupNotFound`, ...).
    public var errorCode: String?
    public var innerErrorCode: String?
    public var exitRequested = false
    /// What an `assert` line evaluated, on its words after substitution, as it ran: the one
    /// record a report shows, so a report never evaluates the expression a second time.
    public var assertion: AssertionRecord?

    public init() {}
}

/// One keydrill session: the world (in a state directory, or only in memory with --ephemeral),
/// the variables, the last command's JSON result and exit code, and named checkpoints.
public final class Session {
    public private(set) var world: World
    let store: StateDirectory?
    public var variables: [String: String] = [:]
    /// The last command's JSON output (after --query), which `assert` and `??` look at.
    public private(set) var lastValue: JSON?
    public private(set) var lastExitCode: Int32 = 0
    /// Named checkpoints of an ephemeral session; with a state directory they are kept there.
    var checkpoints: [String: (world: World, variables: [String: String])] = [:]
    var savedCheckpoints: NamedCheckpoints? { store.map { NamedCheckpoints(stateDirectory: $0.path) } }
    let processEnvironment: [String: String]
    public var terminal: TerminalTraits
    /// The interactive shell's history, for the `history` builtin.
    public var historyProvider: (() -> [String])?

    /// - Parameter store: the state directory, or nil for an ephemeral session.
    public init(
        store: StateDirectory?, environment: [String: String] = ProcessInfo.processInfo.environment,
        terminal: TerminalTraits = TerminalTraits(), seed: UInt64 = 1
    ) throws {
        self.store = store
        self.processEnvironment = environment
        self.terminal = terminal
        GamePlay.installProbes()
        if let store {
            world = try store.transaction { $0 }
        } else {
            world = World.new(now: Date(), seed: seed)
        }
    }

    /// An ephemeral session on a given world: how a runbook runs each step from its checkpoint.
    public init(
        world: World, variables: [String: String] = [:],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        terminal: TerminalTraits = TerminalTraits()
    ) {
        self.store = nil
        self.world = world
        self.variables = variables
        self.processEnvironment = environment
        self.terminal = terminal
        GamePlay.installProbes()
    }

    /// Session variables first, then the process environment.
    public func lookup(_ name: String) -> String? {
        if name == "?" { return String(lastExitCode) }
        let value = variables[name] ?? processEnvironment[name]
        if let value, lookedUp?[name] == nil { lookedUp?[name] = value }
        return value
    }

    /// While a player's line runs: the variables it read, with the values it found, so that a
    /// replay reads the same (the first value of each).
    private var lookedUp: [String: String]?

    /// Runs `body` on the world; with a state directory, under its lock with the world read fresh
    /// and written back durably when it changed.
    func withWorld<T>(_ body: (inout World) throws -> T) throws -> T {
        if let store {
            let result = try store.transaction { w -> T in
                let r = try body(&w)
                w.observeStates()
                world = w
                return r
            }
            return result
        }
        // A body that throws half-way must leave nothing behind, as a transaction does.
        var copy = world
        let result = try body(&copy)
        copy.observeStates()
        world = copy
        return result
    }

    /// A change to the world as one transaction (see `withWorld`), for commands built on a session.
    public func update<T>(_ body: (inout World) throws -> T) throws -> T { try withWorld(body) }

    /// Puts the world and the variables back as they were before an interrupted line.
    func restore(world saved: World, variables: [String: String]) {
        try? replaceWorld(saved)
        self.variables = variables
    }

    /// How many lines and commands are running inside one another: `$(...)` runs a line inside a
    /// line, `expect-fail` and `await` a command inside a command.
    private var nesting = 0
    /// Deep enough for any real line; bounded, since each level recurses.
    static let maxNesting = 32

    private func tooDeep() -> LineOutcome? {
        guard nesting > Self.maxNesting else { return nil }
        var o = LineOutcome()
        o.stderr = "ERROR: commands nest more than \(Self.maxNesting) levels deep ($(...), expect-fail, await)\n"
        o.exitCode = 2
        return o
    }

    /// The clock rate in force: `KEYDRILL_CLOCK_RATE`, else the world's setting. Only a session on
    /// a state directory follows the wall clock (scripts and the shim); runbooks never do.
    var clockRate: Double {
        processEnvironment["KEYDRILL_CLOCK_RATE"].flatMap { Double($0) }.map { max(0, $0) } ?? world.settings.clockRate
    }

    private func followWallClock() -> LineOutcome? {
        guard store != nil, clockRate > 0 || world.wallAnchor != nil else { return nil }
        let rate = clockRate
        do {
            try withWorld { try $0.followWallClock(now: Date(), rate: rate) }
        } catch {
            var o = LineOutcome()
            o.stderr = "ERROR: \(error)\n"
            o.exitCode = 1
            return o
        }
        return nil
    }

    /// Runs one logical line (continuations already joined); during a game day, a player's line
    /// is recorded in the game's journal.
    public func execute(_ line: String) -> LineOutcome {
        guard nesting == 0 else { return executeLine(line) }
        if let failed = followWallClock() { return failed }
        let play = beginPlay()
        if play != nil { lookedUp = [:] }
        let outcome = executeLine(line)
        let read = lookedUp ?? [:]
        lookedUp = nil
        if let play, GamePlay.isPlayed(line) {
            let shown = HistoryRedaction.redact(line)
            record(
                play, kind: .line, words: [shown], shown: shown, exitCode: outcome.exitCode,
                variables: GamePlay.masked(read))
        }
        return outcome
    }

    private func executeLine(_ line: String) -> LineOutcome {
        nesting += 1
        defer { nesting -= 1 }
        if let refused = tooDeep() {
            lastExitCode = refused.exitCode
            return refused
        }
        var outcome = LineOutcome()
        var ctx = LineContext(session: self)
        // These take the rest of the line as a JMESPath expression, quotes and all.
        for command in BuiltinCatalogue.expressionBuiltins {
            guard let run = Builtins.expressionRunners[command] else { continue }
            guard let expression = RawExpressionLine.expression(after: command, in: line) else { continue }
            do {
                outcome = run(self, try RawExpressionLine.substitute(expression, context: &ctx))
                outcome.stderr = ctx.stderr + outcome.stderr
            } catch {
                outcome = Builtins.failure("ERROR: \(error)")
            }
            lastExitCode = outcome.exitCode
            return outcome
        }
        // psql's way out is many people's habit.
        if line.trimmingCharacters(in: .whitespaces) == "\\q" { return execute("quit") }
        // Bash's pipes, lists and redirections are not the line language's: say so, and how.
        if let refusal = ShellSyntax.refusal(line) {
            outcome.stderr = refusal
            outcome.exitCode = 2
            lastExitCode = 2
            return outcome
        }
        do {
            let parsed = try LineLexer.parse(line, context: &ctx)
            outcome.stderr = ctx.stderr
            if parsed.words.isEmpty {
                for (k, v) in parsed.assignments { variables[k] = v }
                if !parsed.assignments.isEmpty { lastExitCode = 0 }
                return outcome
            }
            var sub = run(
                parsed.words, extraEnvironment: Dictionary(parsed.assignments, uniquingKeysWith: { _, b in b }))
            sub.stderr = outcome.stderr + sub.stderr
            outcome = sub
        } catch let e as LineSyntaxError {
            outcome.stderr = ctx.stderr + "ERROR: \(e.message)\n"
            outcome.exitCode = 2
        } catch let e as SubstitutionFailed {
            outcome.stderr = ctx.stderr + (e.message.isEmpty ? "" : "ERROR: \(e.message)\n")
            outcome.exitCode = e.exitCode
        } catch {
            outcome.stderr = ctx.stderr + "ERROR: \(error)\n"
            outcome.exitCode = 1
        }
        lastExitCode = outcome.exitCode
        return outcome
    }

    /// Dispatches words: a builtin, `az ...`, or one of keydrill's own command groups.
    func run(_ words: [String], extraEnvironment: [String: String] = [:]) -> LineOutcome {
        nesting += 1
        defer { nesting -= 1 }
        if let refused = tooDeep() { return refused }
        guard let first = words.first else { return LineOutcome() }
        if let builtin = Builtins.table[first] {
            // `checkpoint -h` asks for help; it must not save a checkpoint named -h.
            if first != "echo", words.count == 2, ["-h", "--help"].contains(words[1]) {
                return Builtins.help(of: first)
            }
            return builtin.run(self, Array(words.dropFirst()))
        }
        if first == "az" {
            return az(Array(words.dropFirst()), extraEnvironment: extraEnvironment)
        }
        if CommandTable.shared.keydrillGroups.contains(first) {
            return az(words, keydrill: true, extraEnvironment: extraEnvironment)
        }
        var o = LineOutcome()
        let known = LineCommand.firstWords()
        let near = Suggest.closest(first, among: known).map { "Did you mean '\($0)' ?\n" } ?? ""
        o.stderr =
            "ERROR: '\(first)' is not a keydrill command. Commands are az ..., or one of keydrill's own (type "
            + "'help').\n\(near)"
        o.exitCode = 2
        return o
    }

    /// One az command with its argv exactly as given (no line language): what `keydrill az` and
    /// the `az` shim run.
    public func runAz(_ argv: [String]) -> LineOutcome {
        if let failed = followWallClock() { return failed }
        let play = beginPlay()
        let o = az(argv, extraEnvironment: [:])
        if let play {
            let words = GamePlay.redacted(argv)
            record(
                play, kind: .az, words: words, shown: (["az"] + words).map(GamePlay.quoted).joined(separator: " "),
                exitCode: o.exitCode)
        }
        return o
    }

    /// The world as a player's command found it, when a game day is being played.
    private func beginPlay() -> (before: World, wall: Date)? {
        guard world.gameDay != nil else { return nil }
        // Another process (a script through the shim) may have played since this session last looked.
        if store != nil { _ = try? withWorld { _ in } }
        return world.gameInProgress ? (world, wallClock()) : nil
    }

    /// The wall clock a game's journal records: a replay gives each command the time it had.
    public var wallClock: () -> Date = Date.init

    private func record(
        _ play: (before: World, wall: Date), kind: PlayedCommand.Kind, words: [String], shown: String, exitCode: Int32,
        variables: [String: String] = [:]
    ) {
        let principal = world.isSignedOut ? "(signed out)" : world.operatorCaller.name
        var command = PlayedCommand(
            kind: kind, virtualTime: play.before.now, wallTime: play.wall, principal: principal, words: words,
            shown: shown, exitCode: exitCode)
        command.variables = variables
        _ = try? withWorld { $0.recordPlayed(command, before: play.before) }
    }

    func az(_ argv: [String], keydrill: Bool = false, extraEnvironment: [String: String]) -> LineOutcome {
        var o = LineOutcome()
        if !keydrill, argv == ["--version"] || argv == ["-v"] {
            o.stdout =
                "azure-cli (emulated by keydrill)   \(AzureCLI.azVersion)\n\nkeydrill                           "
                + "\(KeydrillVersion.string)\n"
            lastValue = nil
            return o
        }
        let env = processEnvironment.merging(variables) { _, v in v }.merging(extraEnvironment) { _, v in v }
        let lookup: @Sendable (String) -> String? = { env[$0] }
        // Prepare and confirm with no lock held: a person thinking about y/N blocks nobody.
        let command: PreparedCommand
        switch AzureCLI.prepare(argv, keydrill: keydrill, environment: lookup, signedIn: !world.isSignedOut) {
        case .finished(let result):
            return outcome(of: result)
        case .ready(let prepared):
            command = prepared
        }
        if let cancelled = AzureCLI.confirm(command, ask: terminal.confirm) { return outcome(of: cancelled) }
        do {
            let result = try withWorld { w in AzureCLI.execute(command, world: &w, terminal: terminal) }
            o = outcome(of: result)
            if let w = store?.warning { o.stderr += "WARNING: \(w)\n" }
        } catch {
            o.stderr = "ERROR: \(error)\n"
            o.exitCode = 1
        }
        return o
    }

    private func outcome(of result: CommandResult) -> LineOutcome {
        var o = LineOutcome()
        o.stdout = result.stdout
        o.stderr = result.stderr
        o.exitCode = result.exitCode
        o.errorCode = result.errorCode
        o.innerErrorCode = result.innerErrorCode
        if result.exitCode == 0 { lastValue = result.value }
        return o
    }

    func setLastValue(_ v: JSON?) { lastValue = v }

    /// The world as a command outside the session left it (a runbook's bash block, through the
    /// az shim): the session goes on from there.
    public func adopt(world w: World) throws { try replaceWorld(w) }

    func replaceWorld(_ w: World) throws {
        try withWorld { $0 = w }
    }
}

/// Feeds `$VAR` and `$(...)` from a session into the lexer.
struct LineContext: SubstitutionContext {
    let session: Session
    var stderr = ""

    func variable(_ name: String) -> String? { session.lookup(name) }

    mutating func commandOutput(_ line: String) throws -> String {
        let o = session.execute(line)
        stderr += o.stderr
        guard o.exitCode == 0 else { throw SubstitutionFailed(message: "", exitCode: o.exitCode) }
        return o.stdout
    }
}

public enum KeydrillVersion {
    public static let string = "0.1.0"
}
