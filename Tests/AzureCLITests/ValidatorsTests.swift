import Cloud
import Foundation
import XCTest

@testable import AzureCLI

/// az's validators and AAZ's field checks, in az's order, before the service and before keydrill
/// refuses what it does not emulate. Every expected message is what az 2.91 printed for the line
/// (tools/az-parse-diff.py, or az run by hand in a throwaway venv).
final class ValidatorsTests: XCTestCase {
    func az(_ line: String, signedIn: Bool = false, setUp: [String] = []) -> CommandResult {
        var world = World.new(now: Date(timeIntervalSince1970: 1_800_000_000))
        for s in setUp {
            XCTAssertEqual(AzureCLI.run(words(s), world: &world, environment: { _ in nil }).exitCode, 0, s)
        }
        if !signedIn { try? world.signOut() }
        return AzureCLI.run(words(line), world: &world, environment: { _ in nil })
    }

    /// Splits on spaces; `''` is an empty argument and `_` a space inside one.
    func words(_ line: String) -> [String] {
        line.split(separator: " ").map { $0 == "''" ? "" : $0.replacingOccurrences(of: "_", with: " ") }
    }

    func firstError(_ r: CommandResult) -> String {
        r.stderr.split(separator: "\n").first { $0.hasPrefix("ERROR") }.map(String.init) ?? ""
    }

    func testEveryValidatorOfAnEmulatedCommandIsWrittenOrLeftToItsHandler() {
        for name in CommandRegistry.handlers.keys {
            for v in CommandTable.shared.command(name)?.validators ?? [] {
                XCTAssertTrue(
                    Validators.all[v] != nil || Validators.inHandler.contains(v), "\(name): \(v) is neither")
            }
        }
        XCTAssertEqual(
            CommandTable.shared.command("keyvault key show")?.validators,
            ["set_vault_base_url", "validate_keyvault_resource_id:key"])
    }

    func testKeyVaultChecksComeInAzsOrderAndBeforeTheRefusalOfWhatIsNotEmulated() {
        let cases: [(String, Int32, String)] = [
            ("keyvault show -g 0", 1, "ERROR: Please specify --vault-name or --hsm-name."),
            ("keyvault show", 1, "ERROR: The HSM 'None' not found within subscription."),
            ("keyvault show -n v --hsm-name h", 1, "ERROR: --name/-n and --hsm-name are mutually exclusive."),
            ("keyvault show-deleted --change-reference x", 1, "ERROR: Please specify --vault-name or --hsm-name."),
            (
                "keyvault key delete --hsm-name h", 1,
                "ERROR: incorrect usage: --id ID | --vault-name/--hsm-name VAULT/HSM --name/-n NAME [--version VERSION]"
            ),
            // set_vault_base_url puts the HSM in the vault's place first, so az names --vault-name.
            ("keyvault key show --hsm-name h --id x", 1, "ERROR: --vault-name and --id are mutually exclusive."),
            (
                "keyvault key rotation-policy show --id -1 --vault-name v", 1,
                "ERROR: --vault-name and --id are mutually exclusive."
            ),
            ("keyvault key show --id rg1", 2, "ERROR: 'rg1' is not a valid ID"),
            (
                "keyvault key show --id https://v.vault.azure.net:ab/keys/k", 2,
                "ERROR: Port could not be cast to integer value as 'ab'"
            ),
            ("keyvault key list --id key-name=k1", 1, "ERROR: Invalid id for Vault or HSM."),
            (
                "keyvault key list --hsm-name h --vault-name v", 1,
                "ERROR: --vault-name and --hsm-name are mutually exclusive."
            ),
            // The vault name is a URL once given, so even an empty one counts.
            (
                "keyvault key list --vault-name '' --hsm-name h", 1,
                "ERROR: --vault-name and --hsm-name are mutually exclusive."
            ),
            ("keyvault delete-policy -n v -g g", 2, "ERROR: specify exactly one: --object-id, --spn, --upn"),
            (
                "keyvault set-policy -n v -g g --object-id o", 2,
                "ERROR: specify at least one: --key-permissions, --secret-permissions, --certificate-permissions "
                    + "--storage-permissions"
            ),
            (
                "keyvault key encrypt -a RSA-OAEP --value x --vault-name v -n k", 2,
                "ERROR: Invalid base64-encoded string: number of data characters (1) cannot be 1 more than a "
                    + "multiple of 4"
            ),
            (
                "keyvault key decrypt -a RSA-OAEP --value eastus --vault-name v -n k --aad x", 2,
                "ERROR: Incorrect padding"
            ),
            (
                "keyvault key import --vault-name v -n k --pem-password p", 2,
                "ERROR: supply exactly one: --byok-file, --byok-string, --pem-file, --pem-string"
            ),
            (
                "keyvault key set-attributes --vault-name v -n k --immutable false", 1,
                "ERROR: Please provide policy when setting `--immutable`"
            ),
            (
                "keyvault network-rule add -n v -g g --ip-address 10.0.0.1/24", 2,
                "ERROR: 10.0.0.1/24 has host bits set"
            ),
            (
                "keyvault network-rule add -n v -g g --ip-address 1.2.3.4 1.2.3.0/24", 1,
                "ERROR: ip addresses 1.2.3.4/32 and 1.2.3.0/24 provided are overlapping: --ip_address ip1 [ip2]..."
            ),
            (
                "keyvault network-rule add -n v -g g --vnet-name n", 1,
                "ERROR: incorrect usage: [--subnet ID | --subnet NAME --vnet-name NAME]"
            ),
            // Past every check, the option keydrill does not emulate is refused (az would sign in).
            ("keyvault show -n v --hsm-name ''", 1, "ERROR: Please run 'az login' to setup account."),
        ]
        for (line, code, message) in cases {
            let r = az(line)
            XCTAssertEqual(r.exitCode, code, line)
            XCTAssertEqual(firstError(r), message, line)
        }
        let refused = az("keyvault key show --vault-name v -n k --hsm-name h", signedIn: true)
        XCTAssertEqual(
            firstError(refused),
            "ERROR: keydrill does not emulate '--hsm-name' of 'az keyvault key show'; it is refused rather than "
                + "ignored."
        )
    }

