import ArgumentParser
@preconcurrency import Foundation
@preconcurrency import Glibc
import GameDay
import Shell
import Store

@main
struct Keydrill: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keydrill",
        abstract:
            "Rehearse Azure customer-managed-key procedures offline: az commands against an emulated Key Vault, "
            + "PostgreSQL Single and Flexible Server and Service Bus Premium, on a virtual clock.",
        discussion: """
            With no -c, keydrill reads lines from standard input (a script) when it is not a terminal, \
            and stops at the first failing line with that line's exit code; on a terminal it is an \
            interactive shell. Exit codes follow az: 0 success, 1 error, 2 usage error, 3 not found.
            """,
        version: KeydrillVersion.string,
        subcommands: [
            RunRunbooks.self, LintRunbooks.self, ImpactCommand.self, ResetState.self, AzCommand.self, ShimCommand.self,
            EnvCommand.self, GameDayCommand.self,
        ])

    @Option(
        name: .customShort("c"),
        help: ArgumentHelp("Run LINE (repeatable); exit with the first failure's code.", valueName: "LINE"))
    var lines: [String] = []

    @OptionGroup var globals: GlobalOptions

    /// ArgumentParser exits 64 (EX_USAGE) on a usage error; az, and keydrill's README, say 2.
    static func main() {
        GamePlay.commands = GameMaster.promptCommand
        // Called as `az` (the shim is a link to this binary): one az command, argv as given.
        if URL(fileURLWithPath: CommandLine.arguments[0]).lastPathComponent == "az" {
            Foundation.exit(AzCommand.runOne(Array(CommandLine.arguments.dropFirst()), state: nil))
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        let session: Session
        do {
            let store =
                globals.ephemeral
                ? nil : try StateDirectory(path: StatePaths.directory(explicit: globals.state, environment: env))
            session = try Session(store: store, environment: env, terminal: Terminal.traits(environment: env))
        } catch {
            FileHandle.standardError.write(Data("ERROR: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let code: Int32
        if !lines.isEmpty {
            code = ScriptRunner(session: session, keepGoing: globals.keepGoing).run(lines: lines)
        } else if Terminal.isInteractive {
            code = InteractiveShell(session: session, environment: env).run()
        } else {
            code = ScriptRunner(session: session, keepGoing: globals.keepGoing).run(lines: StandardInputLines())
        }
        fflush(stdout)
        if code != 0 { throw ExitCode(code) }
    }
}

/// The flags every keydrill command shares. Declared once and included by each subcommand, so
/// `keydrill --state DIR run ...` and `keydrill run ... --state DIR` mean the same: an option the
/// root and a subcommand both declared would go to the root and be lost.
struct GlobalOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "State directory (default: $KEYDRILL_STATE, else $XDG_STATE_HOME/keydrill, else ~/.local/state/keydrill).",
            valueName: "DIR"))
    var state: String?

    @Flag(help: "Keep the world in memory only: nothing is read or written.")
    var ephemeral = false

    @Flag(
        help: ArgumentHelp(
            "Go on after a failure: after a failing line (scripts; the exit code is still the first failure's), "
                + "after a failed step and runbook (run)."))
    var keepGoing = false
}

struct ResetState: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Empty the state directory (world, journal, run records, checkpoints) after a y/N question.")

    @OptionGroup var globals: GlobalOptions
    @Flag(name: [.short, .long], help: "Do not ask (needed without a terminal).") var yes = false

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        let dir = StatePaths.directory(explicit: globals.state, environment: env)
        guard FileManager.default.fileExists(atPath: dir) else {
            print("\(dir) does not exist; nothing to reset")
            return
        }
        if !yes {
            guard isatty(0) == 1 else {
                FileHandle.standardError.write(
                    Data("ERROR: reset asks before it empties \(dir); without a terminal, give --yes.\n".utf8))
                throw ExitCode(1)
            }
            guard
                Terminal.askYesNo(
                    "Empty the state directory \(dir)? Its world, run records and checkpoints are lost. (y/n): ")
            else {
                FileHandle.standardError.write(Data("ERROR: Operation cancelled.\n".utf8))
                throw ExitCode(1)
            }
        }
        do {
            try StateDirectory(path: dir).reset()
        } catch {
            FileHandle.standardError.write(Data("ERROR: \(error)\n".utf8))
            throw ExitCode(1)
        }
        print("\(dir) is empty; the next command starts a new world")
    }
}

