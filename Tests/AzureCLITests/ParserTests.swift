import XCTest
@testable import AzureCLI
import JMESPath

final class ParserTests: XCTestCase {
    func parse(_ line: String, env: [String: String] = [:]) throws -> Invocation {
        let p = CommandLineParser(environment: { env[$0] })
        guard case .run(let inv) = try p.parse(line.split(separator: " ").map(String.init)) else {
            throw CLIError("expected a command")
        }
        return inv
    }

    func usageMessage(_ line: String) -> String? {
        do { _ = try parse(line); return nil } catch let e as UsageError { return e.message } catch {
            return "\(error)"
        }
    }

    func testEveryCommandOfTheSpecificationIsInTheTable() {
        XCTAssertEqual(
            CommandTable.shared.commandNames.filter {
                !CommandTable.shared.keydrillTopLevel.contains(String($0.split(separator: " ")[0]))
            }.count, 156)
        XCTAssertEqual(
            CommandTable.shared.command("keyvault key create")?.parameter(dest: "kty")?.choices,
            ["EC", "EC-HSM", "RSA", "RSA-HSM", "oct", "oct-HSM"])
    }

    /// As az 2.91 printed them: argparse's registration order (tools/az-registration-order.json),
    /// globals first, an AAZ command's arguments in its schema's order.
    func testAmbiguousCandidatesAreListedInAzsRegistrationOrder() {
        XCTAssertEqual(
            usageMessage("servicebus queue delete --na x"),
            "ambiguous option: --na could match --namespace-name, --name")
        XCTAssertEqual(
            usageMessage("postgres flexible-server revive-dropped -l l --source-server s --sub"),
            "ambiguous option: --sub could match --subscription, --subnet")
        XCTAssertEqual(
            usageMessage("network vnet create -n v -g g --subn x"),
            "ambiguous option: --subn could match --subnets, --subnet-name, --subnet-prefixes")
    }

    func testKeydrillGroupsComeFromTheirOwnTable() {
        XCTAssertEqual(CommandTable.shared.keydrillTopLevel, ["activity", "audit", "events", "portal", "workload"])
        XCTAssertEqual(CommandTable.shared.prefix(of: "portal keyvault access-policy add"), "")
        XCTAssertEqual(CommandTable.shared.prefix(of: "keyvault create"), "az ")
    }

    func testLastRepeatWinsAndListsRunToNextOption() throws {
        let inv = try parse(
            "keyvault set-policy -n a -n v --object-id x --key-permissions GET WRAPKEY unwrapkey --key-permissions "
                + "get list"
        )
        XCTAssertEqual(inv.arguments["vault_name"], "v")
        XCTAssertEqual(inv.arguments["key_permissions"], ["get", "list"])
    }

    func testAppendOptionCollectsEachRepeat() throws {
        let inv = try parse(
            "servicebus namespace encryption add -g rg --namespace-name nsname --encryption-config key-name=a "
                + "key-vault-uri=u --encryption-config key-name=b key-vault-uri=u"
        )
        XCTAssertEqual(
            inv.arguments["encryption_config"],
            [["key-name=a", "key-vault-uri=u"], ["key-name=b", "key-vault-uri=u"]])
    }

    func testEnvironmentDefaultsFillGroupAndLocationAndOutput() throws {
        let env = ["AZURE_DEFAULTS_GROUP": "rg9", "AZURE_DEFAULTS_LOCATION": "eastus", "AZURE_CORE_OUTPUT": "tsv"]
        let inv = try parse("keyvault create -n v", env: env)
        XCTAssertEqual(inv.arguments["resource_group_name"], "rg9")
        XCTAssertEqual(inv.arguments["location"], "eastus")
        XCTAssertEqual(inv.output, .tsv)
        XCTAssertEqual(
            usageMessage("keyvault create -n v"), "the following arguments are required: --resource-group/-g")
    }

    func testDidYouMeanForCommandsAndValuesNotOptions() {
        let p = CommandLineParser(environment: { _ in nil })
        XCTAssertThrowsError(try p.parse(["grop", "list"])) { e in
            XCTAssertEqual((e as? UsageError)?.suggestion, "Did you mean 'az group list' ?")
        }
        XCTAssertThrowsError(
            try p.parse(["keyvault", "key", "create", "--vault-name", "v", "-n", "k", "--ktyy", "RSA"])
        ) { e in
            XCTAssertEqual((e as? UsageError)?.message, "unrecognized arguments: --ktyy RSA")
            XCTAssertNil((e as? UsageError)?.suggestion, "az suggests no option")
        }
        XCTAssertThrowsError(try p.parse(["keyvault", "key", "create", "--kty", "RSAA"])) { e in
            XCTAssertEqual((e as? UsageError)?.suggestion, "Did you mean 'RSA' ?")
        }
    }

    func testHelpIsGeneratedFromTheTable() throws {
        let p = CommandLineParser(environment: { _ in nil })
        guard case .help(let text) = try p.parse(["keyvault", "key", "create", "-h"]) else { return XCTFail() }
        XCTAssertTrue(text.contains("az keyvault key create : Create a new key"))
        XCTAssertTrue(text.contains("--kty"))
        XCTAssertTrue(text.contains("Global Arguments"))
        guard case .help(let group) = try p.parse(["keyvault", "-h"]) else { return XCTFail() }
        XCTAssertTrue(group.contains("Subgroups:"))
        XCTAssertTrue(group.contains("network-rule"))
        XCTAssertEqual(usageMessage("keyvault key"), "the following arguments are required: _subcommand")
    }

    func testQueryErrorsAreUsageErrors() {
        XCTAssertEqual(usageMessage("group list --query [[["), "argument --query: invalid jmespath_type value: '[[['")
    }

    /// Key Vault's datetime_type reads UTC only, as az 2.91 does: an offset is a usage error.
    func testDatesAreUTCAsTheSDKSendsThem() throws {
        let inv = try parse("keyvault key create --vault-name v -n k --expires 2030-01-02T03:04Z")
        XCTAssertEqual(inv.arguments["expires"], "2030-01-02T03:04:00+00:00")
        XCTAssertEqual(
            usageMessage("keyvault key create --vault-name v -n k --expires 2030-01-02T05:04:05+02:00"),
            "argument --expires: invalid datetime_type value: '2030-01-02T05:04:05+02:00'")
    }

    func testIdsAreSplitAndOtherIdArgumentsWarned() throws {
        let inv = try parse(
            "identity show -n other --ids "
                + "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1"
        )
        XCTAssertEqual(inv.ids.first?["name"], "id1")
        XCTAssertEqual(inv.warnings, ["option '-n' will be ignored due to use of '--ids'."])
    }

    /// az matches command and group words case-insensitively (checked: `az KeyVault -h`).
    func testCommandWordsMatchCaseInsensitively() throws {
        let p = CommandLineParser(environment: { _ in nil })
        guard case .run(let inv) = try p.parse(["KeyVault", "LIST"]) else { return XCTFail("not a command") }
        XCTAssertEqual(inv.spec.name, "keyvault list")
        XCTAssertThrowsError(try p.parse(["Network", "Nic", "list"])) { e in
            XCTAssertTrue((e as? CLIError)?.message.contains("does not emulate 'az network nic list'") == true, "\(e)")
        }
    }
}
