import Foundation
import XCTest
import Cloud
@testable import Shell

final class CompleterTests: XCTestCase {
    func world() throws -> World {
        var w = World.new(now: Date(timeIntervalSince1970: 1_800_000_000))
        try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
        _ = try w.createVault(
            name: "contoso-vault", resourceGroup: "rg", location: nil,
            settings: VaultSettings(enableRbacAuthorization: false), selfPermissions: true)
        _ = try w.createKey(vault: "contoso-vault", name: "pg-key", spec: KeySpec(), caller: w.operatorCaller)
        try w.createPostgresServer(
            name: "pg-one", resourceGroup: "rg",
            spec: PostgresServerSpec(administratorLogin: "cloudsa", password: "Passw0rd!x"))
        return w
    }

    func testGroupsCommandsOptionsChoicesAndLiveNames() throws {
        let c = Completer(world: try world())
        XCTAssertEqual(c.complete("az keyv").candidates, ["keyvault"])
        XCTAssertTrue(c.complete("").candidates.contains("az"))
        XCTAssertTrue(c.complete("wor").candidates == ["workload"])
        XCTAssertEqual(c.complete("az keyvault key cr").candidates, ["create"])
        XCTAssertTrue(c.complete("az keyvault key create --vault").candidates.contains("--vault-name"))
        XCTAssertEqual(c.complete("az keyvault key create --kty E").candidates, ["EC", "EC-HSM"])
        XCTAssertEqual(c.complete("az keyvault key show --vault-name con").candidates, ["contoso-vault"])
        XCTAssertEqual(c.complete("az keyvault key show --vault-name contoso-vault -n p").candidates, ["pg-key"])
        XCTAssertEqual(c.complete("az postgres server key create -g r").candidates, ["rg"])
        XCTAssertEqual(c.complete("az postgres server show -g rg -n pg").candidates, ["pg-one"])
        XCTAssertEqual(
            c.complete("az postgres server key create --kid https://contoso-vault.vault.azure.net/keys/pg-key/")
                .candidates.count, 1)
        XCTAssertEqual(c.complete("frobnicate ").candidates, [])
    }

    func testOnlyWhatKeydrillRunsIsOffered() throws {
        let c = Completer(world: try world())
        let top = c.complete("az ").candidates
        XCTAssertTrue(top.contains("keyvault"))
        for own in ["audit", "portal", "workload"] { XCTAssertFalse(top.contains(own), "az \(own) is not az's") }
        let options = c.complete("az keyvault create --").candidates
        XCTAssertTrue(options.contains("--enable-purge-protection"))
        XCTAssertFalse(options.contains("--change-reference"), "refused as not emulated, so not offered")
    }

    func testUsageHintOnlyForACompleteCommand() {
        XCTAssertEqual(
            Completer.usageHint("az group create "),
            "az group create --location LOCATION --name RG_NAME [--managed-by] [--tags] — "
                + "Create a new resource group.")
        XCTAssertNil(Completer.usageHint("az group "))
        XCTAssertNil(Completer.usageHint("az group create -n x "))
    }

    func testPasswordsAreRedactedAndOtherDashPOptionsAreNot() {
        XCTAssertEqual(
            HistoryRedaction.redact("az postgres server create -g rg -n pg -u a -p S3cret!x --sku-name GP_Gen5_2"),
            "az postgres server create -g rg -n pg -u a -p ******** --sku-name GP_Gen5_2")
        XCTAssertEqual(
            HistoryRedaction.redact("az postgres server update -g rg -n pg --admin-password=S3cret!x"),
            "az postgres server update -g rg -n pg --admin-password=********")
        XCTAssertEqual(
            HistoryRedaction.redact("az keyvault key create --vault-name v -n k -p software"),
            "az keyvault key create --vault-name v -n k -p software")
    }
}