/// `keydrill az ARGS...`: one az command with its argv exactly as given, az's stdout, stderr and
/// exit code, against the state directory (`KEYDRILL_STATE`, or the default). What a bash script
/// calls through the `az` shim.
struct AzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "az", abstract: "Run one az command with its arguments exactly as given (what the az shim runs).")

    @OptionGroup var globals: GlobalOptions
    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("az's arguments.", valueName: "ARGS"))
    var arguments: [String] = []

    func run() throws {
        let code = Self.runOne(arguments, state: globals.state, ephemeral: globals.ephemeral)
        if code != 0 { throw ExitCode(code) }
    }

    /// - Parameter ephemeral: `keydrill --ephemeral az ...`: a world in memory, nothing read or written.
    static func runOne(_ argv: [String], state: String?, ephemeral: Bool = false) -> Int32 {
        let env = ProcessInfo.processInfo.environment
        do {
            let store =
                ephemeral ? nil : try StateDirectory(path: StatePaths.directory(explicit: state, environment: env))
            let session = try Session(store: store, environment: env, terminal: Terminal.traits(environment: env))
            let o = session.runAz(argv)
            FileHandle.standardOutput.write(Data(o.stdout.utf8))
            FileHandle.standardError.write(Data(o.stderr.utf8))
            return o.exitCode
        } catch {
            FileHandle.standardError.write(Data("ERROR: \(error)\n".utf8))
            return 1
        }
    }
}

/// `keydrill shim DIR`: an `az` in DIR (a link to this binary, which runs as `keydrill az` when
/// called by that name), so existing bash scripts run unchanged with DIR first on PATH.
struct ShimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shim",
        abstract: "Write an az into DIR that runs keydrill, so bash scripts run unchanged with DIR on PATH.")

    @Argument(help: ArgumentHelp("Where to put az.", valueName: "DIR")) var directory: String

    func run() throws {
        do {
            print(try Self.install(in: directory))
        } catch {
            FileHandle.standardError.write(Data("ERROR: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    static func executablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Writes DIR/az and returns its path.
    static func install(in directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let az = URL(fileURLWithPath: directory).appendingPathComponent("az").path
        var st = stat()
        if lstat(az, &st) == 0 {
            guard st.st_mode & S_IFMT == S_IFLNK else {
                throw StoreError("\(az) exists and is not keydrill's shim; remove it first")
            }
            unlink(az)
        }
        guard symlink(executablePath(), az) == 0 else {
            throw StoreError("cannot write \(az): \(String(cString: strerror(errno)))")
        }
        return az
    }
}

/// `eval "$(keydrill env)"`: puts an az shim (in the state directory's `bin/`) first on PATH and
/// names the state directory, for the shell that evaluates it.
struct EnvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Print shell lines that put keydrill's az first on PATH: eval \"$(keydrill env)\".")

    @OptionGroup var globals: GlobalOptions

    func run() throws {
        let state = StatePaths.directory(explicit: globals.state, environment: ProcessInfo.processInfo.environment)
        do {
            let store = try StateDirectory(path: state)
            let dir = store.path + "/bin"
            _ = try ShimCommand.install(in: dir)
            func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            print("export KEYDRILL_STATE=\(quoted(store.path))")
            print("export PATH=\(quoted(dir)):\"$PATH\"")
        } catch {
            FileHandle.standardError.write(Data("ERROR: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
