import Foundation
import XCTest
import JMESPath

final class IdentityAndAuditEndToEndTests: XCTestCase {
    var state: String!
    override func setUp() { state = Binary.tempDir() }
    override func tearDown() { try? FileManager.default.removeItem(atPath: state) }

    func kd(_ lines: String...) throws -> Binary.Result {
        try Binary.run(lines.flatMap { ["-c", $0] }, state: state)
    }

    func testUserAssignedIdentityLifecycle() throws {
        let created = try JSON.parse(try kd("az group create -n rg -l westus -o none", "az identity create -n uai1 -g rg --tags team=sre").stdout)
        XCTAssertEqual(created["type"], "Microsoft.ManagedIdentity/userAssignedIdentities")
        XCTAssertEqual(created["tags"], ["team": "sre"])
        XCTAssertTrue(created["id"].stringValue!.contains("/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai1"))
        let again = try JSON.parse(try kd("az identity create -n uai1 -g rg").stdout)
        XCTAssertEqual(again["principalId"], created["principalId"], "a re-create keeps the principal")
        XCTAssertNotEqual(created["principalId"], created["clientId"])
        XCTAssertEqual(try kd("az identity show -n uai1").stderr, "ERROR: InvalidArgumentValue: Missing required field: --resource-group\n")
        XCTAssertEqual(try kd("az identity delete -n uai1 -g rg", "az identity list -g rg").stdout, "[]\n")
        XCTAssertEqual(try kd("az identity show -n uai1 -g rg").exitCode, 3)
        let recreated = try JSON.parse(try kd("az identity create -n uai1 -g rg").stdout)
        XCTAssertNotEqual(recreated["principalId"], created["principalId"], "a new identity is a new principal")
    }

    func testAuditRecordsEveryKeyOperationWithFilters() throws {
        _ = try kd("az group create -n rg -l westus -o none", "az keyvault create -n kv1 -g rg -o none", "az keyvault create -n kv2 -g rg -o none",
                   "az keyvault key create --vault-name kv1 -n k1 -o none", "az keyvault key create --vault-name kv2 -n k2 -o none")
        _ = try kd("az keyvault key show --vault-name kv1 -n missing")
        let all = try JSON.parse(try kd("audit").stdout)
        XCTAssertEqual(all.arrayValue?.map { $0["operation"].stringValue! }, ["KeyCreate", "KeyCreate", "KeyGet"])
        XCTAssertEqual(all[2]["result"], "KeyNotFound")
        XCTAssertEqual(Set(all[0].objectValue!.keys), ["time", "vault", "key", "version", "operation", "principal", "caller", "result"])
        XCTAssertEqual(try kd("audit --vault-name kv2 --query \"[].key\" -o tsv").stdout, "k2\n")
        XCTAssertEqual(try kd("audit --since 2999-01-01").stdout, "[]\n")
        XCTAssertEqual(try kd("az audit").exitCode, 2, "keydrill's own commands are not az commands")
        XCTAssertTrue(try kd("audit -o table").stdout.hasPrefix("Caller"))
    }
}
