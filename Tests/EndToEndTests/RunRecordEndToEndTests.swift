import Foundation
import XCTest

/// Run records through the binary: a killed run resumes at the step in flight, an edited earlier
/// step refuses --resume, runbooks with similar names or in different folders keep their own
/// records, and a step's checkpoint costs the same however many steps came before it.
final class RunRecordEndToEndTests: BinaryTestCase {
    func write(_ name: String, _ text: String) throws -> String {
        let p = state + "/" + name
        try FileManager.default.createDirectory(
            atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    func run(_ args: [String]) throws -> Binary.Result {
        try Binary.run(["run"] + args + ["--state", state + "/st"])
    }

    static func drill(steps: Int) -> String {
        var s = "# Many steps\n"
        for i in 1...steps {
            s += "\n## Step \(i)\n\n```keydrill\n"
            // Each step grows the world, as a real drill's steps do.
            s += "clock advance 1m\naz group create -n g\(i) -l westus -o none\n"
            s += "```\n"
        }
        return s
    }

    func testAKilledRunResumesAtTheStepInFlight() throws {
        // Step 3 awaits a condition that never holds over a long virtual window: slow enough to
        // kill the run inside it.
        var text =
            "# Killed\n\n## One\n\n```keydrill\nclock advance 1h\n```\n\n## Two\n\n```keydrill\nclock advance 1h\n```\n"
        text += "\n## Three\n\n```keydrill\nawait --until \"@ == 'never'\" --within 69d --every 1m clock now\n```\n"
        let path = try write("killed.md", text)
        let p = Process()
        p.executableURL = Binary.url
        p.arguments = ["run", path, "--state", state + "/st"]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        // Wait until step two has passed (its checkpoint, the world before step three, is
        // written), then kill the run inside step three.
        let deadline = Date().addingTimeInterval(20)
        func checkpointThree() -> Bool {
            let runs = (try? FileManager.default.contentsOfDirectory(atPath: state + "/st/runs")) ?? []
            return runs.contains { run in
                let index =
                    (try? String(contentsOfFile: state + "/st/runs/\(run)/checkpoints.jsonl", encoding: .utf8)) ?? ""
                return index.contains("\"step\":3")
            }
        }
        while Date() < deadline, !checkpointThree() { usleep(10_000) }
        XCTAssertTrue(checkpointThree())
        usleep(100_000)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        // Step three, now fixed, runs from the checkpoint: the clock as step two left it.
        let fixed = text.replacingOccurrences(
            of: "await --until \"@ == 'never'\" --within 69d --every 1m clock now",
            with: "clock now\nassert @ == '2026-01-01T02:00:00Z'")
        try fixed.write(toFile: path, atomically: true, encoding: .utf8)
        let report = state + "/resumed.md"
        let r = try run([path, "--resume", "--report", report])
        XCTAssertEqual(r.exitCode, 0, r.stdout)
        XCTAssertTrue(r.stdout.contains("[3] Three ... passed"), r.stdout)
        XCTAssertTrue(
            try String(contentsOfFile: report, encoding: .utf8).contains(
                "- attempt 1 was interrupted (killed) at step 3"))
        XCTAssertFalse(r.stdout.contains("[1] One ... passed"), "steps one and two are not run again: \(r.stdout)")
    }

    func testResumeRefusesWhenAnEarlierStepWasEdited() throws {
        let text =
            "# Edited\n\n## One\n\n```keydrill\nclock advance 1h\n```\n\n## Two\n\n```keydrill\nassert `false`\n```\n"
        let path = try write("edited.md", text)
        XCTAssertEqual(try run([path]).exitCode, 1)
        let again = try run([path, "--resume"])
        XCTAssertTrue(
            again.stdout.contains("resumed; before: attempt 1 failed at step 2: line 12: `assert `false`` exited 1"),
            again.stdout)
        try text.replacingOccurrences(of: "clock advance 1h", with: "clock advance 2h").write(
            toFile: path, atomically: true, encoding: .utf8)
        let r = try run([path, "--resume"])
        XCTAssertEqual(r.exitCode, 2)
        XCTAssertTrue(r.stdout.contains("step 1 'One' changed since the run that failed"), r.stdout)
        // --from still starts where it is told.
        XCTAssertTrue(try run([path, "--from", "2"]).stdout.contains("[2] Two ... failed"))
    }

    func testRunbooksWithSimilarNamesOrInOtherFoldersKeepTheirOwnRecords() throws {
        let failing = "# A\n\n## One\n\n```keydrill\nassert `false`\n```\n"
        let passing = "# B\n\n## One\n\n```keydrill\nclock now\n```\n"
        let pairs = [("a.b.c.md", "a_b_c.md"), ("x/drill.md", "y/drill.md")]
        for (first, second) in pairs {
            let f = try write(first, failing), s = try write(second, passing)
            XCTAssertEqual(try run([f]).exitCode, 1)
            XCTAssertEqual(try run([s]).exitCode, 0)
            // The failed run of the first is still there to resume.
            let r = try run([f, "--resume"])
            XCTAssertTrue(r.stdout.contains("[1] One ... failed"), "\(first) vs \(second): \(r.stdout)")
        }
    }

    func testCRLFRunbooksAndBlocksHiddenInCommentsAreReadAsTheyRender() throws {
        let text =
            "# CRLF\r\n\r\n## One\r\n\r\n<!--\r\n```keydrill\r\nclock advance "
            + "1d\r\n```\r\n-->\r\n\r\n```keydrill\r\nclock now\r\nassert @ == '2026-01-01T00:00:00Z'\r\n```\r\n"
        let path = try write("crlf.md", text)
        let r = try run([path])
        XCTAssertEqual(r.exitCode, 0, r.stdout)
        XCTAssertTrue(r.stdout.contains("[1] One ... passed"), r.stdout)
        let dry = try Binary.run(["run", path, "--dry-run", "--state", state + "/st"])
        XCTAssertFalse(dry.stdout.contains("clock advance 1d"), "a commented-out block is documentation: \(dry.stdout)")
    }

    func testAStepsCheckpointCostsTheSameHoweverManyStepsCameBefore() throws {
        func seconds(_ steps: Int) throws -> Double {
            let path = try write("many-\(steps).md", Self.drill(steps: steps))
            let t = Date()
            XCTAssertEqual(try run([path]).exitCode, 0)
            return Date().timeIntervalSince(t) / Double(steps)
        }
        let small = try seconds(100), large = try seconds(800)
        // A checkpoint of the whole world made a step of the long run ~8x dearer; allow noise,
        // not growth.
        XCTAssertLessThan(large, small * 3, "per step: \(small) s at 100 steps, \(large) s at 800")
    }
}

/// How a drill lead names steps and picks runbooks: --from by number, title or unambiguous
/// prefix; --tags from the front matter; lint refuses a Markdown file that runs nothing.
final class RunbookSelectionTests: BinaryTestCase {
    func write(_ name: String, _ text: String) throws -> String {
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let p = state + "/" + name
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    func testFromTakesAPrefixAndSaysTheChoicesWhenItIsAmbiguous() throws {
        let path = try write(
            "from.md",
            "# F\n\n## Create the vault\n\n```keydrill\nclock advance 1h\n```\n\n## Check the "
                + "vault\n\n```keydrill\nclock now\n```\n\n## Check the key\n\n```keydrill\nclock now\n```\n"
        )
        XCTAssertEqual(try Binary.run(["run", path, "--state", state + "/st"]).exitCode, 0)
        var r = try Binary.run(["run", path, "--from", "check the v", "--state", state + "/st"])
        XCTAssertEqual(r.exitCode, 0, r.stdout)
        XCTAssertTrue(r.stdout.contains("[2] Check the vault ... passed"), r.stdout)
        r = try Binary.run(["run", path, "--from", "check", "--state", state + "/st"])
        XCTAssertEqual(r.exitCode, 2)
        XCTAssertTrue(
            r.stdout.contains("'check' begins several step titles: 2. Check the vault; 3. Check the key"), r.stdout)
    }

    func testTagsSelectRunbooks() throws {
        let a = try write(
            "a.md", "---\ntags: [postgres, nightly]\n---\n# A\n\n## One\n\n```keydrill\necho ran-a\n```\n")
        let b = try write("b.md", "---\ntags: [servicebus]\n---\n# B\n\n## One\n\n```keydrill\necho ran-b\n```\n")
        let r = try Binary.run(["run", a, b, "--tags", "nightly", "--state", state + "/st"])
        XCTAssertEqual(r.exitCode, 0, r.stdout)
        XCTAssertTrue(r.stdout.contains("[1] One ... passed") && r.stdout.contains("B (\(b)): skipped"), r.stdout)
    }

    func testLintRefusesAMarkdownFileThatRunsNothing() throws {
        let readme = try write("README.md", "# Project\n\n## Set-up\n\n```python\nprint(1)\n```\n")
        let r = try Binary.run(["lint", readme])
        XCTAssertEqual(r.exitCode, 2)
        XCTAssertTrue(r.stdout.contains("nothing would run"), r.stdout)
    }
}

/// A dry run marks one-way doors however az would read the line; lint takes `??` as it runs.
final class DryRunEndToEndTests: BinaryTestCase {
    func testOneWayDoorsAreReadOffTheParsedCommand() throws {
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let path = state + "/doors.md"
        let lines = [
            "az keyvault update -n kv --enable-purge-protection",
            "az keyvault update -n kv --enable-purge-protection=true",
            "az keyvault update -n kv --enable-purge-prot true",
            "az keyvault update -n kv --enable-purge-protection false",
            "?? name", "expect-fail --code 2 az grop list",
        ]
        try ("# Doors\n\n## One\n\n```azurecli\n" + lines.joined(separator: "\n") + "\n```\n").write(
            toFile: path, atomically: true, encoding: .utf8)
        let r = try Binary.run(["run", path, "--dry-run", "--state", state + "/st"])
        XCTAssertEqual(r.exitCode, 0, r.stdout)
        let marked = r.stdout.split(separator: "\n").filter { $0.contains("ONE-WAY DOOR") }
        XCTAssertEqual(marked.count, 3, r.stdout)
        XCTAssertFalse(marked.contains { $0.contains("false") }, r.stdout)
        XCTAssertEqual(try Binary.run(["lint", path]).exitCode, 0, "?? lints clean")
    }
}