    func testSignedInLookupsFindTheVaultOrSayItIsNotInTheSubscription() {
        XCTAssertEqual(
            firstError(az("keyvault show -n nope", signedIn: true)),
            "ERROR: The Vault 'nope' not found within subscription.")
        let setUp = ["group create -n rg -l westus", "keyvault create -n kvv1 -g rg"]
        XCTAssertEqual(az("keyvault show -n kvv1", signedIn: true, setUp: setUp).exitCode, 0)
        XCTAssertEqual(
            firstError(az("keyvault recover -n kvv1 -g rg", signedIn: true, setUp: setUp)),
            "ERROR: No deleted Vault or HSM was found with name kvv1")
        let deleted = setUp + ["keyvault delete -n kvv1"]
        XCTAssertEqual(
            firstError(az("keyvault recover -n kvv1 -g RG", signedIn: true, setUp: deleted)),
            "ERROR: The specified resource group does not match that of the deleted vault or hsm kvv1. The vault or "
                + "hsm must be recovered to the original resource group rg.")
        // keyvault delete's notice comes from its validator, so it is printed even when signed out.
        let notice = az("keyvault delete -n kvv1 -g rg")
        XCTAssertTrue(notice.stderr.hasPrefix("WARNING: Warning! If you have soft-delete protection"), notice.stderr)
        XCTAssertEqual(firstError(notice), "ERROR: Please run 'az login' to setup account.")
    }

