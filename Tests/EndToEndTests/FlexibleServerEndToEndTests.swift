import Foundation
import JMESPath
import XCTest

/// PostgreSQL Flexible Server with customer-managed keys through the binary: az 2.91's own checks
/// (messages and exit codes as flexible-server-cmk-probes.json records them), the output shapes,
/// and the key lifecycle on the clock.
final class FlexibleServerEndToEndTests: BinaryTestCase {
    let probes: [String: Any] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../../shared/reference/az-cli/flexible-server-cmk-probes.json")
        let data = (try? Data(contentsOf: url)) ?? Data("{}".utf8)
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }()

    func setUpKeyAndIdentity() throws -> String {
        XCTAssertEqual(
            try kd(
                "az group create -n rg -l eastus -o none",
                "az keyvault create -g rg -n kv1 -l eastus --enable-purge-protection true"
                    + " --enable-rbac-authorization false -o none",
                "az keyvault key create --vault-name kv1 -n k1 -o none",
                "az identity create -g rg -n uai1 -o none",
                "az identity create -g rg -n spare -o none"
            ).exitCode, 0)
        let pid = try kd("az identity show -g rg -n uai1 --query principalId -o tsv").stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        XCTAssertEqual(
            try kd(
                "az keyvault set-policy -n kv1 --object-id \(pid) --key-permissions get list wrapKey unwrapKey -o none"
            )
            .exitCode, 0)
        return try kd("az keyvault key show --vault-name kv1 -n k1 --query key.kid -o tsv").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Azure's message does not say whether the key is missing or the identity lacks access;
    /// the refused key operation in the audit does.
    func testAKeyTheIdentityCannotReadFailsInAzuresWordsAndTheAuditSaysWhy() throws {
        let kid = try setUpKeyAndIdentity()
        let r = try kd(
            "az postgres flexible-server create -g rg -n pgfs1 --public-access None --key \(kid) --identity spare")
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(
            r.stderr.contains(
                "ERROR: (AzureKeyVaultKeyNameNotFound) The operation could not be completed because the Azure Key "
                    + "Vault Key name '\(kid)' does not exist or User Assigned Identity does not have Get access to "
                    + "the Key.\n"), r.stderr)
        XCTAssertEqual(
            try kd("audit --query \"[?contains(caller, 'spare')].[operation, result]\" -o tsv").stdout,
            "KeyGet\tAccessDenied\n")
    }

    func testAzsOwnChecksComeFirstWithItsMessagesAndExitCodes() throws {
        let kid = try setUpKeyAndIdentity()
        let base = "az postgres flexible-server create -g rg -n pgfs1 --public-access None"
        let pair = try kd("\(base) --key \(kid)")
        XCTAssertEqual(pair.exitCode, 1)
        XCTAssertEqual(
            pair.stderr.components(separatedBy: "\n").last { $0.hasPrefix("ERROR") },
            "ERROR: A user-assigned identity and Key Vault key must be provided together. Provide --identity and "
                + "--key together.")
        let geo = try kd("\(base) --key \(kid) --identity uai1 --backup-key \(kid) --backup-identity spare")
        XCTAssertTrue(
            geo.stderr.contains(
                "ERROR: Geo-redundant backup is not enabled. Do not provide --backup-identity or "
                    + "--backup-key."), geo.stderr)
        let bad = try kd("\(base) --geo-redundant-backup yes")
        XCTAssertEqual(bad.exitCode, 2)
        XCTAssertTrue(
            bad.stderr.hasPrefix(
                "ERROR: az postgres flexible-server create: 'yes' is not a valid value for '--geo-redundant-backup'. "
                    + "Allowed values: Enabled, Disabled."), bad.stderr)
        let noIP = try kd("az postgres flexible-server create -g rg -n pgfs1")
        XCTAssertEqual(noIP.exitCode, 1, "az asks about the client's address, and there is no terminal")
        XCTAssertTrue(noIP.stderr.contains("ERROR: Unable to prompt for confirmation as no tty available. Use --yes."))
        XCTAssertEqual(try kd("az postgres flexible-server show -g rg -n pgfs1").exitCode, 3, "nothing was created")
        let replica = try kd(
            "az postgres flexible-server replica create -g rg -n r1 --source-server pgfs1 --backup-key x")
        XCTAssertEqual(replica.exitCode, 2)
        XCTAssertTrue(replica.stderr.hasPrefix("ERROR: unrecognized arguments: --backup-key x"), replica.stderr)
        let geoRestore = try kd("az postgres flexible-server geo-restore -g rg -n pg2 --source-server pgfs1")
        XCTAssertEqual(geoRestore.exitCode, 2)
        XCTAssertTrue(geoRestore.stderr.hasPrefix("ERROR: the following arguments are required: --location/-l"))
        XCTAssertEqual(
            try kd("az postgres flexible-server identity assign -g rg -s pgfs1 -n bad/name/x").stderr,
            "ERROR: Invalid identity name or identifier.\n")
    }

    func testCreatePrintsAzsSummaryAndShowHasAzsShapeWithTheKey() throws {
        let kid = try setUpKeyAndIdentity()
        let create = try kd(
            "az postgres flexible-server create -g rg -n PGFS1 --key \(kid) --identity uai1 --public-access All"
                + " --admin-user pgadmin --admin-password Rehearse-2026!")
        XCTAssertEqual(create.exitCode, 0, create.stderr)
        let summary = try JSON.parse(create.stdout)
        XCTAssertEqual(
            summary.objectValue?.map(\.key).sorted(),
            [
                "connectionString", "databaseName", "firewallName", "host", "id", "location", "password", "skuname",
                "username", "version",
            ])
        XCTAssertEqual(summary["host"], "pgfs1.postgres.database.azure.com", "az lowercases the name")
        XCTAssertTrue(create.stderr.contains("WARNING: Creating PostgreSQL Server 'pgfs1' in group 'rg'..."))
        let show = try JSON.parse(try kd("az postgres flexible-server show -g rg -n pgfs1").stdout)
        guard let recorded = probes["show_output_shape_from_rest_body"] as? [String: Any] else {
            throw XCTSkip(
                "../shared/reference/az-cli/flexible-server-cmk-probes.json is absent: it holds az's recording")
        }
        XCTAssertEqual(
            show.objectValue?.map(\.key).sorted(), (recorded.keys + ["resourceGroup"]).sorted(),
            "az's attributes (and the resourceGroup az adds), no more")
        XCTAssertEqual(
            show["dataEncryption"].objectValue?.map(\.key).sorted(),
            (recorded["dataEncryption"] as? [String: Any])?.keys.sorted())
        XCTAssertEqual(show["dataEncryption"]["primaryKeyUri"], .string(kid))
        XCTAssertEqual(show["dataEncryption"]["geoBackupKeyUri"], "")
        XCTAssertEqual(show["identity"]["type"], "UserAssigned")
        let smk = try kd(
            "az postgres flexible-server create -g rg -n pgsmk --public-access None -o none",
            "az postgres flexible-server show -g rg -n pgsmk --query \"[dataEncryption.type, identity]\" -o json")
        XCTAssertEqual(try JSON.parse(smk.stdout), ["SystemManaged", nil])
        let enable = try kd("az postgres flexible-server update -g rg -n pgsmk --key \(kid) --identity uai1")
        XCTAssertEqual(
            enable.stderr,
            "ERROR: You cannot enable data encryption on a server that was not created with data "
                + "encryption.\n")
    }

    func testIdentitiesInUseStayAndTheOthersGo() throws {
        let kid = try setUpKeyAndIdentity()
        XCTAssertEqual(
            try kd(
                "az postgres flexible-server create -g rg -n pgfs1 --key \(kid) --identity uai1 --public-access None"
                    + " -o none"
            ).exitCode, 0)
        let noYes = try kd("az postgres flexible-server identity remove -g rg -s pgfs1 --identity uai1")
        XCTAssertEqual(noYes.exitCode, 1)
        XCTAssertEqual(
            noYes.stderr,
            "WARNING: Unable to prompt for confirmation as no tty available. Use --yes.\nERROR: Operation cancelled.\n")
        let inUse = try kd("az postgres flexible-server identity remove -g rg -s pgfs1 --identity UAI1 --yes")
        XCTAssertEqual(inUse.exitCode, 1)
        XCTAssertTrue(inUse.stderr.hasSuffix("/userAssignedIdentities/UAI1 because it's used for data encryption.\n"))
        let added = try kd(
            "az postgres flexible-server identity assign -g rg -s pgfs1 --identity spare --query "
                + "\"length(keys(userAssignedIdentities))\"")
        XCTAssertEqual(added.stdout, "2\n")
        let removed = try kd(
            "az postgres flexible-server identity remove -g rg -s pgfs1 --identity spare --yes --query "
                + "\"length(keys(userAssignedIdentities))\"")
        XCTAssertEqual(removed.stdout, "1\n")
        XCTAssertEqual(
            try kd("az postgres flexible-server identity update -g rg -s pgfs1 --system-assigned Disabled").stderr,
            "ERROR: On servers for which data encryption is based on customer managed key, system assigned managed "
                + "identity cannot be disabled.\n")
        XCTAssertEqual(
            try kd("az postgres flexible-server identity update -g rg -s pgfs1 --system-assigned true")
                .exitCode, 2)
        XCTAssertEqual(
            try kd("az postgres flexible-server replica promote -g rg -n pgfs1 --yes").stderr,
            "ERROR: Server pgfs1 is not a replica server.\n")
        let shown = try kd("az postgres flexible-server identity show -g rg -s pgfs1 --identity uai1")
        XCTAssertEqual(try JSON.parse(shown.stdout).objectValue?.map(\.key).sorted(), ["clientId", "principalId"])
        XCTAssertTrue(
            try kd("az postgres flexible-server identity show -g rg -s pgfs1 --identity spare").stderr.hasSuffix(
                "/userAssignedIdentities/spare' does not exist in server pgfs1.\n"))
    }

    func testAKeyLostAtNightIsDetectedWithinAnHourAndRecoversByItself() throws {
        let kid = try setUpKeyAndIdentity()
        let r = try kd(
            "az postgres flexible-server create -g rg -n pgfs1 --key \(kid) --identity uai1 --public-access None"
                + " -o none",
            "workload postgres write -g rg -s pgfs1 --rows 25 -o none",
            "az keyvault key set-attributes --vault-name kv1 -n k1 --enabled false -o none",
            "clock advance 1h",
            "az postgres flexible-server show -g rg -n pgfs1 --query "
                + "\"{s: state, k: dataEncryption.primaryEncryptionKeyStatus}\" -o tsv")
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasSuffix("Inaccessible\tInvalid\n"), r.stdout)
        let denied = try kd("workload postgres read -g rg -s pgfs1")
        XCTAssertEqual(denied.exitCode, 1)
        XCTAssertTrue(denied.stderr.contains("(ServerInaccessible)"))
        let back = try kd(
            "az keyvault key set-attributes --vault-name kv1 -n k1 --enabled true -o none",
            "az postgres flexible-server wait -g rg -n pgfs1 --custom \"state=='Ready'\" --interval 300 --timeout 4000",
            "workload postgres read -g rg -s pgfs1 --query \"{r: rows, v: to_string(verified)}\" -o tsv")
        XCTAssertEqual(back.stdout, "25\ttrue\n", "the waiter moved the clock to the revalidation")
    }
}
