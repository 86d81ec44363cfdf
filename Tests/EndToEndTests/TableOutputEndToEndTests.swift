import Foundation
import XCTest

/// `-o table` as az 2.91 prints it: the commands az registers a table_transformer for print its
/// columns (without --query; with one, knack's automatic table), a transformer that meets a key
/// the result lacks is "Table output unavailable" after the command ran, and knack's tsv and
/// PyYAML's folding. Expected text is what az's own code printed for the same results
/// (tools/render-diff.py compares the two on thousands of renders).
final class TableOutputEndToEndTests: XCTestCase {
    var state = ""

    override func setUpWithError() throws {
        state = NSTemporaryDirectory() + "table-\(UUID().uuidString)"
        let r = try Binary.run(
            [
                "-c", "az group create -n rg -l westus -o none", "-c", "az group create -n rg2 -l eastus -o none",
                "-c", "az identity create -g rg -n id1 -o none",
                "-c", "az keyvault create -g rg -n kvtable --enable-purge-protection true -o none",
            ], state: state)
        XCTAssertEqual(r.exitCode, 0, r.stderr)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: state) }

    private func az(_ line: String) throws -> Binary.Result { try Binary.run(["-c", line], state: state) }

    func testTransformersPrintTheirColumnsUnlessAQueryIsGiven() throws {
        XCTAssertEqual(
            try az("az group list -o table").stdout,
            "Name    Location    Status\n------  ----------  ---------\nrg      westus      Succeeded\n"
                + "rg2     eastus      Succeeded\n")
        XCTAssertEqual(try az("az group list --query \"[].name\" -o table").stdout, "Result\n--------\nrg\nrg2\n")
        let account = try az("az account list -o table").stdout.split(separator: "\n")
        XCTAssertEqual(
            account.first.map { $0.split(separator: " ", omittingEmptySubsequences: true) },
            ["Name", "CloudName", "SubscriptionId", "TenantId", "State", "IsDefault"])
        XCTAssertTrue(account.last?.hasPrefix("keydrill-subscription  AzureCloud") ?? false, "\(account)")
        let principal = try az("az identity show -g rg -n id1 --query principalId -o tsv").stdout
        let vault = try az("az keyvault show -n kvtable --query id -o tsv").stdout
        let grant = try az(
            "az role assignment create --assignee-object-id \(principal.trimmed) --assignee-principal-type "
                + "ServicePrincipal --role \"Key Vault Crypto User\" --scope \(vault.trimmed) -o none")
        XCTAssertEqual(grant.exitCode, 0, grant.stderr)
        let roles = try az("az role assignment list --all -o table").stdout.split(separator: "\n")
        XCTAssertEqual(roles.first.map { $0.split(separator: " ") }, ["Principal", "Role", "Scope"])
        XCTAssertTrue(roles.last?.contains("  Key Vault Crypto User  \(vault.trimmed)") ?? false, "\(roles)")
    }

    func testATransformerThatMissesAKeyIsTableOutputUnavailableAfterTheCommandRan() throws {
        // postgresql's table_transform_output reads `resource group`, which create's result lacks.
        let create = try az(
            "az postgres flexible-server create -g rg -n fstable -l westus --admin-user u1 "
                + "--admin-password Passw0rd!x1 --yes -o table --only-show-errors")
        XCTAssertEqual(create.exitCode, 1)
        XCTAssertEqual(create.stdout, "")
        XCTAssertTrue(create.stderr.hasPrefix("ERROR: Table output unavailable. Use the --query option"), create.stderr)
        XCTAssertEqual(
            try az("az postgres flexible-server show -g rg -n fstable --query state -o tsv").stdout, "Ready\n")
        let list = try az("az postgres flexible-server list -o table").stdout.split(separator: "\n")
        XCTAssertEqual(
            list.first.map(String.init),
            "Name     Resource Group    Location    Version    Storage Size(GiB)    Tier            SKU               "
                + "State    HA State    Availability zone")
        // az 2.79 registers the same transformer for Single Server, whose servers have storageProfile.
        _ = try az("az postgres server create -g rg -n pgtable -u cloudsa -p Passw0rd!x -o none --only-show-errors")
        let single = try az("az postgres server list -g rg -o table --only-show-errors")
        XCTAssertEqual(single.exitCode, 1)
        XCTAssertTrue(single.stderr.hasPrefix("ERROR: Table output unavailable."), single.stderr)
    }

    func testAccountListSaysCloudNameAndShowSaysEnvironmentName() throws {
        XCTAssertEqual(
            try az("az account list --query \"[0].[cloudName, environmentName]\" -o tsv").stdout, "AzureCloud\nNone\n")
        XCTAssertEqual(
            try az("az account show --query \"[cloudName, environmentName]\" -o tsv").stdout, "None\nAzureCloud\n")
    }

    func testTsvBooleanRowsAndCellsAndYamlFolding() throws {
        XCTAssertEqual(try az("az group list --query \"[`true`, `false`]\" -o tsv").stdout, "true\nfalse\n")
        XCTAssertEqual(try az("az group list --query \"[[`true`, `1`]]\" -o tsv").stdout, "True\t1\n")
        XCTAssertEqual(
            try az("az group list --query \"[[`{\\\"b\\\": [1, true, null, \\\"it's\\\"]}`, 'x']]\" -o table").stdout,
            "Column1                         Column2\n------------------------------  ---------\n"
                + "{'b': [1, True, None, \"it's\"]}  x\n", "a list or dict cell is str() of it")
        XCTAssertEqual(
            try az("az group list --query \"[{a: `{\\\"b\\\": 1}`}]\" -o table").stdout, "\n",
            "a dict in a dict row is left out, as knack does")
        let description = try az(
            "az role definition list --query \"[?roleName=='Key Vault Administrator'].description | [0]\" -o yaml")
        XCTAssertEqual(
            description.stdout,
            "Perform all data plane operations on a key vault and all objects in it, including\n"
                + "  certificates, keys, and secrets. Cannot manage key vault resources or manage role\n"
                + "  assignments. Only works for key vaults that use the 'Azure role-based access control'\n"
                + "  permission model.\n...\n")
    }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
