import Foundation
import XCTest
@testable import Cloud

/// A vault's own rules (VaultOperations.swift): names, retention, purge protection as a one-way
/// door, soft delete and its purge date, recovery with the keys.
final class VaultLifecycleTests: XCTestCase {
    var w = World.new(now: Date(timeIntervalSince1970: 1_800_000_000))

    override func setUpWithError() throws {
        try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
    }

    func create(_ name: String, _ configure: (inout VaultSettings) -> Void = { _ in }) -> String {
        var s = VaultSettings(enableRbacAuthorization: false)
        configure(&s)
        do {
            try w.createVault(name: name, resourceGroup: "rg", location: nil, settings: s, selfPermissions: true)
            return "Success"
        } catch let e as CloudError { return e.code } catch { return "\(error)" }
    }

    func testNamesAndRetentionAreCheckedAtCreation() {
        XCTAssertEqual(create("kv"), "VaultNameNotValid", "3 to 24 characters")
        XCTAssertEqual(create("1vault"), "VaultNameNotValid", "starts with a letter")
        XCTAssertEqual(create("my--vault"), "VaultNameNotValid", "no consecutive hyphens")
        XCTAssertEqual(create("vault1") { $0.retentionDays = 6 }, "BadRequest")
        XCTAssertEqual(create("vault1") { $0.retentionDays = 91 }, "BadRequest")
        XCTAssertEqual(create("vault1") { $0.sku = "gold" }, "BadRequest")
        XCTAssertEqual(create("vault1"), "Success")
        XCTAssertEqual(w.vaults["vault1"]?.softDeleteRetentionInDays, 90)
    }

    func testPurgeProtectionCannotBeTurnedOffAndRetentionCannotChange() throws {
        XCTAssertEqual(create("vault1") { $0.enablePurgeProtection = true }, "Success")
        var off = VaultSettings()
        off.enablePurgeProtection = false
        XCTAssertThrowsError(try w.updateVault(name: "vault1", resourceGroup: nil, settings: off))
        var retention = VaultSettings()
        retention.retentionDays = 30
        XCTAssertThrowsError(try w.updateVault(name: "vault1", resourceGroup: nil, settings: retention))
        XCTAssertEqual(w.vaults["vault1"]?.purgeProtected, true)
    }

    func testADeletedVaultKeepsItsNameAndKeysUntilPurgedAndPurgeProtectionForbidsPurging() throws {
        XCTAssertEqual(create("vault1") { $0.retentionDays = 7 }, "Success")
        _ = try w.createKey(vault: "vault1", name: "k", spec: KeySpec(), caller: w.operatorCaller)
        try w.deleteVault(name: "vault1", resourceGroup: nil)
        XCTAssertEqual(create("vault1"), "ConflictError", "the name is reserved while soft-deleted")
        _ = try w.recoverVault(name: "vault1", location: nil)
        XCTAssertNotNil(w.vaults["vault1"]?.keys["k"], "recovered with its keys")
        try w.deleteVault(name: "vault1", resourceGroup: nil)
        try w.advanceClock(by: 7 * 86_400)
        XCTAssertNil(w.deletedVaults["vault1"], "purged on its scheduled purge date")
        XCTAssertEqual(create("vault1"), "Success")

        XCTAssertEqual(create("vault2") { $0.enablePurgeProtection = true }, "Success")
        try w.deleteVault(name: "vault2", resourceGroup: nil)
        XCTAssertThrowsError(try w.purgeVault(name: "vault2", location: nil)) { e in
            XCTAssertEqual((e as? CloudError)?.code, "ConflictError")
        }
    }

    func testAVaultCreatedWithoutAPermissionModelUsesRBAC() throws {
        try w.createVault(
            name: "vault3", resourceGroup: "rg", location: nil, settings: VaultSettings(), selfPermissions: false)
        XCTAssertEqual(w.vaults["vault3"]?.enableRbacAuthorization, true)
        XCTAssertEqual(w.vaults["vault3"]?.accessPolicies, [])
    }
}
