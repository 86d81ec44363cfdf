import Foundation
import JMESPath
import XCTest

/// A coalesced audit record never spans a change: across a year with two outages, every record
/// that stands for many checks covers a stretch in which the same caller's operations on that
/// key all had the record's outcome, and the log stays in the order things happened.
final class AuditRunsEndToEndTests: BinaryTestCase {
    func testAYearWithTwoOutagesKeepsEachOutageBetweenItsOwnRows() throws {
        let setup = [
            "clock set 2030-01-01T00:00:00Z", "az group create -n rg -l eastus -o none",
            "az keyvault create -g rg -n kv-runs -l eastus --enable-purge-protection true "
                + "--enable-rbac-authorization false -o none",
            "az keyvault key create --vault-name kv-runs -n k -o none",
            "P=$(az identity create -g rg -n pg-id --query principalId -o tsv)",
            "az keyvault set-policy -n kv-runs --object-id $P --key-permissions get list wrapKey unwrapKey -o none",
            "az postgres flexible-server create -g rg -n pgfs-runs --key https://kv-runs.vault.azure.net/keys/k "
                + "--identity pg-id --public-access None -o none",
        ]
        var lines = setup
        for (down, up) in [("2030-03-01", "2030-03-05"), ("2030-08-01", "2030-08-03")] {
            lines += [
                "clock set \(down)T00:00:00Z", "az keyvault delete-policy -n kv-runs --object-id $P -o none",
                "clock set \(up)T00:00:00Z",
                "az keyvault set-policy -n kv-runs --object-id $P --key-permissions get list wrapKey unwrapKey -o none",
            ]
        }
        lines.append("clock set 2030-12-31T00:00:00Z")
        let r = try Binary.run(lines.flatMap { ["-c", $0] }, state: state)
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let audit = try JSON.parse(try kd("audit --query \"[?contains(caller, 'pgfs-runs')]\"").stdout)
        let records = audit.arrayValue ?? []
        func field(_ r: JSON, _ name: String) -> String { r[name].stringValue ?? "" }
        // Two outages: the server's failures come in two runs, and its successes in three.
        let failed = records.filter { field($0, "result") != "Success" && field($0, "operation") == "KeyGet" }
        XCTAssertEqual(failed.count, 2, "\(failed)")
        let unwraps = records.filter { field($0, "result") == "Success" && field($0, "operation") == "KeyWrap" }
        XCTAssertEqual(unwraps.count, 3, "\(unwraps)")
        for run in records {
            let (first, last) = (field(run, "firstTime"), field(run, "lastTime"))
            for other in records where field(other, "result") != field(run, "result") {
                let t = field(other, "firstTime")
                XCTAssertFalse(first < t && t < last, "\(run) spans \(other)")
            }
        }
        let firsts = records.map { field($0, "firstTime") }
        XCTAssertEqual(firsts, firsts.sorted(), "the log is in the order things happened")
    }
}
