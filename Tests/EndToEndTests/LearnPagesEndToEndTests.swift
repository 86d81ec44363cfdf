import Foundation
import XCTest

/// Microsoft's pages run as runbooks as they are: `<placeholder>` words bind to `--var`s, az lines
/// written with the shell's syntax and `bash`/`console` blocks run in real bash through the az
/// shim, and the run fails exactly where az 2.91 fails, passing once the lines are today's.
final class LearnPagesEndToEndTests: BinaryTestCase {
    static let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/reference/seeds").standardized.path

    func page(_ name: String, editing edits: [(String, String)] = []) throws -> String {
        // The seed pages are Microsoft's, kept beside the repository in ../shared, not in it.
        guard FileManager.default.fileExists(atPath: Self.seeds + "/" + name) else {
            throw XCTSkip("\(Self.seeds)/\(name) is absent: the seed pages live in ../shared/reference/seeds")
        }
        var text = try String(contentsOfFile: Self.seeds + "/" + name, encoding: .utf8)
        for (old, new) in edits {
            XCTAssertTrue(text.contains(old), old)
            text = text.replacingOccurrences(of: old, with: new)
        }
        let path = state + "-" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func run(_ args: [String]) throws -> Binary.Result {
        try Binary.run(["run"] + args + ["--state", state + "/st"])
    }

    static let postgresPage = "postgresql-single-server-data-encryption-portal.md"
    static let serviceBusPage = "service-bus-customer-managed-key-portal.md"
    static let vars = ["--var", "key_vault_name=contoso-pg-kv", "--var", "resource_group_name=contoso-rg"]

    func testThePostgresPageFailsWhereAzFailsAndPassesWrittenToday() throws {
        let unbound = try run([try page(Self.postgresPage)])
        XCTAssertEqual(unbound.exitCode, 2)
        XCTAssertTrue(
            unbound.stdout.contains(
                "line 24: <key_vault_name> is not bound: give it with --var key_vault_name=VALUE"), unbound.stdout)
        let asIs = try run([try page(Self.postgresPage)] + Self.vars)
        XCTAssertEqual(asIs.exitCode, 1, asIs.stdout)
        XCTAssertTrue(asIs.stdout.contains("line 24: "), asIs.stdout)
        // bash ran the line: the `-test` typo fails az keyvault show, then --id gets no value.
        XCTAssertTrue(asIs.stdout.contains("ERROR: unrecognized arguments: -test"), asIs.stdout)
        XCTAssertTrue(asIs.stdout.contains("ERROR: argument --ids: expected at least one argument"), asIs.stdout)
        let today = try page(
            Self.postgresPage,
            editing: [
                (
                    "az resource update --id $(az keyvault show --name \\ <key_vault_name> -test -o tsv | awk "
                        + "'{print $1}') --set \\ properties.enableSoftDelete=true",
                    "az group create --name <resource_group_name> --location westus --output none\n    "
                        + "az keyvault create --name <key_vault_name> --resource-group <resource_group_name> "
                        + "--output none\n"
                        + "    az resource update --id $(az keyvault show --name <key_vault_name> -o tsv --query id) "
                        + "--set properties.enableSoftDelete=true --query properties.enableSoftDelete"
                )
            ])
        let passed = try run([today] + Self.vars)
        XCTAssertEqual(passed.exitCode, 0, passed.stdout)
    }

    func testTheServiceBusPageFailsOnTheRemovedFlagWithAHintAndPassesWrittenToday() throws {
        let asIs = try run([try page(Self.serviceBusPage)])
        XCTAssertEqual(asIs.exitCode, 1, asIs.stdout)
        XCTAssertTrue(asIs.stdout.contains("line 54: "), asIs.stdout)
        XCTAssertTrue(asIs.stdout.contains("hint: az removed --enable-soft-delete"), asIs.stdout)
        let today = try page(
            Self.serviceBusPage,
            editing: [
                (
                    "az keyvault create --name contoso-SB-BYOK-keyvault --resource-group ContosoRG --location westus "
                        + "--enable-soft-delete true --enable-purge-protection true",
                    "az group create --name ContosoRG --location westus --output none\n    az keyvault create --name "
                        + "contoso-SB-BYOK-keyvault --resource-group ContosoRG --location westus "
                        + "--enable-purge-protection true"
                )
            ])
        let passed = try run([today])
        XCTAssertEqual(passed.exitCode, 0, passed.stdout)
    }

    func testBashAndConsoleBlocksShareTheRunsWorldAndKeepGoingRehearsesTheRest() throws {
        let path = state + "-shell.md"
        try """
        ---
        variables:
          RG: rg-shell
        ---
        # Shell blocks

        ## Create in bash

        ```bash
        az group create --name "$RG" --location westus --output none
        az group list --query "[].name" -o tsv | grep -c rg-shell
        ```

        ## Check from keydrill

        ```keydrill
        az group show -n $RG --query name
        assert @ == 'rg-shell'
        ```

        ## A console session

        ```console
        $ az group show --name "$RG" \\
            --query location -o tsv
        westus
        $ false
        ```

        ## Still rehearsed

        ```keydrill
        az group exists -n $RG
        ```
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let stops = try run([path])
        XCTAssertEqual(stops.exitCode, 1)
        XCTAssertTrue(stops.stdout.contains("[3] A console session ... failed"), stops.stdout)
        XCTAssertFalse(stops.stdout.contains("[4] Still rehearsed"), "no step runs after a failure: \(stops.stdout)")
        let goes = try run([path, "--keep-going"])
        XCTAssertEqual(goes.exitCode, 1)
        XCTAssertTrue(goes.stdout.contains("[4] Still rehearsed ... passed"), goes.stdout)
    }
}
