import ArgumentParser
import Cloud
@preconcurrency import Foundation
import GameDay
import Shell
import Store

/// `keydrill gameday ...`: plan, play and score a game day in a state directory.
struct GameDayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gameday",
        abstract: "Game days: hidden key faults on the clock, found and fixed by the players, scored.",
        discussion: """
            A facilitator starts a game from a plan (docs/gamedays.md); the players defend its world with \
            anything keydrill offers (the shell, one-shot commands, scripts through the az shim), watch the \
            probes with 'gameday status', declare what they find, and end it for the score and the reports. \
            The hidden draw is kept in the state directory: a training aid, not a security boundary.
            """,
        subcommands: [
            GameStart.self, GameStatus.self, GameDeclare.self, GameReveal.self, GameEnd.self, GameReplay.self,
            GamePlayRunbook.self, GameLint.self, GameFaults.self,
        ])

    /// The session every subcommand plays through: the state directory's.
    static func session(_ globals: GlobalOptions) throws -> Session {
        let env = ProcessInfo.processInfo.environment
        let store = try StateDirectory(path: StatePaths.directory(explicit: globals.state, environment: env))
        return try Session(store: store, environment: env, terminal: Terminal.traits(environment: env))
    }

    static func fail(_ error: Error, code: Int32 = 1) -> ExitCode {
        FileHandle.standardError.write(Data("ERROR: \(error)\n".utf8))
        return ExitCode(code)
    }
}

struct GameStart: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Build the plan's world, draw its faults (hidden) and print the briefing.")

    @Argument(help: ArgumentHelp("The game-day plan.", valueName: "PLAN.md")) var plan: String
    @Option(help: "The draw's seed (default: the plan's).") var seed: UInt64?
    @Option(
        help: ArgumentHelp(
            "Virtual seconds per wall second while the players think (0: turn-based; default: the plan's).",
            valueName: "N"))
    var clockRate: Double?
    @Option(
        name: .customLong("var"),
        help: ArgumentHelp("Set a variable the plan declares (repeatable).", valueName: "NAME=VALUE"))
    var variables: [String] = []
    @OptionGroup var globals: GlobalOptions

    func validate() throws {
        if let r = clockRate, r < 0 || r > Limits.longestSetting {
            throw ValidationError("--clock-rate must be between 0 and \(Int(Limits.longestSetting))")
        }
        for v in variables where !v.contains("=") { throw ValidationError("--var expects NAME=VALUE, got '\(v)'") }
    }

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        var vars = [String: String]()
        for v in variables {
            let parts = v.split(separator: "=", maxSplits: 1)
            vars[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        do {
            let p = try GameDayPlan.load(plan)
            let store = try StateDirectory(path: StatePaths.directory(explicit: globals.state, environment: env))
            let briefing = try GameMaster.start(
                p, path: plan, seed: seed, clockRate: clockRate, variables: vars, store: store)
            print(briefing.text, terminator: "")
        } catch let problem as GameDayPlan.Problem {
            throw GameDayCommand.fail(StoreError("\(plan):\(problem.line): \(problem.message)"), code: 2)
        } catch {
            throw GameDayCommand.fail(error)
        }
    }
}

struct GameStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "The clock and the probes, green or red now (never the faults).")
    @OptionGroup var globals: GlobalOptions

    func run() throws {
        do { print(try GameMaster.status(try GameDayCommand.session(globals)), terminator: "") } catch {
            throw GameDayCommand.fail(error)
        }
    }
}

struct GameDeclare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "declare",
        abstract: "Record a detection; with --fault and --target, a diagnosis the score checks against the fault.")
    @Option(help: ArgumentHelp("The fault you think it is (keydrill gameday faults).", valueName: "FAULT"))
    var fault: String?
    @Option(help: ArgumentHelp("What it hit: a vault, VAULT/KEY, a key URL, GROUP/IDENTITY.", valueName: "TARGET"))
    var target: String?
    @Argument(help: ArgumentHelp("What you think is happening.", valueName: "TEXT")) var text: [String] = []
    @OptionGroup var globals: GlobalOptions

    func validate() throws {
        if text.isEmpty && fault == nil { throw ValidationError("say what you think: TEXT, or --fault") }
    }

    func run() throws {
        do {
            let said = text.isEmpty ? fault! : text.joined(separator: " ")
            let s = try GameDayCommand.session(globals)
            print(try GameMaster.declare(s, fault: fault, target: target, text: said), terminator: "")
        } catch {
            throw GameDayCommand.fail(error)
        }
    }
}

