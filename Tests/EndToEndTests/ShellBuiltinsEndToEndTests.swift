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

    /// `status` answers "what is down and why" at a glance: every consumer kind, each key in use
    /// with its state and who uses it, geo-DR pairings, and what the clock will do next (a grant
    /// still propagating included).
    func testStatusShowsKeysTheirConsumersAndWhatIsPending() throws {
        let r = try kd(
            "clock set 2030-01-01T00:00:00Z", "az group create -n rg -l eastus -o none",
            "az keyvault create -g rg -n kv-st -l eastus --enable-purge-protection true "
                + "--enable-rbac-authorization false -o none",
            "az keyvault key create --vault-name kv-st -n k -o none",
            "P=$(az identity create -g rg -n pg-id --query principalId -o tsv)",
            "az keyvault set-policy -n kv-st --object-id $P --key-permissions get list wrapKey unwrapKey -o none",
            "az postgres flexible-server create -g rg -n pgfs-st --key https://kv-st.vault.azure.net/keys/k "
                + "--identity pg-id --public-access None -o none",
            "az keyvault key set-attributes --vault-name kv-st -n k --enabled false -o none",
            "az role assignment create --assignee admin@contoso.com --role Reader --scope "
                + "$(az group show -n rg --query id -o tsv) -o none",
            "status")
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        // `clock set` printed the time first.
        let doc = try JSON.parse(String(r.stdout[try XCTUnwrap(r.stdout.range(of: "{\n")).lowerBound...]))
        XCTAssertEqual(
            try JMESPathExpression("[flexibleServers[0].name, flexibleServers[0].state, keys[0].state, keys[0].usedBy]")
                .search(doc),
            try JSON.parse(#"["pgfs-st", "Ready", "Disabled", ["pgfs-st"]]"#))
        XCTAssertEqual(
            try JMESPathExpression("pending").search(doc),
            try JSON.parse(
                #"["2030-01-01T00:10:00Z role 'Reader' for admin@contoso.com at rg takes effect", "#
                    + #""2030-01-01T01:00:00Z PostgreSQL flexible server pgfs-st revalidates its keys"]"#))
    }

    /// A line written as bash gets the bash form that does what it meant, not az's "unrecognized
    /// arguments"; a comment may say anything.
    func testABashLineSaysHowToRunItInBash() throws {
        let r = try kd("az group list | jq .")
        XCTAssertEqual(r.exitCode, 2)
        XCTAssertTrue(
            r.stderr.hasPrefix(
                "ERROR: keydrill's lines are not bash: '|' is bash's syntax. Run it in bash with keydrill as its az: "
                    + "keydrill -c 'az group list' | jq .\n"), r.stderr)
        XCTAssertTrue(try kd("az group list -o none && echo done").stderr.contains("'&&' is bash's syntax"))
        XCTAssertTrue(
            try kd("az group list > groups.json").stderr.contains("keydrill -c 'az group list' > groups.json"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "groups.json"))
        XCTAssertEqual(try kd("az group list -o none # a list | a count; a note").exitCode, 0)
        XCTAssertEqual(try kd("echo 'a | b'").stdout, "a | b\n")
    }

    func testCheckpointSaysWhatItSavedRewindListsThemQuitLeaves() throws {
        XCTAssertEqual(try kd("rewind").stderr, "no checkpoints saved yet: 'checkpoint NAME' saves one\n")
        let saved = try kd("clock set 2030-01-01T00:00:00Z", "X=1", "checkpoint before", "checkpoint after")
        XCTAssertTrue(
            saved.stderr.contains(
                "checkpoint 'before' saved: the world at 2030-01-01T00:00:00Z (virtual time) and 1 variable; "
                    + "'rewind before' goes back to it"), saved.stderr)
        XCTAssertEqual(try kd("rewind").stdout, "after\nbefore\n")
        for way in ["quit", "\\q"] {
            let r = try Binary.run(["--state", state], stdin: "clock now\n\(way)\nclock advance 1d\n")
            XCTAssertEqual(r.exitCode, 0, way)
            XCTAssertEqual(r.stdout.split(separator: "\n").count, 1, "\(way) left before the next line")
        }
    }

    func testHelpCoversKeydrillsOwnGroupsWithoutPointingAtAz() throws {
        for group in ["audit", "activity", "portal", "workload"] {
            let r = try kd("help \(group)")
            XCTAssertEqual(r.exitCode, 0, "\(group): \(r.stderr)")
            XCTAssertTrue(r.stdout.contains(group), r.stdout)
            XCTAssertFalse(r.stdout.contains("az find"), "\(group) is keydrill's, not az's")
        }
    }

    func testClockAdvanceVerboseListsAGrantTakingEffect() throws {
        let r = try kd(
            "clock set 2030-01-01T00:00:00Z", "az group create -n rg -l eastus -o none",
            "az role assignment create --assignee admin@contoso.com --role Reader --scope "
                + "$(az group show -n rg --query id -o tsv) -o none",
            "clock advance -v 15m")
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertTrue(
            r.stderr.contains(
                "  2030-01-01T00:10:00Z  role 'Reader' for admin@contoso.com at rg takes effect\n"
                    + "  1 event ran\n"), r.stderr)
    }

    func testClockAdvanceVerboseListsTheEventsThatRan() throws {
        let r = try kd(
            "az group create -n rg -l westus -o none", "az group delete -n rg --yes --no-wait", "clock advance -v 2m")
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertTrue(
            r.stderr.contains("resource group rg finishes deleting") && r.stderr.contains("1 event ran"), r.stderr)
    }

    /// A month of unchanged key checks is one step and one audit record per operation; the key
    /// disabled afterwards is seen by the next check, a new outcome of its own.
    func testUnchangedKeyChecksAreOneRunInTheClockAndTheAudit() throws {
        let setup = try kd(
            "az group create -n rg -l westus -o none",
            "az keyvault create -g rg -n kvrun --enable-purge-protection true --enable-rbac-authorization false "
                + "-o none",
            "KID=$(az keyvault key create --vault-name kvrun -n k --query key.kid -o tsv)",
            "P=$(az postgres server create -g rg -n pgrun -u cloudsa -p Passw0rd!x --assign-identity "
                + "--query identity.principalId -o tsv --only-show-errors)",
            "az keyvault set-policy -n kvrun --key-permissions get wrapKey unwrapKey --object-id $P -o none",
            "az postgres server key create -g rg --name pgrun --kid $KID -o none --only-show-errors")
        XCTAssertEqual(setup.exitCode, 0, setup.stderr)
        let month = try kd("clock advance -v 30d")
        XCTAssertTrue(
            month.stderr.contains("PostgreSQL server pgrun checks its key (and 4319 more times until"), month.stderr)
        XCTAssertTrue(month.stderr.contains("4320 events ran"), month.stderr)
        let unwraps = "audit --query \"[?caller=='pgrun (PostgreSQL server)' && operation=='KeyUnwrap']"
        XCTAssertEqual(try kd(unwraps + ".[count, result]\" -o tsv").stdout, "4321\tSuccess\n")
        _ = try kd(
            "az keyvault key set-attributes --vault-name kvrun -n k --enabled false -o none", "clock advance 10m")
        XCTAssertEqual(
            try kd("az postgres server show -g rg -n pgrun --query userVisibleState -o tsv --only-show-errors").stdout,
            "Inaccessible\n")
        XCTAssertEqual(
            try kd("audit --query \"[?caller=='pgrun (PostgreSQL server)'].[operation, result, count]\" -o tsv").stdout,
            "KeyGet\tSuccess\t4322\nKeyWrap\tSuccess\t4321\nKeyUnwrap\tSuccess\t4321\nKeyWrap\tKeyDisabled\t1\n")
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
