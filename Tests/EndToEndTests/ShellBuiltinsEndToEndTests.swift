import Foundation
import XCTest
import JMESPath

/// Builtins a drill lead meets in the first hour: checkpoints that outlive the process, `status`,
/// `clock advance -v`, `keydrill reset`, and the completion scripts `make install` puts in place.
final class ShellBuiltinsEndToEndTests: BinaryTestCase {
    func testCheckpointsAreKeptInTheStateDirectory() throws {
        XCTAssertEqual(
            try kd("clock set 2030-01-01T00:00:00Z", "X=kept", "checkpoint before-loss", "clock advance 3d").exitCode, 0
        )
        let r = try kd("rewind before-loss", "clock now", "echo $X")
        XCTAssertEqual(r.stdout, "2030-01-01T00:00:00Z\nkept\n", r.stderr)
        var st = stat()
        XCTAssertEqual(stat(state + "/checkpoints/before-loss.json", &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
        XCTAssertEqual(try kd("checkpoint ../escape").exitCode, 2, "a name is a file name, never a path")
        XCTAssertTrue(try kd("rewind nope").stderr.contains("saved: before-loss"))
    }

    func testStatusSummarisesTheWorld() throws {
        let r = try kd(
            "az group create -n rg -l westus -o none",
            "az keyvault create --enable-rbac-authorization false -n kv-status -g rg -o none",
            "az postgres server create -g rg -n pg-status --sku-name GP_Gen5_2 -u pgadmin -p 'Passw0rd!123' -o none "
                + "--only-show-errors",
            "status")
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let doc = try JSON.parse(r.stdout)
        let expr = try JMESPathExpression(
            "[vaults[0].name, vaults[0].authorization, postgresServers[0].state, postgresServers[0].key, signedIn]")
        XCTAssertEqual(
            try expr.search(doc),
            try JSON.parse(#"["kv-status", "access policies", "Ready", "service-managed", "admin@contoso.com"]"#))
    }

    func testClockAdvanceVerboseListsTheEventsThatRan() throws {
        let r = try kd(
            "az group create -n rg -l westus -o none", "az group delete -n rg --yes --no-wait", "clock advance -v 2m")
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertTrue(
            r.stderr.contains("resource group rg finishes deleting") && r.stderr.contains("1 event ran"), r.stderr)
    }

    func testResetEmptiesTheStateDirectoryOnlyWhenConfirmed() throws {
        XCTAssertEqual(try kd("az group create -n rg -l westus -o none", "checkpoint c").exitCode, 0)
        var r = try Binary.run(["reset"], state: state)
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(r.stderr.contains("give --yes"), r.stderr)
        XCTAssertEqual(try kd("az group list --query [].name -o tsv").stdout, "rg\n")
        r = try Binary.run(["reset", "--yes"], state: state)
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: state), ["lock"])
        XCTAssertEqual(try kd("az group list -o tsv").stdout, "")
    }

    func testCompletionScriptsForKeydrillsOwnFlags() throws {
        for shell in ["bash", "zsh", "fish"] {
            let r = try Binary.run(["--generate-completion-script", shell])
            XCTAssertEqual(r.exitCode, 0, shell)
            XCTAssertTrue(r.stdout.contains("keydrill") && r.stdout.contains("state"), shell)
        }
    }
}
