import ArgumentParser
@preconcurrency import Foundation
@preconcurrency import Glibc
import Shell
import Store

@main
struct Keydrill: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keydrill",
        abstract: "Rehearse Azure customer-managed-key procedures offline: az commands against an emulated Key Vault, PostgreSQL Single Server and Service Bus Premium, on a virtual clock.",
        discussion: """
            With no -c, keydrill reads lines from standard input (a script) when it is not a terminal, \
            and stops at the first failing line with that line's exit code; on a terminal it is an \
            interactive shell. Exit codes follow az: 0 success, 1 error, 2 usage error, 3 not found.
            """,
        version: KeydrillVersion.string,
        subcommands: [RunRunbooks.self, LintRunbooks.self, ResetState.self])

    @Option(name: .customShort("c"), help: ArgumentHelp("Run LINE (repeatable); exit with the first failure's code.", valueName: "LINE"))
    var lines: [String] = []

    @OptionGroup var globals: GlobalOptions

    /// ArgumentParser exits 64 (EX_USAGE) on a usage error; az, and keydrill's README, say 2.
    static func main() {
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

    @Flag(help: "Go on after a failing line (the exit code is still the first failure's).")
    var keepGoing = false

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        let session: Session
        do {
            let store = globals.ephemeral ? nil : try StateDirectory(path: StatePaths.directory(explicit: globals.state, environment: env))
            session = try Session(store: store, environment: env, terminal: Terminal.traits(environment: env))
        } catch {
            FileHandle.standardError.write(Data("ERROR: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let code: Int32
        if !lines.isEmpty {
            code = ScriptRunner(session: session, keepGoing: keepGoing).run(lines: lines)
        } else if Terminal.isInteractive {
            code = InteractiveShell(session: session, environment: env).run()
        } else {
            code = ScriptRunner(session: session, keepGoing: keepGoing).run(lines: StandardInputLines())
        }
        fflush(stdout)
        if code != 0 { throw ExitCode(code) }
    }
}

/// The flags every keydrill command shares. Declared once and included by each subcommand, so
/// `keydrill --state DIR run ...` and `keydrill run ... --state DIR` mean the same: an option the
/// root and a subcommand both declared would go to the root and be lost.
struct GlobalOptions: ParsableArguments {
    @Option(help: ArgumentHelp("State directory (default: $KEYDRILL_STATE, else $XDG_STATE_HOME/keydrill, else ~/.local/state/keydrill).", valueName: "DIR"))
    var state: String?

    @Flag(help: "Keep the world in memory only: nothing is read or written.")
    var ephemeral = false
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
                FileHandle.standardError.write(Data("ERROR: reset asks before it empties \(dir); without a terminal, give --yes.\n".utf8))
                throw ExitCode(1)
            }
            guard Terminal.askYesNo("Empty the state directory \(dir)? Its world, run records and checkpoints are lost. (y/n): ") else {
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
