import Foundation
import XCTest

/// The libedit shell in a pseudo-terminal: completion, history, Ctrl-C, Ctrl-D, errors, UTF-8
/// and secrets kept out of the history file.
final class InteractiveShellTests: BinaryTestCase {
    var history: String { state + "-history" }

    func shell() throws -> PTYChild { try PTYChild.keydrill(state: state, history: history) }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: history)
        super.tearDown()
    }

    func testTabCompletesGroupsAndLiveVaultNames() throws {
        XCTAssertEqual(
            try kd(
                "az group create -n rg -l westus -o none",
                "az keyvault create --enable-rbac-authorization false -n contoso-vault -g rg -o none"
            )
            .exitCode, 0)
        let sh = try shell()
        var at = sh.prompt()
        sh.send("az keyv\t")
        at = sh.expect("ault ", after: at)
        sh.send("key list --vault-name contoso-v\t")
        at = sh.expect("ault ", after: at)
        sh.send("-o tsv --query length(@)\r")
        at = sh.expect("\r\n0\r\n", after: at)
        _ = sh.prompt(after: at)
        sh.send("\u{04}")
        XCTAssertEqual(sh.waitForExit(), 0)
    }

    func testTheFirstLineSaysTheClockIsVirtualAndWhereHelpIs() throws {
        let sh = try shell()
        _ = sh.prompt()
        XCTAssertTrue(sh.output.contains("The clock is virtual"), sh.output)
        XCTAssertTrue(sh.output.contains("'help' lists commands"), sh.output)
        sh.send("\u{04}")
        XCTAssertEqual(sh.waitForExit(), 0)
    }

    func testUsageHintIsDrawnDimmedAfterTheCursorAndClearedByTheNextKey() throws {
        let sh = try shell()
        var at = sh.prompt()
        sh.send("az keyvault key rotate ")
        // Saved cursor, dim, the hint, reset, restored cursor: on the same line, after the cursor.
        at = sh.expect("\u{1b}7\u{1b}[2m[--hsm-name] [--id] [--name] [--vault-name] — Rotate the key", after: at)
        sh.send("-")
        at = sh.expect("\u{1b}[K", after: at)
        // A Tab-completed command name gets no hint; the space Tab adds is not typed.
        let beforeTab = sh.output.utf8.count
        sh.send("\u{15}az keyvault key rot\t")
        usleep(400_000)
        sh.send("--vault-name x\r")
        at = sh.expect("ERROR", after: at)
        _ = sh.prompt(after: at)
        XCTAssertFalse(
            String(decoding: sh.output.utf8.dropFirst(beforeTab), as: UTF8.self).contains("\u{1b}[2m"),
            "no hint after Tab")
        sh.send("\u{04}")
        XCTAssertEqual(sh.waitForExit(), 0)
    }

    func testASpaceInACtrlRSearchIsPartOfTheSearch() throws {
        let sh = try shell()
        var at = sh.prompt()
        sh.send("echo alpha beta\r")
        at = sh.expect("alpha beta\r\n", after: at)
        at = sh.prompt(after: at)
        sh.send("echo gamma\r")
        at = sh.expect("gamma\r\n", after: at)
        at = sh.prompt(after: at)
        // Search for "a b" (with its space): the line found is the first echo, run unchanged.
        sh.send("\u{12}a b")
        usleep(300_000)
        sh.send("\r")
        at = sh.expect("alpha beta\r\n", after: at)
        _ = sh.prompt(after: at)
        sh.send("\u{04}")
        XCTAssertEqual(sh.waitForExit(), 0)
    }

    func testCtrlCCancelsTheLineErrorsDoNotEndTheSessionAndUTF8RoundTrips() throws {
        let sh = try shell()
        var at = sh.prompt()
        sh.send("echo half-typed")
        at = sh.expect("half-typed", after: at)
        usleep(100_000)
        sh.send("\u{03}")
        at = sh.prompt(after: at)
        sh.send("echo next\r")
        at = sh.expect("next\r\n", after: at)
        XCTAssertEqual(
            sh.output.components(separatedBy: "half-typed").count, 2,
            "the cancelled line was echoed as typed but never ran")
        at = sh.prompt(after: at)
        sh.send("az keyvault show -n nope\r")
        at = sh.expect("ERROR:", after: at)
        at = sh.prompt(after: at)
        sh.send("echo $?\r")
        // az's validator finds no vault of that name in the subscription: a CLI error, exit 1.
        at = sh.expect("1\r\n", after: at)
        at = sh.prompt(after: at)
        sh.send("echo héllo ✓ 日本\r")
        at = sh.expect("héllo ✓ 日本\r\n", after: at)
        _ = sh.prompt(after: at)
        sh.send("\u{04}")
        XCTAssertEqual(sh.waitForExit(), 0)
    }

    func testUpRecallsAfterARestartAndPasswordsStayOutOfTheHistoryFile() throws {
        let first = try shell()
        var at = first.prompt()
        first.send("echo remembered-line\r")
        at = first.expect("remembered-line\r\n", after: at)
        at = first.prompt(after: at)
        first.send("az postgres server create -g nope -n pg1 -u cloudsa -p Secr3t!Pass --only-show-errors\r")
        at = first.expect("ERROR", after: at)
        at = first.prompt(after: at)
        first.send(
            "az postgres server create -g nope -n pg1 -u cloudsa --admin-password=An0ther!Pass --only-show-errors\r")
        at = first.expect("ERROR", after: at)
        at = first.prompt(after: at)
        first.send("echo after\r")
        at = first.expect("after\r\n", after: at)
        _ = first.prompt(after: at)
        first.send("\u{04}")
        XCTAssertEqual(first.waitForExit(), 0)
        let saved = try String(contentsOfFile: history, encoding: .utf8)
        XCTAssertFalse(saved.contains("Secr3t"), saved)
        XCTAssertFalse(saved.contains("An0ther"), saved)
        XCTAssertTrue(saved.contains("********"), saved)

        let second = try shell()
        var at2 = second.prompt()
        second.send("\u{1b}[A\u{1b}[A\u{1b}[A\u{1b}[A\r")
        at2 = second.expect("remembered-line\r\n", after: at2)
        _ = second.prompt(after: at2)
        second.send("history\r")
        at2 = second.expect("echo remembered-line", after: at2)
        _ = second.prompt(after: at2)
        second.send("\u{04}")
        XCTAssertEqual(second.waitForExit(), 0)
    }

    func testCtrlCAtTheYesNoQuestionCancelsAndTheDirectoryIsNotLockedMeanwhile() throws {
        XCTAssertEqual(try kd("az group create -n doomed -l westus -o none").exitCode, 0)
        let sh = try shell()
        var at = sh.prompt()
        sh.send("half-typed\u{03}")
        at = sh.prompt(after: at)
        sh.send("az group delete -n doomed\r")
        at = sh.expect("(y/n): ", after: at)
        // While a person thinks, another process reads and writes the same state directory.
        let other = try kd("az group list --query [].name -o tsv", "az group create -n other -l westus -o none")
        XCTAssertEqual(other.exitCode, 0, other.stderr)
        XCTAssertEqual(other.stdout, "doomed\n")
        sh.send("\u{03}")
        at = sh.expect("Operation cancelled.", after: at)
        at = sh.prompt(after: at)
        sh.send("az group list --query [].name -o tsv\r")
        at = sh.expect("doomed\r\nother\r\n", after: at)
        _ = sh.prompt(after: at)
        sh.send("\u{04}")
        XCTAssertEqual(sh.waitForExit(), 0)
    }

    func testSecretsInEveryFormStayOutOfTheHistoryFile() throws {
        let sh = try shell()
        var at = sh.prompt()
        let create = "az postgres server create -g nope -n pg1 -u cloudsa --only-show-errors"
        for line in [
            "\(create) --admin-pass S3cretA!1", "\(create) -pS3cretB!1", "\(create) -p 'S3cret C!1'",
            "X=$(\(create) -p S3cretD!1)", "expect-fail \(create) -p S3cretE!1", "DB_PASSWORD=S3cretF!1 echo hi",
        ] {
            sh.send(line + "\r")
            at = sh.prompt(after: at)
        }
        sh.send("\u{04}")
        XCTAssertEqual(sh.waitForExit(), 0)
        let saved = try String(contentsOfFile: history, encoding: .utf8)
        XCTAssertFalse(saved.contains("S3cret"), saved)
        XCTAssertEqual(saved.components(separatedBy: "********").count - 1, 6, saved)
    }

    func testCtrlCStopsALongCommandAndTheWorldIsAsBefore() throws {
        XCTAssertEqual(try kd("clock set 2030-01-01T00:00:00Z").exitCode, 0)
        let sh = try shell()
        var at = sh.prompt()
        sh.send("await --until \"@ == 'never'\" --within 69d --every 1m clock now\r")
        usleep(500_000)
        sh.send("\u{03}")
        at = sh.expect("interrupted (Ctrl-C); the command was stopped and changed nothing", after: at)
        at = sh.prompt(after: at)
        sh.send("clock now\r")
        at = sh.expect("2030-01-01T00:00:00Z\r\n", after: at)
        _ = sh.prompt(after: at)
        sh.send("\u{04}")
        XCTAssertEqual(sh.waitForExit(), 0)
        XCTAssertEqual(try kd("clock now").stdout, "2030-01-01T00:00:00Z\n", "nothing of the await was kept")
    }

    func testHistoryIsAppendedAsEnteredSoAKillLosesNothingAndALinkIsNotFollowed() throws {
        let sh = try shell()
        var at = sh.prompt()
        sh.send("echo first-entry\r")
        at = sh.expect("first-entry\r\n", after: at)
        at = sh.prompt(after: at)
        sh.send("PW=S3cret!x\r")
        _ = sh.prompt(after: at)
        kill(sh.pid, SIGKILL)
        _ = sh.waitForExit()
        let saved = try String(contentsOfFile: history, encoding: .utf8)
        XCTAssertEqual(saved, "echo first-entry\nPW=********\n")
        var st = stat()
        XCTAssertEqual(stat(history, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)

        // A link planted at the history path is refused: the file it points to is untouched.
        try FileManager.default.removeItem(atPath: history)
        let target = state + "-victim"
        try "precious\n".write(toFile: target, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: target) }
        XCTAssertEqual(symlink(target, history), 0)
        let linked = try shell()
        at = linked.prompt()
        XCTAssertTrue(linked.output.contains("is a symbolic link"), linked.output)
        linked.send("echo second\r")
        at = linked.expect("second\r\n", after: at)
        _ = linked.prompt(after: at)
        linked.send("\u{04}")
        XCTAssertEqual(linked.waitForExit(), 0)
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "precious\n")
    }
}

