import Foundation
import XCTest
@testable import Cloud

/// Service Bus Premium with customer-managed keys (ServiceBusEncryption.swift): the rules for
/// turning it on, and the poll that loses the data key after the cache runs out and finds it
/// again by itself, with every message kept sealed meanwhile.
final class ServiceBusEncryptionTests: XCTestCase {
    var w = World.new(now: Date(timeIntervalSince1970: 1_800_000_000))
    var identityID = ""

    override func setUpWithError() throws {
        try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
        var protected = VaultSettings(enableRbacAuthorization: false)
        protected.enablePurgeProtection = true
        try w.createVault(
            name: "vault1", resourceGroup: "rg", location: nil, settings: protected, selfPermissions: true)
        _ = try w.createKey(vault: "vault1", name: "k", spec: KeySpec(), caller: w.operatorCaller)
        let id = try w.createIdentity(name: "sb-id", resourceGroup: "rg", location: nil, tags: nil)
        identityID = w.identityID(id)
        _ = try w.setAccessPolicy(
            vault: "vault1", resourceGroup: nil, objectId: id.principalId, applicationId: nil,
            keys: ["get", "wrapKey", "unwrapKey"], secrets: nil, certificates: nil, storage: nil)
        var spec = ServiceBusNamespaceSpec()
        spec.sku = "Premium"
        spec.capacity = 1
        _ = try w.createServiceBusNamespace(name: "sb-one", resourceGroup: "rg", spec: spec)
        _ = try w.assignServiceBusIdentity(
            namespace: "sb-one", resourceGroup: "rg", systemAssigned: false, userAssigned: [identityID])
    }

    func entry(_ key: String = "k") -> KeyVaultProperty {
        KeyVaultProperty(
            keyName: key, keyVaultUri: "https://vault1.vault.azure.net", keyVersion: "",
            userAssignedIdentity: identityID)
    }

    func add(_ keys: [KeyVaultProperty]) -> String {
        do {
            _ = try w.addServiceBusEncryption(
                namespace: "sb-one", resourceGroup: "rg", keys: keys, requireInfrastructureEncryption: nil)
            return "Success"
        } catch let e as CloudError { return e.innerCode ?? e.code } catch { return "\(error)" }
    }

    func testOnlyAnEmptyPremiumNamespaceWithAtMostThreeKeys() throws {
        _ = try w.createServiceBusQueue(namespace: "sb-one", resourceGroup: "rg", name: "orders")
        XCTAssertEqual(add([entry()]), "BadRequest", "not on a namespace that already has queues")
        _ = try w.deleteServiceBusQueue(namespace: "sb-one", resourceGroup: "rg", name: "orders")
        for k in ["k2", "k3", "k4"] {
            _ = try w.createKey(vault: "vault1", name: k, spec: KeySpec(), caller: w.operatorCaller)
        }
        XCTAssertEqual(add([entry(), entry("k2"), entry("k3"), entry("k4")]), "BadRequest")
        XCTAssertNil(w.serviceBusNamespaces["sb-one"]?.encryption, "nothing changes on a refusal")
        XCTAssertEqual(add([entry(), entry("k2")]), "Success")
        XCTAssertEqual(add([entry("k2")]), "BadRequest", "an entry already there")
    }

    func testAKeyTheIdentityCannotUseIsRefusedWithTheCause() throws {
        var off = KeyAttributesUpdate()
        off.enabled = false
        _ = try w.updateKey(vault: "vault1", name: "k", version: nil, update: off, caller: w.operatorCaller)
        XCTAssertEqual(add([entry()]), "KeyDisabled")
    }

    func testThePollLosesTheDataKeyAfterTheCacheAndRecoversByItself() throws {
        w.settings.serviceBusKeyCacheSeconds = 3 * w.settings.serviceBusKeyPollSeconds
        XCTAssertEqual(add([entry()]), "Success")
        _ = try w.createServiceBusQueue(namespace: "sb-one", resourceGroup: "rg", name: "orders")
        try w.sendServiceBusMessages(namespace: "sb-one", resourceGroup: "rg", queue: "orders", count: 5)
        var off = KeyAttributesUpdate()
        off.enabled = false
        _ = try w.updateKey(vault: "vault1", name: "k", version: nil, update: off, caller: w.operatorCaller)
        try w.advanceClock(by: w.settings.serviceBusKeyPollSeconds)
        XCTAssertNotNil(w.serviceBusNamespaces["sb-one"]?.activeDataKey, "the cache still holds")
        try w.advanceClock(by: 2 * w.settings.serviceBusKeyPollSeconds)
        XCTAssertNil(w.serviceBusNamespaces["sb-one"]?.activeDataKey)
        XCTAssertThrowsError(
            try w.receiveServiceBusMessages(namespace: "sb-one", resourceGroup: "rg", queue: "orders", count: 5))
        var on = KeyAttributesUpdate()
        on.enabled = true
        _ = try w.updateKey(vault: "vault1", name: "k", version: nil, update: on, caller: w.operatorCaller)
        try w.advanceClock(by: w.settings.serviceBusKeyPollSeconds)
        let r = try w.receiveServiceBusMessages(namespace: "sb-one", resourceGroup: "rg", queue: "orders", count: 5)
        XCTAssertEqual(r.received, 5)
        XCTAssertTrue(r.verified)
    }
}
