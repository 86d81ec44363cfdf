import Foundation
import XCTest
@testable import Cloud

/// The one access path (KeyAccess.swift): network, then permission by the vault's mode, then the
/// key's own state, and an audit record for every attempt.
final class KeyAccessTests: XCTestCase {
    var w = World.new(now: Date(timeIntervalSince1970: 1_800_000_000))
    let service = Caller(objectId: "11111111-2222-4333-8444-555555555555", name: "pg1", isTrustedService: true)

    override func setUpWithError() throws {
        try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
        try w.createVault(
            name: "vault1", resourceGroup: "rg", location: nil, settings: VaultSettings(enableRbacAuthorization: false),
            selfPermissions: true)
        _ = try w.createKey(vault: "vault1", name: "k", spec: KeySpec(), caller: w.operatorCaller)
    }

    func wrap(_ caller: Caller) -> String {
        do {
            _ = try w.cryptoOperation(
                .wrapKey, vault: "vault1", name: "k", version: nil, algorithm: "RSA-OAEP", data: Data(count: 32),
                caller: caller)
            return "Success"
        } catch let e as CloudError {
            return e.innerCode ?? e.code
        } catch { return "\(error)" }
    }

    func grant(_ keys: [String]) throws {
        _ = try w.setAccessPolicy(
            vault: "vault1", resourceGroup: nil, objectId: service.objectId, applicationId: nil, keys: keys,
            secrets: nil, certificates: nil, storage: nil)
    }

    func testAccessPoliciesGrantByPermissionAndAllNeverGrantsPurge() throws {
        XCTAssertEqual(wrap(service), "AccessDenied")
        try grant(["get", "unwrapKey"])
        XCTAssertEqual(wrap(service), "AccessDenied", "wrapKey is its own permission")
        try grant(["get", "wrapKey", "unwrapKey"])
        XCTAssertEqual(wrap(service), "Success")
        try grant(["all"])
        XCTAssertEqual(wrap(service), "Success")
        _ = try w.deleteKey(vault: "vault1", name: "k", caller: w.operatorCaller)
        try grant(["all"])
        XCTAssertThrowsError(try w.purgeKey(vault: "vault1", name: "k", caller: service)) { e in
            XCTAssertEqual((e as? CloudError)?.innerCode, "AccessDenied")
        }
    }

    func testEveryAttemptIsAuditedWithItsOutcome() throws {
        let before = w.audit.count
        XCTAssertEqual(wrap(service), "AccessDenied")
        try grant(["wrapKey"])
        XCTAssertEqual(wrap(service), "Success")
        let records = w.audit[before...].map { "\($0.operation) \($0.principal == service.objectId) \($0.result)" }
        XCTAssertEqual(records, ["KeyWrap true AccessDenied", "KeyWrap true Success"])
    }

    func testTheFirewallLetsTrustedServicesAndAllowedAddressesThrough() throws {
        try grant(["wrapKey"])
        var deny = VaultSettings()
        deny.defaultAction = "Deny"
        _ = try w.updateVault(name: "vault1", resourceGroup: nil, settings: deny)
        XCTAssertEqual(wrap(service), "Success", "bypass AzureServices is the default")
        XCTAssertEqual(wrap(w.operatorCaller), "ForbiddenByFirewall")
        _ = try w.addNetworkRules(
            vault: "vault1", resourceGroup: nil, ipRules: [w.settings.operatorAddress], subnets: [])
        XCTAssertEqual(wrap(w.operatorCaller), "Success")
        var noBypass = VaultSettings()
        noBypass.bypass = "None"
        _ = try w.updateVault(name: "vault1", resourceGroup: nil, settings: noBypass)
        XCTAssertEqual(wrap(service), "ForbiddenByFirewall")
        var closed = VaultSettings()
        closed.publicNetworkAccess = "Disabled"
        closed.bypass = "AzureServices"
        _ = try w.updateVault(name: "vault1", resourceGroup: nil, settings: closed)
        XCTAssertEqual(wrap(w.operatorCaller), "ForbiddenByConnection")
        XCTAssertEqual(wrap(service), "Success")
    }

    func testTheKeysOwnStateDisabledDatesAndOperations() throws {
        try grant(["wrapKey", "unwrapKey"])
        var off = KeyAttributesUpdate()
        off.enabled = false
        _ = try w.updateKey(vault: "vault1", name: "k", version: nil, update: off, caller: w.operatorCaller)
        XCTAssertEqual(wrap(service), "KeyDisabled")
        var on = KeyAttributesUpdate()
        on.enabled = true
        on.expires = w.now.addingTimeInterval(60)
        _ = try w.updateKey(vault: "vault1", name: "k", version: nil, update: on, caller: w.operatorCaller)
        XCTAssertEqual(wrap(service), "Success")
        let sealed = try w.cryptoOperation(
            .wrapKey, vault: "vault1", name: "k", version: nil, algorithm: "RSA-OAEP", data: Data(count: 32),
            caller: service)
        try w.advanceClock(by: 60)
        XCTAssertEqual(wrap(service), "KeyExpired", "expiry is inclusive: at exp the key is expired")
        // Unwrapping stays allowed after expiry, so data sealed earlier can be read back.
        XCTAssertNoThrow(
            try w.cryptoOperation(
                .unwrapKey, vault: "vault1", name: "k", version: nil, algorithm: "RSA-OAEP", data: sealed.result,
                caller: service))
        var ops = KeyAttributesUpdate()
        ops.expires = w.now.addingTimeInterval(3600)
        ops.keyOps = ["unwrapKey"]
        _ = try w.updateKey(vault: "vault1", name: "k", version: nil, update: ops, caller: w.operatorCaller)
        XCTAssertEqual(wrap(service), "OperationNotAllowed")
    }

    func testAnRBACVaultAsksForARoleNotAPolicy() throws {
        var rbac = VaultSettings()
        rbac.enableRbacAuthorization = true
        try w.createVault(name: "vault2", resourceGroup: "rg", location: nil, settings: rbac, selfPermissions: false)
        func get() -> String {
            do {
                _ = try w.getKey(vault: "vault2", name: "x", version: nil, caller: w.operatorCaller)
                return "Success"
            } catch let e as CloudError { return e.innerCode ?? e.code } catch { return "\(error)" }
        }
        XCTAssertEqual(get(), "ForbiddenByRbac")
        _ = try w.setAccessPolicy(
            vault: "vault2", resourceGroup: nil, objectId: w.operatorCaller.objectId, applicationId: nil, keys: ["all"],
            secrets: nil, certificates: nil, storage: nil)
        XCTAssertEqual(get(), "ForbiddenByRbac", "policies do not count on an RBAC vault")
        try w.createRoleAssignment(
            principalId: w.operatorCaller.objectId, principalType: "User", role: "Key Vault Crypto Officer",
            scope: w.vaultID(try w.vault("vault2")), name: nil)
        try w.advanceClock(by: 3600)
        XCTAssertEqual(get(), "KeyNotFound", "past the permission check")
    }

    func testIPRulesMatchAddressesAndRanges() {
        XCTAssertTrue(IPRange.contains("203.0.113.0/24", "203.0.113.77"))
        XCTAssertFalse(IPRange.contains("203.0.113.0/24", "203.0.114.1"))
        XCTAssertTrue(IPRange.contains("0.0.0.0/0", "8.8.8.8"))
        XCTAssertTrue(IPRange.contains("198.51.100.7/32", "198.51.100.7"))
        XCTAssertFalse(IPRange.contains("198.51.100.7", "198.51.100.8"))
        XCTAssertFalse(IPRange.contains("bogus", "1.2.3.4"))
    }
}