/// `keydrill run --step` asks before each step on a terminal, with Ansible's answers: y run,
/// n skip, c run the rest without asking, q quit (and --resume then goes on from there).
final class StepModeTests: BinaryTestCase {
    func testStepModeRunsSkipsContinuesAndQuitsResumably() throws {
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let path = state + "/steps.md"
        var text = "# Steps\n"
        for (i, name) in ["One", "Two", "Three", "Four", "Five"].enumerated() {
            text += "\n## \(name)\n\n```keydrill\necho ran-\(i + 1)\n```\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm"
        env["NO_COLOR"] = "1"
        let sh = try PTYChild(
            arguments: [Binary.url.path, "run", "--step", path, "--state", state + "/st"], environment: env)
        var at = sh.expect("Step 1: One — run it? [Y/n/c/q] ")
        sh.send("n\n")
        at = sh.expect("[1] One ... skipped", after: at)
        at = sh.expect("Step 2: Two — run it? [Y/n/c/q] ", after: at)
        sh.send("\n")
        at = sh.expect("[2] Two ... passed", after: at)
        at = sh.expect("Step 3: Three", after: at)
        sh.send("q\n")
        XCTAssertEqual(sh.waitForExit(), 1, "not every step passed")
        XCTAssertFalse(sh.output.contains("ran-1"))
        XCTAssertFalse(sh.output.contains("ran-3"))

        let resumed = try PTYChild(
            arguments: [Binary.url.path, "run", "--step", "--resume", path, "--state", state + "/st"], environment: env)
        at = resumed.expect("Step 3: Three — run it? [Y/n/c/q] ")
        resumed.send("c\n")
        at = resumed.expect("[5] Five ... passed", after: at)
        XCTAssertEqual(resumed.waitForExit(), 0)
        XCTAssertFalse(resumed.output.contains("Step 4: Four — run it?"), "c runs the rest without asking")
    }
}
