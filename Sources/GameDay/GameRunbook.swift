import Cloud
import Foundation
import Runbook
import Shell

/// A team's own runbook played against a game: its lines run one by one in the game's state
/// directory, each recorded as a player's command, as if typed at the prompt. Bash blocks are
/// refused here: the game journals what keydrill runs, and bash would run on the host unseen.
extension GameMaster {
    public struct PlayedRunbook: Sendable {
        public let lines: Int
        public let exitCode: Int32
        public let output: String
    }

    public static func play(_ path: String, session: Session, echo: (String) -> Void) throws -> PlayedRunbook {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GameDayPlan.Problem(line: 0, message: "cannot read \(path)")
        }
        let doc: RunbookDocument
        do { doc = try RunbookParser.parse(String(decoding: data, as: UTF8.self)) } catch let e as RunbookFormatError {
            throw GameDayPlan.Problem(line: e.line, message: e.message)
        }
        guard session.world.gameInProgress else { throw GameDayError.noGame }
        do {
            for (name, value) in try RunbookMetadata.parse(doc.frontMatter).defaults
            where session.variables[name] == nil {
                session.variables[name] = value
            }
        } catch let e as RunbookFormatError {
            throw GameDayPlan.Problem(line: e.line, message: e.message)
        }
        let lines = doc.steps.flatMap(RunbookRunner.logicalLines)
        if let shell = lines.first(where: { $0.kind == .shell }) {
            throw GameDayPlan.Problem(
                line: shell.line,
                message: "a game plays keydrill and azurecli lines; run bash scripts through the az shim")
        }
        var played = 0
        var output = ""
        for line in lines {
            echo("$ \(HistoryRedaction.redact(line.text))\n")
            let o = session.execute(line.text)
            played += 1
            output += o.stdout + o.stderr
            echo(o.stdout + o.stderr)
            if o.exitCode != 0 {
                echo("\(path):\(line.line): exit \(o.exitCode); the rest of the runbook is not played\n")
                return PlayedRunbook(lines: played, exitCode: o.exitCode, output: output)
            }
        }
        return PlayedRunbook(lines: played, exitCode: 0, output: output)
    }
}