    func testAAZChecksItsFieldsInSchemaOrderAsItRuns() {
        let id = "/subscriptions/s/resourceGroups/rg/providers/P/t/n"
        let cases: [(String, String)] = [
            // namespace_name comes before queue_name in the schema, and a format before a missing field.
            (
                "servicebus queue delete --namespace-name 0",
                "ERROR: InvalidArgumentValue: --namespace-name: Invalid format: '0' length is less than 6 "
            ),
            (
                "servicebus queue delete --namespace-name abcdefg",
                "ERROR: InvalidArgumentValue: Missing required field: -n"
            ),
            // A resource id must have its template's shape; a bare name is built into one, which needs
            // the subscription; a list's elements are checked each.
            (
                "network vnet subnet create -g rg --vnet-name v -n s --nsg a/b",
                "ERROR: InvalidArgumentValue: --nsg: Invalid format: resource id should be in '/subscriptions/"
                    + "{subscription}/resourceGroups/{resource_group}/providers/Microsoft.Network/"
                    + "networkSecurityGroups/{}' format."
            ),
            (
                "network vnet subnet create -g rg --vnet-name v -n s --nsg x",
                "ERROR: Please run 'az login' to setup account."
            ),
            (
                "network vnet subnet create -g rg --vnet-name v -n s --service-endpoint-policy a/b c",
                "ERROR: InvalidArgumentValue: --service-endpoint-policy[0]: Invalid format: resource id should be in "
                    + "'/subscriptions/{subscription}/resourceGroups/{resource_group}/providers/Microsoft.Network/"
                    + "serviceEndpointPolicies/{}' format."
            ),
            // --force-string alone is true, as an AAZ bool's blank is.
            (
                "network vnet subnet update --force-string",
                "ERROR: InvalidArgumentValue: Missing required field: --resource-group"
            ),
            // Pagination fields come first.
            (
                "servicebus georecovery-alias list --namespace-name x -g g --max-items 0",
                "ERROR: InvalidArgumentValue: --max-items: Invalid format: '0' is less than 1"
            ),
            (
                "servicebus namespace list --next-token sbname1",
                "ERROR: InvalidArgumentValue: --next-token: Invalid Base64 string."
            ),
            (
                "servicebus namespace list --next-token ''",
                "ERROR: InvalidArgumentValue: --next-token: Invalid JSON object."
            ),
            (
                "servicebus queue create -n q --namespace-name abc -g g --auto-delete-on-idle false",
                "ERROR: InvalidArgumentValue: --namespace-name: Invalid format: 'abc' length is less than 6 "
            ),
            (
                "servicebus queue create -n q --namespace-name abcdefg -g g --auto-delete-on-idle false",
                "ERROR: InvalidArgumentValue: --auto-delete-on-idle: Invalid format: 'false' should be of the form "
                    + "'##dT##h##m##s', '##h##m##s' or ISO8601 duration"
            ),
            // Parse errors come as argparse takes the option, before later options are even looked at.
            (
                "identity list --max-it x --no-such-option",
                "ERROR: Failed to parse '--max-items' argument: invalid literal for int() with base 10: 'x'"
            ),
            (
                "identity create -n i -g g --resource-restriction true",
                "ERROR: Failed to parse '--resource-restriction' argument: dict type value expected, got "
                    + "'True'(<class 'bool'>)"
            ),
            // Arguments the specification left untyped take their kind from the AAZ schema.
            (
                "network vnet create -n v -g g --flowtimeout x --no-such-option",
                "ERROR: Failed to parse '--flowtimeout' argument: invalid literal for int() with base 10: 'x'"
            ),
            (
                "network vnet subnet create -n s -g g --vnet-name v --ipam-allocations 7",
                "ERROR: Failed to parse '--ipam-allocations' argument: list type value expected, got '7'(<class 'int'>)"
            ),
            // An AAZ command's --ids must give every id argument, in its schema's order.
            (
                "servicebus georecovery-alias delete --namespace-name x --ids \(id)",
                "ERROR: Argument -a cannot be derived from ID \(id). Please provide a complete resource ID "
                    + "containing all information of 'Resource Id' arguments. "
            ),
            // A missing location is the group's: the service is asked.
            ("identity create -n i -g g", "ERROR: Please run 'az login' to setup account."),
        ]
        for (line, message) in cases { XCTAssertEqual(firstError(az(line)), message, line) }
    }

