import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import JMESPath

/// `keydrill run` and `keydrill lint` through the binary: the bundled drills, resume, --from,
/// dry runs, await, assertion messages and every report.
final class RunbookEndToEndTests: BinaryTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized.path

    func write(_ name: String, _ text: String) throws -> String {
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let p = state + "/" + name
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    func run(_ args: [String]) throws -> Binary.Result {
        try Binary.run(["run"] + args + ["--state", state + "/st"])
    }

    static let clockDrill = """
        ---
        description: "Three steps on the virtual clock."
        variables:
          EXPECTED: "03"
        ---
        # Clock drill

        ## First hour

        ```keydrill
        clock advance 1h
        ```

        ## Second hour

        ```keydrill
        clock advance 1h
        ```

        ## Check the time

        ```keydrill
        clock now
        assert @ == '2026-01-01T$EXPECTED:00:00Z'
        ```
        """

    func testBundledDrillsPassAndTheJUnitReportParses() throws {
        let drills = try FileManager.default.contentsOfDirectory(atPath: Self.repo + "/runbooks").filter {
            $0.hasSuffix(".md")
        }.sorted()
        XCTAssertGreaterThanOrEqual(drills.count, 6)
        let junit = state + "/junit.xml", md = state + "/report.md", json = state + "/results.json"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let r = try run(
            drills.map { Self.repo + "/runbooks/" + $0 } + ["--junit", junit, "--report", md, "--json", json])
        XCTAssertEqual(r.exitCode, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("Runbook"), "a summary table")
        let doc = try XMLDocument(contentsOf: URL(fileURLWithPath: junit))
        let suites = try doc.nodes(forXPath: "/testsuites/testsuite")
        XCTAssertEqual(suites.count, drills.count)
        XCTAssertEqual(try doc.nodes(forXPath: "//failure").count, 0)
        XCTAssertGreaterThan(try doc.nodes(forXPath: "//testcase").count, drills.count * 4)
        let report = try String(contentsOfFile: md, encoding: .utf8)
        XCTAssertTrue(report.contains("### Audit trail of key operations"))
        XCTAssertTrue(report.contains("| KeyUnwrap |"))
        let results = try JSON.parse(try String(contentsOfFile: json, encoding: .utf8))
        XCTAssertEqual(results.arrayValue?.count, drills.count)
        // Evidence agrees with itself: every assertion of a passing step is recorded as it ran,
        // on its substituted words (`uri == '$KID'` with the key's id), and gave true.
        let verdicts = try JMESPathExpression("[].steps[].commands[].assertion.passed").search(results)
        XCTAssertGreaterThan(verdicts.arrayValue?.count ?? 0, 20)
        XCTAssertEqual(verdicts.arrayValue?.filter { $0 != .bool(true) }.count, 0)
        XCTAssertFalse(report.contains("gave `false`"), "a passing step's assertion reported false")
        XCTAssertTrue(report.contains("uri == 'https://"), "the assertion as it ran, variables substituted")
    }

    func testFailingAssertionThenResumeAtTheFailedStepThenFrom() throws {
        let path = try write("clock.md", Self.clockDrill)
        let junit = state + "/junit.xml"
        let failed = try run([path, "--junit", junit])
        XCTAssertEqual(failed.exitCode, 1)
        XCTAssertTrue(failed.stdout.contains("ASSERTION FAILED: @ == '2026-01-01T03:00:00Z'"), failed.stdout)
        XCTAssertTrue(failed.stdout.contains("evaluated to: false"), failed.stdout)
        XCTAssertTrue(failed.stdout.contains("on: \"2026-01-01T02:00:00Z\""), failed.stdout)
        let doc = try XMLDocument(contentsOf: URL(fileURLWithPath: junit))
        let failure = try doc.nodes(forXPath: "//testcase[failure]").first as? XMLElement
        XCTAssertEqual(failure?.attribute(forName: "name")?.stringValue, "3. Check the time")
        // Resume runs only the failed step, from the world as it began: two hours, not four.
        let resumed = try run([path, "--resume", "--var", "EXPECTED=02"])
        XCTAssertEqual(resumed.exitCode, 0, resumed.stdout)
        XCTAssertFalse(resumed.stdout.contains("[1] First hour"))
        XCTAssertTrue(resumed.stdout.contains("[3] Check the time ... passed"))
        XCTAssertNotEqual(try run([path, "--resume"]).exitCode, 0, "nothing failed to resume")
        let from = try run([path, "--from", "Second hour", "--var", "EXPECTED=02"])
        XCTAssertEqual(from.exitCode, 0, from.stdout)
        XCTAssertTrue(from.stdout.contains("[2] Second hour ... passed"))
        XCTAssertEqual(try run([path, "--from", "9"]).exitCode, 2)
    }

    func testDryRunMarksOneWayDoorsAndLintRefusesBadLines() throws {
        let path = try write(
            "doors.md",
            """
            # Doors

            ## Protect and purge

            ```azurecli
            az keyvault create --enable-rbac-authorization false -n kv1 -g rg --enable-purge-protection true
            az keyvault key purge --vault-name kv1 -n k1
            az servicebus georecovery-alias break-pair -g rg --namespace-name ns1 -a alias1
            ```
            """)
        let dry = try run([path, "--dry-run"])
        XCTAssertEqual(dry.exitCode, 0, dry.stdout)
        XCTAssertEqual(dry.stdout.components(separatedBy: "ONE-WAY DOOR").count - 1, 3, dry.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: state + "/st/runs"), "a dry run runs nothing")
        let bad = try write(
            "bad.md", "# Bad\n\n## Step\n\n```azurecli\naz keyvault create -n kv1 -g rg --nope\nfrobnicate now\n```\n")
        let lint = try Binary.run(["lint", bad])
        XCTAssertEqual(lint.exitCode, 2)
        XCTAssertTrue(lint.stdout.contains("line 6: unrecognized arguments: --nope"), lint.stdout)
        XCTAssertTrue(lint.stdout.contains("line 7: 'frobnicate' is not a keydrill command"), lint.stdout)
        // A line lint cannot pass does not refuse the runbook: the run rehearses every step before
        // it and fails there, with the reason.
        let ran = try run([bad])
        XCTAssertEqual(ran.exitCode, 1, ran.stdout)
        XCTAssertTrue(ran.stdout.contains("WARNING: \(bad): line 6: unrecognized arguments: --nope"), ran.stdout)
        XCTAssertTrue(ran.stdout.contains("line 6: `az keyvault create -n kv1 -g rg --nope` exited 2"), ran.stdout)
        XCTAssertEqual(try run([try write("empty.md", "no title\n")]).exitCode, 2)
        XCTAssertEqual(
            try run([try write("c.md", Self.clockDrill), "--var", "NOPE=1"]).exitCode, 2,
            "an undeclared --var is refused")
    }

    func testAwaitAdvancesTheVirtualClockUntilTrueOrTimesOut() throws {
        let path = try write(
            "await.md",
            """
            # Await

            ## Poll the clock

            ```keydrill
            await --until "@ == '2026-01-01T00:05:00Z'" --within 10m --every 1m clock now
            assert @ == '2026-01-01T00:05:00Z'
            ```

            ## Give up after the window

            ```keydrill
            expect-fail await --until "@ == 'never'" --within 3m clock now
            clock now
            assert @ == '2026-01-01T00:08:00Z'
            ```
            """)
        let r = try run([path])
        XCTAssertEqual(r.exitCode, 0, r.stdout)
        let timeout = try Binary.run(["--ephemeral", "-c", "await --until \"@ == 'never'\" --within 2m clock now"])
        XCTAssertEqual(timeout.exitCode, 1)
        XCTAssertTrue(timeout.stderr.contains("AWAIT TIMED OUT: @ == 'never' was not true within 2m"), timeout.stderr)
    }
}
