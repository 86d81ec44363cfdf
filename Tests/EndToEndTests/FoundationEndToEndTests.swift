import Foundation
import XCTest
import JMESPath

/// The foundation's promises, through the binary: one-shot -c, a script on stdin, the state
/// directory across processes, exit codes.
final class FoundationEndToEndTests: BinaryTestCase {
    func testGroupCreatePrintsAzJSONAndPersistsAcrossProcesses() throws {
        let r = try Binary.run(["-c", "az group create -n rg -l westus"], state: state)
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let doc = try JSON.parse(r.stdout)
        XCTAssertEqual(doc["name"], "rg")
        XCTAssertEqual(doc["location"], "westus")
        XCTAssertEqual(doc["properties"], ["provisioningState": "Succeeded"])
        XCTAssertEqual(doc["managedBy"], .null)
        XCTAssertEqual(doc["tags"], .null)
        XCTAssertEqual(doc["type"], "Microsoft.Resources/resourceGroups")
        XCTAssertNotNil(doc["id"].stringValue?.wholeMatch(of: /\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/rg/))
        XCTAssertTrue(r.stdout.hasPrefix("{\n  \"id\": "), "two-space indent, sorted keys")

        let list = try Binary.run(["-c", "az group list --query \"[].name\" -o tsv"], state: state)
        XCTAssertEqual(list.stdout, "rg\n")
        XCTAssertEqual(list.exitCode, 0)
    }

    func testExitCodesFollowAz() throws {
        let missing = try Binary.run(["-c", "az group show -n nope"], state: state)
        XCTAssertEqual(missing.exitCode, 3)
        XCTAssertEqual(missing.stdout, "")
        XCTAssertTrue(
            missing.stderr.hasPrefix(
                "ERROR: (ResourceGroupNotFound) Resource group 'nope' could not be found.\nCode: "
                    + "ResourceGroupNotFound\nMessage: "
            ))

        let typo = try Binary.run(["-c", "az grop list"], state: state)
        XCTAssertEqual(typo.exitCode, 2)
        XCTAssertTrue(typo.stderr.contains("'grop' is misspelled or not recognized by the system."))
        XCTAssertTrue(typo.stderr.contains("Did you mean 'az group list' ?"))

        let notEmulated = try Binary.run(["-c", "az group export -n rg"], state: state)
        XCTAssertEqual(notEmulated.exitCode, 1)
        XCTAssertTrue(notEmulated.stderr.contains("keydrill does not emulate 'az group export'"))

        let policy = try Binary.run(["-c", "az group create -n rg -l westus --change-reference x"], state: state)
        XCTAssertEqual(policy.exitCode, 1)
        XCTAssertTrue(policy.stderr.contains("does not emulate '--change-reference'"))
        XCTAssertEqual(
            try Binary.run(["-c", "az group exists -n rg"], state: state).stdout, "false\n",
            "a refused command changes nothing")

        let badQuery = try Binary.run(["-c", "az group list --query \"[[\""], state: state)
        XCTAssertEqual(badQuery.exitCode, 2)

        let quote = try Binary.run(["-c", "echo \"abc"], state: state)
        XCTAssertEqual(quote.exitCode, 2)
        XCTAssertTrue(quote.stderr.contains("column 6"))

        let help = try Binary.run(["-c", "az group create -h"], state: state)
        XCTAssertEqual(help.exitCode, 0)
        XCTAssertTrue(help.stdout.contains("az group create : Create a new resource group."))
    }

    func testScriptOnStdinStopsAtFirstFailureWithItsExitCode() throws {
        let script = "az group create -n rg -l westus -o none\necho before\naz group show -n missing\necho after\n"
        let r = try Binary.run([], stdin: script, state: state)
        XCTAssertEqual(r.exitCode, 3)
        XCTAssertEqual(r.stdout, "before\n")
        let kept = try Binary.run(["--keep-going"], stdin: script, state: state)
        XCTAssertEqual(kept.exitCode, 3)
        XCTAssertEqual(kept.stdout, "before\nafter\n")
    }

    func testEphemeralWritesNothing() throws {
        let r = try Binary.run(["--ephemeral", "-c", "az group create -n rg -l westus -o none"], state: state)
        XCTAssertEqual(r.exitCode, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: state))
        // The one-command form too: it once ignored --ephemeral and changed the world on disk.
        for args in [
            ["--ephemeral", "az", "group", "create", "-n", "rg", "-l", "westus"], ["--ephemeral", "az", "logout"],
        ] {
            XCTAssertEqual(try Binary.run(args, state: state).exitCode, 0, "\(args)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: state), "\(args)")
        }
    }

    func testConfirmationNeedsYesWithoutATerminal() throws {
        _ = try Binary.run(["-c", "az group create -n rg -l westus -o none"], state: state)
        let r = try Binary.run(["-c", "az group delete -n rg"], state: state)
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertEqual(
            r.stderr,
            "WARNING: Unable to prompt for confirmation as no tty available. Use --yes.\nERROR: Operation cancelled.\n")
        XCTAssertEqual(try Binary.run(["-c", "az group delete -n rg --yes"], state: state).exitCode, 0)
    }

    func testCorruptStateIsRefusedAndKept() throws {
        _ = try Binary.run(["-c", "az group create -n rg -l westus -o none"], state: state)
        let path = state + "/world.json"
        try Data("{\"format\":\"keydrill-world\",\"vers".utf8).write(to: URL(fileURLWithPath: path))
        let r = try Binary.run(["-c", "az group list"], state: state)
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(r.stderr.contains("corrupt or truncated"))
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "{\"format\":\"keydrill-world\",\"vers")
    }

    func testEnvironmentDefaultsAndVersion() throws {
        _ = try Binary.run(["-c", "az group create -n rg -l westus -o none"], state: state)
        let r = try Binary.run(
            ["-c", "az group show --query name -o tsv"], state: state, environment: ["AZURE_DEFAULTS_GROUP": "rg"])
        XCTAssertEqual(r.stdout, "rg\n")
        let v = try Binary.run(["--version"], state: state)
        XCTAssertEqual(v.exitCode, 0)
        XCTAssertNotNil(v.stdout.wholeMatch(of: /\d+\.\d+\.\d+\n/), v.stdout)
    }
}
