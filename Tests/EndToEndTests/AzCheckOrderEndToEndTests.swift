import XCTest

/// What az checks first, with its words, as tools/az-parse-diff.py found them against az 2.91
/// (each expected line is what az printed for the same command line).
final class AzCheckOrderEndToEndTests: BinaryTestCase {
    func error(_ line: String...) throws -> (Int32, String?) { try error(line) }

    func error(_ line: [String]) throws -> (Int32, String?) {
        let r = try Binary.run(["az"] + line, state: state)
        return (r.exitCode, r.stderr.components(separatedBy: "\n").first { $0.hasPrefix("ERROR") })
    }

    func testAnAmbiguousPrefixAnywhereComesBeforeAnyValueIsChecked() throws {
        let (code, line) = try error(
            "servicebus", "queue", "create", "--name", "x", "--namespace-name", "nsname", "-g", "rg", "--status",
            "a b", "--na", "x")
        XCTAssertEqual(code, 2)
        XCTAssertEqual(line?.hasPrefix("ERROR: ambiguous option: --na could match "), true, line ?? "")
    }

    func testAnOptionsOwnStringsAreAmbiguousCandidatesInItsOrder() throws {
        let (code, line) = try error(
            "servicebus", "namespace", "create", "--name", "abcdef", "-g", "rg", "--sku", "Premium", "--max-", "x")
        XCTAssertEqual(code, 2)
        XCTAssertEqual(
            line, "ERROR: ambiguous option: --max- could match --max-replication-lag-duration-in-seconds, --max-lag")
    }

    func testAnIdWithoutAPartTheCommandNeedsIsRefusedByName() throws {
        let id = "/subscriptions/s/resourceGroups/rg/providers/P/t/n"
        let (code, line) = try error(
            "postgres", "flexible-server", "parameter", "set", "--name", "ab", "--server-name", "rg1", "--ids", id)
        XCTAssertEqual(code, 1)
        XCTAssertEqual(
            line,
            "ERROR: Argument --name cannot be derived from ID \(id). Please provide a complete resource ID "
                + "containing all information of 'Resource Id' arguments. ")
        // AAZ splits the id its own way and checks the name it gets.
        XCTAssertEqual(
            try error("servicebus", "namespace", "show", "--ids", id).1,
            "ERROR: InvalidArgumentValue: -n: Invalid format: 'n' length is less than 6 ")
    }

    func testAzsOwnFormatCheckComesBeforeKeydrillRefusesAnOption() throws {
        XCTAssertEqual(
            try error(
                "servicebus", "queue", "create", "--name", "x", "--namespace-name", "a", "-g", "rg",
                "--enable-batched-operations", "true"
            ).1, "ERROR: InvalidArgumentValue: --namespace-name: Invalid format: 'a' length is less than 6 ")
    }

    /// servicebus's namespace_custom.py calls the namespace's AAZ Show first, with its format check.
    func testACustomCommandThatCallsAnAAZCommandFirstHasItsCheck() throws {
        for line in [
            ["servicebus", "namespace", "identity", "assign", "--namespace-name", "7", "--resource-group", "rg1"],
            [
                "servicebus", "namespace", "identity", "remove", "--namespace-name", "7", "-g", "rg1",
                "--system-assigned",
            ],
            [
                "servicebus", "namespace", "encryption", "remove", "--namespace-name", "7", "-g", "rg1",
                "--encryption-config", "key-name=k", "key-vault-uri=https://v.vault.azure.net",
            ],
        ] {
            let (code, message) = try error(line)
            XCTAssertEqual(code, 1)
            XCTAssertEqual(message, "ERROR: InvalidArgumentValue: -n: Invalid format: '7' length is less than 6 ")
        }
    }

    func testAVaultCommandWithoutANameSaysWhatAzSays() throws {
        XCTAssertEqual(try error("keyvault", "show").1, "ERROR: The HSM 'None' not found within subscription.")
        XCTAssertEqual(
            try error("keyvault", "network-rule", "list").1, "ERROR: The HSM 'None' not found within subscription.")
        XCTAssertEqual(
            try error("keyvault", "create", "-g", "rg").1, "ERROR: Please specify --vault-name or --hsm-name.")
    }

    func testAnAAZCommandNamesItsFirstMissingFieldItself() throws {
        XCTAssertEqual(
            try error("servicebus", "queue", "show", "-n", "q").1,
            "ERROR: InvalidArgumentValue: Missing required field: --namespace-name")
        XCTAssertEqual(
            try error("servicebus", "georecovery-alias", "show", "--namespace-name", "rg1").1,
            "ERROR: InvalidArgumentValue: Missing required field: -a", "before the name's format check")
        XCTAssertEqual(try error("servicebus", "namespace", "show", "-g", "rg").0, 1, "not argparse's exit 2")
    }

    func testAnAAZDictArgumentNamesWhatJSONGaveAsPythonDoes() throws {
        for (value, said) in [
            ("0", "'0'(<class 'int'>)"), ("1.5", "'1.5'(<class 'float'>)"), ("true", "'True'(<class 'bool'>)"),
            ("x", "'x'(<class 'str'>)"), ("[1]", "'[1]'(<class 'list'>)"),
        ] {
            XCTAssertEqual(
                try error("identity", "create", "-g", "rg", "-n", "uai1", "--tags", value).1,
                "ERROR: Failed to parse '--tags' argument: dict type value expected, got \(said)")
        }
        XCTAssertEqual(
            try error("identity", "create", "-g", "rg", "-n", "uai1", "--tags", "null").1,
            "ERROR: Failed to parse '--tags' argument: field is not nullable")
    }

    func testAKeyIdThatIsNoURLIsAUsageErrorAndRoleDeleteNamesItsChoices() throws {
        let bad = try Binary.run(["az", "keyvault", "key", "show", "--id", "7"], state: state)
        XCTAssertEqual(bad.exitCode, 2)
        XCTAssertEqual(bad.stderr, "ERROR: '7' is not a valid ID\n")
        XCTAssertEqual(
            try error("keyvault", "key", "show", "--id", "https://v.vault.azure.net/keys/k/0123/extra").1,
            "ERROR: 'https://v.vault.azure.net/keys/k/0123/extra' is not a valid ID")
        XCTAssertEqual(
            try error("role", "assignment", "delete").1,
            "ERROR: Please provide at least one of these arguments: --ids, --assignee, --assignee-object-id, --role, "
                + "--resource-group, --scope")
    }
}
