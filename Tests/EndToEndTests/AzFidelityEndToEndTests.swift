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

    /// Options before the command's words, a bare `--`, and `--only-show-errors` beside `--debug`
    /// or `--verbose`: each expected text is azure-cli 2.91.0's stderr and exit code for the same
    /// argv (recorded byte for byte with AZURE_CONFIG_DIR empty).
    func testWhatAzsStartUpRefusesIsRefusedAlike() throws {
        let footer = "\nhttps://aka.ms/cli_ref\nRead more about the command in reference docs\n"
        let cases: [([String], String, Int32)] = [
            (
                ["-o", "tsv", "keyvault", "list"],
                "ERROR: 'list' is misspelled or not recognized by the system.\n" + footer, 2
            ),
            (
                ["-o", "tsv", "foo", "list"], "ERROR: 'foo' is misspelled or not recognized by the system.\n" + footer,
                2
            ),
            (
                ["--subscription", "x", "group", "list"],
                "ERROR: 'x' is misspelled or not recognized by the system.\n" + footer, 2
            ),
            (["-o"], "ERROR: argument --output/-o: expected one argument\n" + footer, 2),
            (["-o", "tsv"], "ERROR: the following arguments are required: _command_package\n" + footer, 2),
            (["-o", "tsv", "keyvault"], "ERROR: the following arguments are required: _subcommand\n" + footer, 2),
            (["group", "list", "--"], "ERROR: unrecognized arguments: --\n" + footer, 2),
            (["group", "list", "--", "-g", "x"], "ERROR: unrecognized arguments: -- -g x\n" + footer, 2),
            (
                ["--only-show-errors", "--verbose", "group", "list"],
                String(repeating: "--only-show-errors can't be used together with --debug or --verbose\n", count: 2), 1
            ),
        ]
        for (argv, stderr, code) in cases {
            let r = try Binary.run(["--ephemeral", "az"] + argv)
            XCTAssertEqual(r.stderr, stderr, argv.joined(separator: " "))
            XCTAssertEqual(r.exitCode, code, argv.joined(separator: " "))
            XCTAssertEqual(r.stdout, "", argv.joined(separator: " "))
        }
    }

    /// A zero slice step on a list is Python's ValueError inside jmespath.py, which az reports as
    /// a crash after the command ran (exit 1; recorded from azure-cli 2.91.0 with `az account list
    /// --query "[::0]"`, its traceback elided here); on anything else it is null, as is `type(&@)`.
    func testAZeroSliceStepFailsAsAzFailsOnlyOnAList() throws {
        let r = try kd("az group create -n rg -l westus -o none", "az group list --query \"[::0]\"")
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(
            r.stderr.contains(
                "ERROR: The command failed with an unexpected error. Here is the traceback:\nERROR: slice step cannot "
                    + "be zero\n"), r.stderr)
        XCTAssertTrue(
            r.stderr.contains("To check existing issues, please visit: https://github.com/Azure/azure-cli/issues\n"))
        XCTAssertEqual(try kd("az group list --query \"[0].name[::0]\"").stdout, "")
        XCTAssertEqual(try kd("az group list --query \"[0].name[::0]\"").exitCode, 0)
        XCTAssertEqual(try kd("az group list --query \"type(&@)\"").stdout, "")
    }
}
