import Foundation
import XCTest

/// Game days through the binary: every bundled plan played with its reference solution (full
/// marks) and its harmful one (the penalty, with the command), replay, hidden faults, refusals.
final class GameDayEndToEndTests: BinaryTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized.path
    static let plans = root + "/runbooks/gamedays"

    static func bundledPlans() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: plans).filter { $0.hasSuffix(".md") }.sorted().map {
            String($0.dropLast(3))
        }
    }

    func gd(_ args: String..., state dir: String? = nil) throws -> Binary.Result {
        try Binary.run(["gameday"] + args + ["--state", dir ?? state])
    }

    func json(_ path: String) throws -> [String: Any] {
        let data = try XCTUnwrap(FileManager.default.contents(atPath: path))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func testEveryBundledGameScoresFullMarksPlayedWellAndNamesThePenaltyPlayedHarmfully() throws {
        let games = try Self.bundledPlans()
        XCTAssertGreaterThanOrEqual(games.count, 4)
        for game in games {
            for play in ["reference", "harmful"] {
                let dir = state + "-\(game)-\(play)"
                defer { try? FileManager.default.removeItem(atPath: dir) }
                let start = try gd("start", "\(Self.plans)/\(game).md", state: dir)
                XCTAssertEqual(start.exitCode, 0, "\(game): \(start.stderr)")
                XCTAssertTrue(start.stdout.contains("hidden on the clock"), start.stdout)
                let solution = "\(Self.plans)/solutions/\(game).\(play).md"
                let played = try gd("play", solution, state: dir)
                XCTAssertEqual(played.exitCode, 0, "\(game) \(play): \(played.stdout)\(played.stderr)")
                let out = dir + "-report"
                let end = try gd(
                    "end", "--json", out + ".json", "--report", out + ".md", "--junit", out + ".xml", "--html",
                    out + ".html", state: dir)
                defer {
                    for ext in ["json", "md", "xml", "html"] {
                        try? FileManager.default.removeItem(atPath: "\(out).\(ext)")
                    }
                }
                XCTAssertEqual(end.exitCode, 0, end.stderr)
                let scorecard = try XCTUnwrap(try json(out + ".json")["scorecard"] as? [String: Any])
                let total = try XCTUnwrap(scorecard["total"] as? Int)
                let lines = try XCTUnwrap(scorecard["lines"] as? [[String: Any]])
                let markdown = try String(contentsOfFile: out + ".md", encoding: .utf8)
                let junit = try String(contentsOfFile: out + ".xml", encoding: .utf8)
                let html = try String(contentsOfFile: out + ".html", encoding: .utf8)
                XCTAssertTrue(html.contains("<svg"), "\(game): the HTML report draws the timeline")
                let replay = try Binary.run(["gameday", "replay", out + ".json"])
                XCTAssertEqual(replay.exitCode, 0, "\(game) \(play): \(replay.stdout)\(replay.stderr)")
                if play == "reference" {
                    XCTAssertEqual(total, 100, "\(game): \(end.stdout)")
                    XCTAssertTrue(markdown.contains("**Score 100 of 100**"), markdown)
                    XCTAssertTrue(junit.contains("failures=\"0\""), junit)
                } else {
                    let penalties = lines.filter { ($0["points"] as? Int ?? 0) < 0 }
                    XCTAssertFalse(penalties.isEmpty, "\(game): \(end.stdout)")
                    let harmful = try String(contentsOfFile: solution, encoding: .utf8)
                    for p in penalties {
                        let command = try XCTUnwrap(p["command"] as? String, "\(game): a penalty names its command")
                        XCTAssertTrue(harmful.contains(command), "\(game): \(command) is the harmful play's")
                        XCTAssertTrue(end.stdout.contains(command), end.stdout)
                    }
                    XCTAssertLessThan(total, 0)
                    XCTAssertTrue(junit.contains("<failure"), junit)
                    XCTAssertTrue(markdown.contains("consumer-deleted"), markdown)
                }
            }
        }
    }

    func testAReplayedJournalGivesTheSameScoreAndReportAndAChangedOneDoesNot() throws {
        let plan = Self.plans + "/friday-night-key-expiry.md"
        XCTAssertEqual(try gd("start", plan).exitCode, 0)
        // Commands from three doors: one-shot lines, the az shim in bash, and the game's own.
        XCTAssertEqual(try kd("clock advance 19h").exitCode, 0)
        let shim = state + "-bin"
        defer { try? FileManager.default.removeItem(atPath: shim) }
        XCTAssertEqual(try Binary.run(["shim", shim]).exitCode, 0)
        let script = try bash(
            "az keyvault key show --vault-name orders-kv -n orders-key --query attributes.expires -o tsv", path: shim)
        XCTAssertEqual(script.exitCode, 0, script.stderr)
        XCTAssertEqual(try kd("clock advance 2h").exitCode, 0)
        XCTAssertEqual(
            try gd("declare", "--fault", "key-disabled", "--target", "orders-kv/orders-key", "a guess").exitCode, 0)
        XCTAssertEqual(
            try gd("declare", "--fault", "key-expired", "--target", "orders-kv/orders-key", "expired").exitCode, 0)
        XCTAssertEqual(
            try kd(
                "az keyvault key set-attributes --vault-name orders-kv -n orders-key "
                    + "--expires 2027-01-01T00:00:00Z -o none"
            )
            .exitCode, 0)
        XCTAssertEqual(try kd("clock advance 3h").exitCode, 0)
        let journal = state + "-game.json", report = state + "-game.md", again = state + "-again.md"
        defer { for f in [journal, report, again] { try? FileManager.default.removeItem(atPath: f) } }
        let end = try gd("end", "--json", journal, "--report", report)
        XCTAssertEqual(end.exitCode, 0, end.stderr)
        let recorded = try json(journal)
        let commands = try XCTUnwrap((recorded["game"] as? [String: Any])?["commands"] as? [[String: Any]])
        XCTAssertEqual(commands.map { $0["kind"] as? String }, ["line", "az", "line", "line", "line"])
        XCTAssertEqual(
            commands[1]["shown"] as? String,
            "az keyvault key show --vault-name orders-kv -n orders-key --query attributes.expires -o tsv")
        XCTAssertTrue(end.stdout.contains("Score: 100 of 100"), end.stdout)

        let replay = try Binary.run(["gameday", "replay", journal, "--report", again])
        XCTAssertEqual(replay.exitCode, 0, replay.stdout + replay.stderr)
        XCTAssertTrue(replay.stdout.contains("Replay identical"), replay.stdout)
        XCTAssertEqual(
            try String(contentsOfFile: again, encoding: .utf8), try String(contentsOfFile: report, encoding: .utf8))

        // A journal whose fix never happened does not reproduce the game.
        let text = try String(contentsOfFile: journal, encoding: .utf8)
        try text.replacingOccurrences(of: "--expires 2027-01-01T00:00:00Z", with: "--tags fixed=no")
            .write(toFile: journal, atomically: true, encoding: .utf8)
        let changed = try Binary.run(["gameday", "replay", journal])
        XCTAssertEqual(changed.exitCode, 1)
        XCTAssertTrue(changed.stderr.contains("does not reproduce the game"), changed.stderr)
    }

    func testTheFaultsStayHiddenUntilTheyFireAndThenLeaveOnlyAzuresTraces() throws {
        XCTAssertEqual(try gd("start", Self.plans + "/tidied-role-assignments.md").exitCode, 0)
        let before = try kd("status", "clock advance -v 1h", "activity --kind change", "audit")
        XCTAssertEqual(before.exitCode, 0, before.stderr)
        for word in ["access-removed", "chaos", "game day"] {
            XCTAssertFalse((before.stdout + before.stderr).lowercased().contains(word), word)
        }
        XCTAssertFalse(try gd("status").stdout.contains("access-removed"))
        XCTAssertEqual(try kd("clock advance 1d").exitCode, 0)
        let traces = try kd("activity --kind change --query \"[].[caller, operation]\" -o tsv")
        XCTAssertTrue(
            traces.stdout.contains("chaos-experiment (game day)\tMicrosoft.Authorization/roleAssignments/delete"),
            traces.stdout)
        let refused = try kd("audit --vault-name payments-kv --query \"[?result=='ForbiddenByRbac'] | length(@)\"")
        XCTAssertNotEqual(refused.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "0")
        let status = try gd("status")
        XCTAssertTrue(status.stdout.contains("✘ payments server is Ready"), status.stdout)
        XCTAssertFalse(status.stdout.contains("access-removed"), status.stdout)
        // The facilitator's way out is recorded and costs points.
        let reveal = try gd("reveal")
        XCTAssertTrue(reveal.stdout.contains("access-removed on vault payments-kv: injected"), reveal.stdout)
        let end = try gd("end")
        XCTAssertTrue(end.stdout.contains(" -20/0  reveal: the faults were revealed"), end.stdout)
    }

    func testBadPlansAreRefusedWithTheirLineAndChangeNothing() throws {
        let good = try String(contentsOfFile: Self.plans + "/friday-night-key-expiry.md", encoding: .utf8)
        let faultLine = "- key-expired key orders-kv/orders-key between 4h and 2d"
        let number = good.components(separatedBy: "\n").firstIndex(of: faultLine).map { $0 + 1 } ?? 0
        let cases: [(String, String)] = [
            ("- key-melted key orders-kv/orders-key between 4h and 2d", "unknown fault 'key-melted'"),
            ("- key-expired vault orders-kv between 4h and 2d", "key-expired acts on a key, not a vault"),
            ("- key-expired key orders-kv/no-such-key between 4h and 2d", "the key does not exist in the plan's world"),
            ("- key-expired key orders-kv/orders-key between 4h and 5d", "after the game's budget (3d)"),
            ("- keyVault:denyAccess vault orders-kv between 4h and 2d", "add 'for DURATION'"),
            ("- key-expired key orders-kv/orders-key between 2d and 4h", "the window ends before it starts"),
        ]
        let path = state + "-plan.md"
        defer { try? FileManager.default.removeItem(atPath: path) }
        for (line, message) in cases {
            try good.replacingOccurrences(of: faultLine, with: line).write(
                toFile: path, atomically: true, encoding: .utf8)
            let lint = try Binary.run(["gameday", "lint", path])
            XCTAssertEqual(lint.exitCode, 2, line)
            XCTAssertTrue(lint.stdout.contains("\(path):\(number): ") && lint.stdout.contains(message), lint.stdout)
            let start = try gd("start", path)
            XCTAssertEqual(start.exitCode, 2, line)
            XCTAssertTrue(start.stderr.contains(message), start.stderr)
            XCTAssertFalse(
                FileManager.default.fileExists(atPath: state + "/world.json"), "a refused start writes nothing")
        }
        // A steady state that is red before any fault.
        try good.replacingOccurrences(of: "assert rows == `200` && verified", with: "assert rows == `999`")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let red = try gd("start", path)
        XCTAssertEqual(red.exitCode, 2)
        XCTAssertTrue(
            red.stderr.contains("the steady state is red before any fault: probe 'orders rows read back'"), red.stderr)
        // A runbook is not a plan.
        let runbook = try gd("start", Self.root + "/runbooks/servicebus-key-rotation.md")
        XCTAssertEqual(runbook.exitCode, 2)
        XCTAssertTrue(runbook.stderr.contains("kind: gameday"), runbook.stderr)
    }

    func testAGameIsPlayedOnceInItsOwnDirectoryAndCannotBeRewound() throws {
        let noGame = try gd("status")
        XCTAssertEqual(noGame.exitCode, 1)
        XCTAssertTrue(noGame.stderr.contains("no game day is being played in this state directory"), noGame.stderr)
        XCTAssertEqual(try kd("az group create -n rg -l eastus -o none").exitCode, 0)
        let busy = try gd("start", Self.plans + "/friday-night-key-expiry.md")
        XCTAssertEqual(busy.exitCode, 1)
        XCTAssertTrue(busy.stderr.contains("already holds a world"), busy.stderr)

        let dir = state + "-game"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertEqual(try gd("start", Self.plans + "/friday-night-key-expiry.md", state: dir).exitCode, 0)
        XCTAssertEqual(try Binary.run(["-c", "checkpoint before"], state: dir).exitCode, 0)
        let rewind = try Binary.run(["-c", "rewind before"], state: dir)
        XCTAssertEqual(rewind.exitCode, 1)
        XCTAssertTrue(rewind.stderr.contains("a game cannot be rewound"), rewind.stderr)
        XCTAssertEqual(try gd("end", state: dir).exitCode, 0)
        let twice = try gd("end", state: dir)
        XCTAssertEqual(twice.exitCode, 1)
        XCTAssertTrue(twice.stderr.contains("this game day already ended"), twice.stderr)
        let again = try gd("start", Self.plans + "/friday-night-key-expiry.md", state: dir)
        XCTAssertEqual(again.exitCode, 1)
        XCTAssertTrue(again.stderr.contains("holds a game that has ended"), again.stderr)
    }

    func testThePromptPlaysAGameWhileTheClockRuns() throws {
        XCTAssertEqual(
            try gd("start", Self.plans + "/chaos-studio-deny-access.md", "--clock-rate", "36000").exitCode, 0)
        defer { try? FileManager.default.removeItem(atPath: state + "-history") }
        let sh = try PTYChild.keydrill(state: state, history: state + "-history")
        var at = sh.prompt()
        // Ten virtual hours pass in a wall second: the experiment starts and ends meanwhile.
        Thread.sleep(forTimeInterval: 1.2)
        sh.send("gameday status\r")
        at = sh.expect("orders queue delivers", after: at)
        XCTAssertFalse(sh.output.contains(" 0s played"), sh.output)
        at = sh.prompt(after: at)
        sh.send("gameday declare --fault keyVault:denyAccess --target orders-msg-kv the vault was firewalled\r")
        at = sh.expect("declared at 2026-01-01T", after: at)
        at = sh.prompt(after: at)
        sh.send("gameday end\r")
        at = sh.expect("keyVault:denyAccess on vault orders-msg-kv: injected 2026-01-01T07:58:00Z", after: at)
        at = sh.prompt(after: at)
        sh.send("\u{04}")
        XCTAssertEqual(sh.waitForExit(), 0)
    }
}
