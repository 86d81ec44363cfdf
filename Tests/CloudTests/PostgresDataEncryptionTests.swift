import Foundation
import XCTest
@testable import Cloud

/// Single Server's customer-managed key (PostgresDataEncryption.swift, PostgresKeyRequirements
/// .swift): what the key, its vault and the server's identity must be, and the periodic check
/// that makes a server Inaccessible until it is revalidated.
final class PostgresDataEncryptionTests: XCTestCase {
    var w = World.new(now: Date(timeIntervalSince1970: 1_800_000_000))
    var kid = ""

    override func setUpWithError() throws {
        try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
        var protected = VaultSettings(enableRbacAuthorization: false)
        protected.enablePurgeProtection = true
        try w.createVault(
            name: "vault1", resourceGroup: "rg", location: nil, settings: protected, selfPermissions: true)
        let (v, key) = try w.createKey(vault: "vault1", name: "k", spec: KeySpec(), caller: w.operatorCaller)
        kid = v.kid(key.name, key.current.version)
        try w.createPostgresServer(
            name: "pg1", resourceGroup: "rg",
            spec: PostgresServerSpec(administratorLogin: "cloudsa", password: "Passw0rd!x"))
    }

    func code(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "Success"
        } catch let e as CloudError { return e.code } catch { return "\(error)" }
    }

    func assignIdentityAndGrant(_ keys: [String] = ["get", "wrapKey", "unwrapKey"]) throws -> String {
        var u = PostgresServerUpdate()
        u.assignIdentity = true
        let s = try w.updatePostgresServer(name: "pg1", resourceGroup: "rg", update: u)
        let principal = try XCTUnwrap(s.principalId)
        _ = try w.setAccessPolicy(
            vault: "vault1", resourceGroup: nil, objectId: principal, applicationId: nil, keys: keys, secrets: nil,
            certificates: nil, storage: nil)
        return principal
    }

    func setKey(_ kid: String? = nil) -> String {
        code { try w.setPostgresServerKey(name: "pg1", resourceGroup: "rg", kid: kid ?? self.kid) }
    }

    func testTheServerNeedsAnIdentityWithGetWrapAndUnwrap() throws {
        XCTAssertEqual(setKey(), "ServerIdentityNotFound")
        _ = try assignIdentityAndGrant(["get", "wrapKey"])
        XCTAssertEqual(setKey(), "AzureKeyVaultMissingPermissions")
        XCTAssertEqual(w.postgresServers["pg1"]?.encryption.serverKey, nil, "nothing changes on a refusal")
        _ = try assignIdentityAndGrant()
        XCTAssertEqual(setKey(), "Success")
        XCTAssertEqual(w.postgresServers["pg1"]?.userVisibleState, "Ready")
    }

    func testTheVaultNeedsPurgeProtectionAndTheKeyMustBeRSA2048() throws {
        try w.createVault(
            name: "vault2", resourceGroup: "rg", location: nil, settings: VaultSettings(enableRbacAuthorization: false),
            selfPermissions: true)
        let (v2, k2) = try w.createKey(vault: "vault2", name: "k", spec: KeySpec(), caller: w.operatorCaller)
        _ = try assignIdentityAndGrant()
        XCTAssertEqual(setKey(v2.kid(k2.name, k2.current.version)), "AzureKeyVaultPurgeProtectionDisabled")
        var big = KeySpec()
        big.size = 3072
        let (v, k3) = try w.createKey(vault: "vault1", name: "big", spec: big, caller: w.operatorCaller)
        XCTAssertEqual(setKey(v.kid(k3.name, k3.current.version)), "AzureKeyVaultUnsupportedKey")
        XCTAssertEqual(setKey("https://vault1.vault.azure.net/keys/k"), "InvalidKeyIdentifier", "versionless")
    }

    func testLosingTheKeyMakesTheServerInaccessibleUntilRevalidated() throws {
        _ = try assignIdentityAndGrant()
        XCTAssertEqual(setKey(), "Success")
        var off = KeyAttributesUpdate()
        off.enabled = false
        _ = try w.updateKey(vault: "vault1", name: "k", version: nil, update: off, caller: w.operatorCaller)
        try w.advanceClock(by: w.settings.postgresKeyCheckSeconds - 1)
        XCTAssertEqual(w.postgresServers["pg1"]?.userVisibleState, "Ready", "not before the check falls due")
        try w.advanceClock(by: 1)
        XCTAssertEqual(w.postgresServers["pg1"]?.userVisibleState, "Inaccessible")
        var on = KeyAttributesUpdate()
        on.enabled = true
        _ = try w.updateKey(vault: "vault1", name: "k", version: nil, update: on, caller: w.operatorCaller)
        try w.advanceClock(by: w.settings.postgresKeyCheckSeconds * 3)
        XCTAssertEqual(w.postgresServers["pg1"]?.userVisibleState, "Inaccessible", "Single Server does not heal")
        XCTAssertEqual(setKey(), "Success", "revalidating is setting the same key again")
        XCTAssertEqual(w.postgresServers["pg1"]?.userVisibleState, "Ready")
    }
}
