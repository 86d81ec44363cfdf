import Foundation
import XCTest

/// `events`: each consumer's states with their causes and key operations, in 100 columns.
final class EventsEndToEndTests: BinaryTestCase {
    func testAServerLosingItsKeyShowsTheCauseAndTheRefusedWrapAndItsRecovery() throws {
        let setup = try kd(
            "az group create -n rg -l eastus -o none",
            "az keyvault create -g rg -n kv-events-long-name -l eastus --enable-purge-protection true "
                + "--enable-rbac-authorization false -o none",
            "KID=$(az keyvault key create --vault-name kv-events-long-name -n pg-key --query key.kid -o tsv)",
            "PID=$(az identity create -g rg -n pg-id --query principalId -o tsv)",
            "az keyvault set-policy -n kv-events-long-name --object-id $PID --key-permissions get list wrapKey "
                + "unwrapKey -o none",
            "az postgres flexible-server create -g rg -n pg-events-server-with-long-name --key $KID --identity pg-id "
                + "--public-access None -o none",
            "az group create -n other -l eastus -o none",
            "az keyvault key set-attributes --vault-name kv-events-long-name -n pg-key --enabled false -o none",
            "clock advance 1h",
            "az keyvault key set-attributes --vault-name kv-events-long-name -n pg-key --enabled true -o none",
            "clock advance 1h")
        XCTAssertEqual(setup.exitCode, 0, setup.stderr)
        let json = try kd(
            "events --resource PG-EVENTS-SERVER-WITH-LONG-NAME --query \"[].[state, cause, keyOperation]\" -o json")
        let rows = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[Any]], json.stdout + json.stderr)
        guard rows.count == 3 else { return XCTFail("three states expected: \(json.stdout)") }
        XCTAssertEqual(rows[1][0] as? String, "Inaccessible")
        // The pinned version the server uses, named by the start of its version.
        let cause = try XCTUnwrap(rows[1][1] as? String)
        XCTAssertTrue(cause.hasPrefix("key pg-key v") && cause.hasSuffix(" Disabled"), "not the other group: \(cause)")
        XCTAssertEqual(rows[1][2] as? String, "KeyWrap KeyDisabled")
        XCTAssertEqual(rows[2][0] as? String, "Ready")
        XCTAssertTrue((rows[2][1] as? String ?? "").hasSuffix(" Enabled"), "\(rows[2])")

        let table = try kd("events -o table")
        XCTAssertEqual(table.exitCode, 0, table.stderr)
        let lines = table.stdout.split(separator: "\n")
        XCTAssertEqual(
            lines.first?.split(separator: " ", omittingEmptySubsequences: true),
            ["Time", "Resource", "State", "Cause", "KeyOperation"])
        XCTAssertTrue(lines.allSatisfy { $0.count <= 100 }, table.stdout)
        XCTAssertTrue(table.stdout.contains("pg-events-serve…"), table.stdout)
        XCTAssertTrue(table.stdout.contains(" Disabled "), table.stdout)
        XCTAssertTrue(try kd("events --since 2030-01-01T00:00:00Z").stdout.hasPrefix("[]"))
    }
}
