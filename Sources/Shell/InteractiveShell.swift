import AzureCLI
import Cloud
@preconcurrency import Foundation
@preconcurrency import Glibc

/// The interactive shell: a prompt showing the virtual time, line continuation, and errors that
/// never end the session.
public struct InteractiveShell {
    let session: Session
    let environment: [String: String]

    public init(session: Session, environment: [String: String]) {
        self.session = session
        self.environment = environment
    }

    public func run() -> Int32 {
        let sink = OutputSink.standard
        var pending = ""
        while true {
            fputs(pending.isEmpty ? "keydrill \(AzDate.plain(session.world.now))> " : "....> ", stdout)
            fflush(stdout)
            guard let line = readLine(strippingNewline: true) else {
                fputs("\n", stdout)
                return 0
            }
            pending = pending.isEmpty ? line : pending + "\n" + line
            if LineLexer.needsContinuation(pending) { continue }
            let o = session.execute(pending)
            pending = ""
            sink.write(o)
            if o.exitRequested { return o.exitCode }
        }
    }
}