    func testCustomCommandsCheckTheirArgumentsBeforeSignInAndRefusal() {
        let cases: [(String, String)] = [
            (
                "account set -n ABC --acquire-policy-token",
                "ERROR: The subscription of 'abc' doesn't exist in cloud 'AzureCloud'."
            ),
            ("account set -n ''", "ERROR: The subscription of '' doesn't exist in cloud 'AzureCloud'."),
            ("logout --change-reference x", "ERROR: There are no active accounts."),
            ("group update -n g --remove x", "ERROR: Unexpected 'properties_to_remove' was not empty."),
            (
                "role assignment create --role r --scope s --acquire-policy-token",
                "ERROR: usage error: --assignee STRING | --assignee-object-id GUID"
            ),
            (
                "role assignment delete --acquire-policy-token",
                "ERROR: Please provide at least one of these arguments: --ids, --assignee, --assignee-object-id, "
                    + "--role, "
                    + "--resource-group, --scope"
            ),
            (
                "role assignment list --assignee ''",
                "ERROR: usage error: --assignee can't be an empty string. Either omit it or provide a non-empty string."
            ),
            (
                "login --service-principal --change-reference x",
                "ERROR: usage error: --service-principal --username NAME --password SECRET --tenant TENANT"
            ),
            (
                "login -i --client-id a --object-id b",
                "ERROR: Usage error: Provide only one of --client-id, --object-id, --resource-id."
            ),
            (
                "network vnet subnet create -g rg --vnet-name v -n s --endpoints [] --service-endpoints x",
                "ERROR: usage error: `--endpoints` and `--service-endpoints` cannot be used together, we prefer to use "
                    + "`endpoints` instead"
            ),
            (
                "role assignment create --role r --scope s --assignee a --condition-version 2.0",
                "ERROR: usage error: When --condition-version is set, --condition must be set as well."
            ),
            (
                "role assignment delete --assignee-object-id '' -y",
                "ERROR: Please provide at least one of these arguments: --ids, --assignee, --assignee-object-id, "
                    + "--role, --resource-group, --scope"
            ),
            (
                "role assignment list --assignee a --assignee-object-id b --all",
                "ERROR: Usage error: Provide only one of --assignee or --assignee-object-id."
            ),
            // georecovery-alias set calls the alias's AAZ Create, whose schema checks the names.
            (
                "servicebus georecovery-alias set -a x --partner-namespace p --acquire-policy-token --ids "
                    + "/subscriptions/s/resourceGroups/rg/providers/P/t/n",
                "ERROR: InvalidArgumentValue: --namespace-name: Invalid format: 'n' length is less than 6 "
            ),
        ]
        for (line, message) in cases { XCTAssertEqual(firstError(az(line)), message, line) }
        XCTAssertTrue(
            az("group update -n g --remove x").stderr.hasPrefix(
                "WARNING: Argument 'properties_to_remove' has been deprecated and will be removed in a future "
                    + "release.\n"
            ))
    }

    func testPostgresAndServiceBusValidatorsRunBeforeSignIn() {
        let cases: [(String, String)] = [
            (
                "postgres flexible-server create --public-access sbname1 --admin-user u",
                "ERROR: Invalid value for --public-access. Allowed values: 'Disabled', 'Enabled', 'All', 'None', "
                    + "'<startIP>', or '<startIP>-<endIP>', where each IP ranges from 0.0.0.0 to 255.255.255.255."
            ),
            (
                "postgres flexible-server create -g rg -n srv --public-access 10.0.0.9-10.0.0.1",
                "ERROR: The end IP address is smaller than the start IP address."
            ),
            (
                "postgres flexible-server create --database-name d --zone 1",
                "ERROR: The --database-name argument can only be used when --node-count is present, as it only "
                    + "applies to elastic clusters."
            ),
            (
                "postgres flexible-server create -g rg -n srv --backup-retention 36",
                "ERROR: Invalid value for --backup-retention. Allowed values: 7 to 35 days."
            ),
            (
                "postgres flexible-server create -g rg -n srv --identity a/b --key k",
                "ERROR: Invalid identity name or identifier."
            ),
            (
                "postgres flexible-server create -g rg -n srv --identity uai --key k",
                "ERROR: Please run 'az login' to setup account."
            ),
            (
                "postgres flexible-server update -g rg -n srv --maintenance-window Mon:24",
                "ERROR: Invalid value for --maintenance-window. The hour must be between 0 and 23. Allowed values: "
                    + "{0, 1, ... 23}."
            ),
            (
                "servicebus namespace create -g rg -n abcdefg -l eastus --sku Standard --capacity 2",
                "ERROR: --capacity - This property is only applicable to namespaces of Premium SKU"
            ),
        ]
        for (line, message) in cases { XCTAssertEqual(firstError(az(line)), message, line) }
    }

    /// az's location_name_type asks the subscription for its locations while argparse takes a
    /// name with a space, before argparse's own later errors.
    func testALocationDisplayNameIsLookedUpAsItIsParsed() {
        XCTAssertEqual(
            firstError(az("keyvault recover --hsm-name h --location a_b --locatiox")),
            "ERROR: Please run 'az login' to setup account.")
        let r = az("group create -n rg -l east_us --query location", signedIn: true)
        XCTAssertEqual(r.stdout, "\"eastus\"\n", r.stderr)
        XCTAssertEqual(
            firstError(az("keyvault recover --hsm-name h --location a --locatiox")),
            "ERROR: unrecognized arguments: --locatiox")
    }