struct GameReveal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reveal", abstract: "Show the hidden faults (the facilitator's way out; it costs points).")
    @OptionGroup var globals: GlobalOptions

    func run() throws {
        do { print(try GameMaster.reveal(try GameDayCommand.session(globals)), terminator: "") } catch {
            throw GameDayCommand.fail(error)
        }
    }
}

struct ReportOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Write a Markdown report.", valueName: "FILE.md")) var report: String?
    @Option(help: ArgumentHelp("Write a self-contained HTML report (timeline included).", valueName: "FILE.html"))
    var html: String?
    @Option(help: ArgumentHelp("Write a JSON report (what gameday replay reads).", valueName: "FILE")) var json: String?
    @Option(help: ArgumentHelp("Write a JUnit XML report.", valueName: "FILE")) var junit: String?

    var paths: ReportPaths { ReportPaths(markdown: report, html: html, json: json, junit: junit) }
}

struct GameEnd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "end", abstract: "End the game: score it, print the scorecard and write the reports.")
    @OptionGroup var reports: ReportOptions
    @OptionGroup var globals: GlobalOptions

    func run() throws {
        do {
            let r = try GameMaster.end(try GameDayCommand.session(globals), reports: reports.paths)
            print(GameMaster.scoreText(r), terminator: "")
        } catch {
            throw GameDayCommand.fail(error)
        }
    }
}

struct GameReplay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Play a recorded game again from its JSON report: the same plan, seed and commands give the same "
            + "score (exit 1 when they do not).")
    @Argument(help: ArgumentHelp("A game's JSON report (gameday end --json).", valueName: "JOURNAL.json"))
    var journal: String
    @Option(help: ArgumentHelp("The plan (default: the path the game recorded).", valueName: "PLAN.md"))
    var plan: String?
    @OptionGroup var reports: ReportOptions

    func run() throws {
        do {
            guard let data = FileManager.default.contents(atPath: journal) else {
                throw StoreError("cannot read \(journal)")
            }
            let recorded = try GameDayReport.decode(data)
            let replayed = try GameMaster.replay(recorded, plan: try GameDayPlan.load(plan ?? recorded.game.planPath))
            try reports.paths.write(replayed)
            print(GameMaster.scoreText(replayed), terminator: "")
            guard replayed.scorecard == recorded.scorecard else {
                throw StoreError(
                    "the replay scored \(replayed.scorecard.total), the game \(recorded.scorecard.total): "
                        + "the journal does not reproduce the game")
            }
            print("Replay identical to the recorded game.")
        } catch let problem as GameDayPlan.Problem {
            throw GameDayCommand.fail(StoreError("line \(problem.line): \(problem.message)"), code: 2)
        } catch {
            throw GameDayCommand.fail(error)
        }
    }
}

struct GameLint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check plans without playing them: lines, world, steady state, faults and their windows.")
    @Argument(help: ArgumentHelp("Game-day plans.", valueName: "PLAN.md")) var plans: [String]

    func run() throws {
        var failed = false
        for path in plans {
            let problems = GameDayLint.check(path)
            for p in problems { print("\(path):\(p.line): \(p.message)") }
            if problems.isEmpty { print("\(path): ok") } else { failed = true }
        }
        if failed { throw ExitCode(2) }
    }
}

struct GameFaults: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faults", abstract: "The fault catalogue: what each fault does and what recovered means.")

    func run() throws {
        for f in FaultDefinition.catalogue {
            print("\(f.name) \(f.target.rawValue) TARGET\(f.takesDuration ? " ... for DURATION" : "")")
            print("    \(f.summary)")
            print("    recovered: \(f.recovered)")
        }
    }
}

struct GamePlayRunbook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Play a runbook's keydrill and azurecli lines in the game, each recorded as a player's command.")
    @Argument(help: ArgumentHelp("The runbook.", valueName: "RUNBOOK.md")) var runbook: String
    @OptionGroup var globals: GlobalOptions

    func run() throws {
        let result: GameMaster.PlayedRunbook
        do {
            result = try GameMaster.play(runbook, session: try GameDayCommand.session(globals)) { text in
                print(text, terminator: "")
            }
        } catch let problem as GameDayPlan.Problem {
            throw GameDayCommand.fail(StoreError("\(runbook):\(problem.line): \(problem.message)"), code: 2)
        } catch {
            throw GameDayCommand.fail(error)
        }
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }
}
