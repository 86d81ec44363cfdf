import XCTest

/// az's parse, query and output categories as a user meets them through the binary: each expected text is what az
/// 2.91 (and jmespath.py, the engine it embeds) answered for the same line.
final class AzFidelityEndToEndTests: BinaryTestCase {
    func az(_ args: String...) throws -> Binary.Result { try Binary.run(["az"] + args, state: state) }

    override func setUp() {
        super.setUp()
        for line in [
            ["group", "create", "-n", "alpha", "-l", "eastus"],
            ["group", "create", "-n", "zulu", "-l", "eastus", "--tags", "owner=ops"],
        ] {
            XCTAssertEqual(try Binary.run(["az"] + line + ["-o", "none"], state: state).exitCode, 0)
        }
    }

    func testQueryIsJmespathPy() throws {
        XCTAssertEqual(
            try az("group", "list", "--query", "[?name > 'm'].name", "-o", "tsv").stdout, "zulu\n",
            "strings order as Python orders them")
        XCTAssertEqual(
            try az("group", "list", "--query", "[?tags.owner == `ops`].name", "-o", "tsv").stdout, "zulu\n",
            "a backtick literal that is not JSON is a string")
        let bad = try az("group", "show", "-n", "zulu", "--query", "foo(@)")
        XCTAssertEqual(bad.exitCode, 1, "found when the expression runs, after the command")
        XCTAssertEqual(
            bad.stderr.split(separator: "\n").first,
            "ERROR: Invalid jmespath query supplied for `--query`: Unknown function: foo()")
    }

    func testYAMLEndsAScalarAndQuotesItsBooleans() throws {
        XCTAssertEqual(try az("group", "show", "-n", "zulu", "--query", "name", "-o", "yaml").stdout, "zulu\n...\n")
        XCTAssertEqual(try az("group", "show", "-n", "zulu", "--query", "'yes'", "-o", "yaml").stdout, "'yes'\n")
    }

    func testValidatorsSpeakAsAzDoes() throws {
        XCTAssertEqual(try az("keyvault", "create", "-n", "kv-e2e-1", "-g", "zulu", "-o", "none").exitCode, 0)
        let policy = try az(
            "keyvault", "set-policy", "-n", "kv-e2e-1", "--object-id", "00000000-0000-0000-0000-000000000001")
        XCTAssertEqual(policy.exitCode, 2, "a usage error")
        XCTAssertEqual(
            policy.stderr.split(separator: "\n").first,
            "ERROR: specify at least one: --key-permissions, --secret-permissions, --certificate-permissions "
                + "--storage-permissions")
        for refused in ["2030-01-01T00:00", "2030-01-01T00:00:00+02:00"] {
            let r = try az("keyvault", "key", "create", "--vault-name", "kv-e2e-1", "-n", "k", "--expires", refused)
            XCTAssertEqual(r.exitCode, 2, refused)
            XCTAssertEqual(
                r.stderr.split(separator: "\n").first,
                "ERROR: argument --expires: invalid datetime_type value: '\(refused)'")
        }
        let both = try az("keyvault", "show", "-n", "kv-e2e-1", "--hsm-name", "h")
        XCTAssertEqual(both.stderr, "ERROR: --name/-n and --hsm-name are mutually exclusive.\n")
        XCTAssertEqual(both.exitCode, 1)
    }

    func testRoleAssignmentsCarryTheFieldsAzAdds() throws {
        let principal = try az("identity", "create", "-g", "zulu", "-n", "uai1", "--query", "principalId", "-o", "tsv")
        let scope = try az("group", "show", "-n", "zulu", "--query", "id", "-o", "tsv")
        let created = try az(
            "role", "assignment", "create", "--assignee-object-id",
            principal.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "--assignee-principal-type",
            "ServicePrincipal", "--role", "Key Vault Crypto Service Encryption User", "--scope",
            scope.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertEqual(created.exitCode, 0, created.stderr)
        let r = try az(
            "role", "assignment", "list", "--all", "--query", "[0].[roleDefinitionName, principalName]", "-o", "json")
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let fields = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [Any]
        XCTAssertEqual(fields?.first as? String, "Key Vault Crypto Service Encryption User")
        XCTAssertEqual(fields?.count, 2)
        XCTAssertNotNil(fields?.last as? String, "principalName, which az fills in")
    }
}
