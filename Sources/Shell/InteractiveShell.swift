import AzureCLI
import Cloud
@preconcurrency import Foundation
@preconcurrency import Glibc

/// The interactive shell on libedit: a prompt with the virtual time, history under
/// `$XDG_STATE_HOME/keydrill/history` (`KEYDRILL_HISTORY` overrides), Tab completion from the
/// command table and the world, continuation lines, Ctrl-C cancelling the line, and errors that
/// never end the session.
public struct InteractiveShell {
    let session: Session
    let environment: [String: String]

    public init(session: Session, environment: [String: String]) {
        self.session = session
        self.environment = environment
    }

    public static func historyPath(_ environment: [String: String]) -> String {
        if let p = environment["KEYDRILL_HISTORY"], !p.isEmpty { return p }
        return StatePaths.stateHome(environment) + "/keydrill/history"
    }

    func prompt(continuation: Bool) -> String {
        if continuation { return "....> " }
        let time = AzDate.plain(session.world.now)
        // Who runs the commands, when it is not the operator.
        let who: String
        switch session.world.signIn.kind {
        case .servicePrincipal: who = " as \(session.world.signIn.displayName)"
        case .signedOut: who = " (signed out)"
        case .user: who = ""
        }
        guard session.terminal.colorAllowed else { return "keydrill \(time)\(who)> " }
        // \1 brackets the escape sequences so libedit does not count them as columns.
        return
            "\u{1}\u{1b}[1;36m\u{1}keydrill\u{1}\u{1b}[0m\u{1} \u{1}\u{1b}[33m\u{1}\(time)\u{1}\u{1b}[0m\u{1}\(who)> "
    }

    public func run() -> Int32 {
        let sink = OutputSink.standard
        var historyFile: HistoryFile?
        do {
            historyFile = try HistoryFile(path: Self.historyPath(environment))
        } catch {
            fputs("WARNING: \(error)\n", stderr)
        }
        let editor = LineEditor(historyFile: historyFile)
        defer { editor.close() }
        let session = self.session
        editor.complete = { Completer(world: session.world).complete($0) }
        editor.hint = { Completer.usageHint($0) }
        session.historyProvider = { editor.entries }
        // The one thing a newcomer must know first: nothing happens until the clock is moved.
        fputs(
            "keydrill \(KeydrillVersion.string): az \(AzureCLI.azVersion) against an emulated Azure. The clock is "
                + "virtual (now "
                + "\(AzDate.plain(session.world.now))): it moves only with 'clock advance' or 'clock set'. 'help' "
                + "lists commands.\n",
            stdout)
        var pending = ""
        while true {
            editor.setPrompt(prompt(continuation: !pending.isEmpty))
            switch editor.read() {
            case .interrupted:
                // Ctrl-C: the half-typed (or continued) line is dropped; the session goes on.
                fputs("\n", stdout)
                pending = ""
                continue
            case .endOfFile:
                fputs("\n", stdout)
                return 0
            case .line(let line):
                pending = pending.isEmpty ? line : pending + "\n" + line
                if LineLexer.needsContinuation(pending) { continue }
                let text = pending
                pending = ""
                editor.addHistory(HistoryRedaction.redact(text))
                let before = (world: session.world, variables: session.variables)
                Interruption.clear()
                var o = session.execute(text)
                if Interruption.isRequested {
                    // Ctrl-C during the command: it stops as a whole, whatever it had done.
                    session.restore(world: before.world, variables: before.variables)
                    o.stdout = ""
                    o.stderr = "\nERROR: \(Interrupted())\n"
                    o.exitCode = 1
                    Interruption.clear()
                }
                sink.write(o)
                fflush(stdout)
                if o.exitRequested { return o.exitCode }
            }
        }
    }
}