    func testPythonsParsersFailAsPythonDoes() {
        XCTAssertEqual(try PythonBase64.decode("aGk="), Array("hi".utf8))
        XCTAssertEqual(
            try PythonBase64.decode("aG-k="), Array("hi".utf8), "characters outside the alphabet are skipped")
        XCTAssertEqual(try PythonBase64.decode("YWJj"), Array("abc".utf8))
        XCTAssertEqual(try PythonBase64.decode(""), [])
        XCTAssertThrowsError(try PythonBase64.decode("true false"))
        XCTAssertNil(AAZChecks.pageTokenProblem(Data(#"{"next_link": null, "offset": 0}"#.utf8).base64EncodedString()))
        XCTAssertEqual(
            AAZChecks.pageTokenProblem(Data("[1]".utf8).base64EncodedString()), "Decoded object is not a dictionary.")
        XCTAssertEqual(AAZChecks.pageTokenProblem("/w=="), "Error decoding UTF-8.")
        XCTAssertEqual(try PythonIPNetwork("10.0.0.0/8").description, "10.0.0.0/8")
        for bad in ["x", "0", "01.2.3.4", "1.2.3.4/33", "256.1.1.1", ""] {
            XCTAssertThrowsError(try PythonIPNetwork(bad), bad)
        }
        XCTAssertTrue(PythonURL("https://v.vault.azure.net/keys/k")!.hasHost)
        XCTAssertFalse(PythonURL("a:b")!.hasHost)
        XCTAssertFalse(PythonURL("//h/a/b")!.hasHost, "no scheme")
    }

    /// What az 2.91's AAZDurationFormat (isodate through msrest) made of each, run in its venv.
    func testDurationsAreWhatIsodateReads() {
        let verdicts: [(String, Bool)] = [
            ("", true), ("x,y", false), ("P1DT", true), ("1h", true), ("1d", true), ("T1H", true), ("1DT1H", true),
            ("p1d", true), ("PT", true), ("P", false), ("-P1D", true), ("1.5h", true), ("1,5h", true),
            ("00:05:00", false), ("P1D", true), ("7", false), ("P2030-01-01T00:00:00", true), ("1h30", false),
            (" 1h", false), ("PT1H ", false),
        ]
        for (text, valid) in verdicts { XCTAssertEqual(AAZChecks.isDuration(text), valid, "'\(text)'") }
    }

    /// What Key Vault's datetime_type (strptime, four formats) made of each, in az's Python.
    func testKeyVaultDatetimesAreStrptimes() {
        let verdicts: [(String, String?)] = [
            ("2030-01-01T00:00", nil), ("2030-01-01T00:00:00+02:00", nil),
            ("2030-01-01T00:00:00Z", "2030-01-01T00:00:00"),
            ("2030-01-01t05z", "2030-01-01T05:00:00"), ("2030-2-30", nil), ("2030-01-01", "2030-01-01T00:00:00"),
            ("2030-01-01T00:00:60Z", nil), ("2030-1-1T1:2:3Z", "2030-01-01T01:02:03"),
            ("2030-01- 1", "2030-01-01T00:00:00"),
            ("2030-01-01T00:00:00.5Z", nil), (" 2030-01-01", nil),
        ]
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
        for (text, expected) in verdicts { XCTAssertEqual(DatetimeType.parse(text).map(f.string), expected, text) }
    }

    /// validate_file_or_dict is argparse's type for the option: it fails as the option is taken,
    /// before a later option's usage error.
    func testAJSONArgumentIsReadAsArgparseTakesIt() {
        let r = az("keyvault create -g rg --network-acls sbname1 --enabled-for-disk-encryption '' --nope")
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertEqual(
            r.stderr,
            "ERROR: Failed to parse string as JSON:\nsbname1\nError detail: Expecting value: line 1 column 1 "
                + "(char 0)\nPlease provide a valid JSON file path or JSON string.\nThe provided JSON string may have "
                + "been parsed by the shell. See "
                + "https://learn.microsoft.com/cli/azure/use-azure-cli-successfully-quoting#json-strings\n"
        )
        XCTAssertEqual(
            firstError(az("keyvault create -g rg -n v --network-acls x.json")),
            "ERROR: JSON file does not exist: 'x.json'")
        XCTAssertEqual(
            firstError(az("keyvault create -g rg -n v --network-acls {'bypass':_'None'}")),
            "ERROR: Please run 'az login' to setup account.", "a Python literal is good too")
    }
}
