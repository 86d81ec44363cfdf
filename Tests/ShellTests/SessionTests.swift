import XCTest
@testable import Shell
import Cloud

final class SessionTests: XCTestCase {
    func session() throws -> Session { try Session(store: nil, environment: [:]) }

    func testVariablesSubstitutionAndExitCodes() throws {
        let s = try session()
        XCTAssertEqual(s.execute("az group create -n rg -l westus -o none").exitCode, 0)
        XCTAssertEqual(s.execute("LOC=$(az group show -n rg --query location -o tsv)").exitCode, 0)
        XCTAssertEqual(s.variables["LOC"], "westus")
        XCTAssertEqual(s.execute("az group show -n nope").exitCode, 3)
        XCTAssertEqual(s.execute("echo $?").stdout, "3\n")
        let failed = s.execute("X=$(az group show -n nope)")
        XCTAssertEqual(failed.exitCode, 3)
        XCTAssertTrue(failed.stderr.contains("ResourceGroupNotFound"))
        XCTAssertNil(s.variables["X"])
    }

    func testAssertReportsExpressionValueAndWhatItRead() throws {
        let s = try session()
        _ = s.execute("az group create -n rg -l westus -o none")
        XCTAssertEqual(s.execute("assert name == 'rg'").exitCode, 0)
        let f = s.execute("assert location == 'eastus'")
        XCTAssertEqual(f.exitCode, 1)
        XCTAssertTrue(f.stderr.contains("ASSERTION FAILED: location == 'eastus'"))
        XCTAssertTrue(f.stderr.contains("evaluated to: false"))
        // The value of each path it read, not the whole document on one line.
        XCTAssertTrue(f.stderr.contains("\n  where location = \"westus\""), f.stderr)
        XCTAssertFalse(f.stderr.contains("\"provisioningState\""), f.stderr)
        let none = s.execute("assert `false`")
        XCTAssertTrue(none.stderr.contains("\n  on: {"), "with no path to show, the document, cut short")
    }

    func testExpectFail() throws {
        let s = try session()
        XCTAssertEqual(s.execute("expect-fail --code ResourceGroupNotFound az group show -n x").exitCode, 0)
        XCTAssertEqual(s.execute("expect-fail --code 3 az group show -n x").exitCode, 0)
        XCTAssertEqual(s.execute("expect-fail --code Conflict az group show -n x").exitCode, 1)
        XCTAssertEqual(s.execute("expect-fail az group list").exitCode, 1)
    }

    func testClockMovesForwardOnlyAndRunsDueEvents() throws {
        let s = try session()
        let start = s.world.now
        XCTAssertEqual(s.execute("clock advance 1h30m").exitCode, 0)
        XCTAssertEqual(s.world.now.timeIntervalSince(start), 5400)
        XCTAssertEqual(s.execute("clock set 2000-01-01").exitCode, 1)
        XCTAssertEqual(s.execute("clock advance soon").exitCode, 2)
        _ = s.execute("az group create -n rg -l westus -o none")
        _ = s.execute("az group delete -n rg --yes --no-wait")
        XCTAssertEqual(s.execute("az group exists -n rg").stdout, "true\n")
        _ = s.execute("clock advance 59s")
        XCTAssertEqual(s.execute("az group exists -n rg").stdout, "true\n")
        _ = s.execute("clock advance 1s")
        XCTAssertEqual(s.execute("az group exists -n rg").stdout, "false\n")
    }

    func testCheckpointAndRewindRestoreWorldAndVariables() throws {
        let s = try session()
        _ = s.execute("A=1")
        _ = s.execute("checkpoint c1")
        _ = s.execute("az group create -n rg -l westus -o none")
        _ = s.execute("A=2")
        XCTAssertEqual(s.execute("rewind c1").exitCode, 0)
        XCTAssertEqual(s.variables["A"], "1")
        XCTAssertEqual(s.execute("az group exists -n rg").stdout, "false\n")
        XCTAssertEqual(s.execute("rewind nope").exitCode, 1)
    }

    func testUnknownCommandIsAUsageErrorWithSuggestion() throws {
        let o = try session().execute("clok now")
        XCTAssertEqual(o.exitCode, 2)
        XCTAssertTrue(o.stderr.contains("Did you mean 'clock' ?"))
    }

    func testFailedCommandLeavesTheWorldUnchanged() throws {
        let s = try session()
        _ = s.execute("az group create -n rg -l westus -o none")
        let before = s.world
        XCTAssertEqual(s.execute("az group create -n rg -l eastus").exitCode, 1)
        XCTAssertEqual(s.world, before)
    }

    func testScriptRunnerStopsAtFirstFailureUnlessKeepGoing() throws {
        var out = ""
        let sink = OutputSink(stdout: { out += $0 }, stderr: { _ in })
        let lines = ["echo one", "az group show -n missing", "echo two"]
        XCTAssertEqual(ScriptRunner(session: try session(), keepGoing: false, output: sink).run(lines: lines), 3)
        XCTAssertEqual(out, "one\n")
        out = ""
        XCTAssertEqual(ScriptRunner(session: try session(), keepGoing: true, output: sink).run(lines: lines), 3)
        XCTAssertEqual(out, "one\ntwo\n")
        out = ""
        XCTAssertEqual(
            ScriptRunner(session: try session(), keepGoing: false, output: sink).run(lines: [
                "echo a \\", "  b 'c", "d'",
            ]), 0)
        XCTAssertEqual(out, "a b c\nd\n")
    }
}
