import Foundation
import XCTest
@testable import Cloud

final class RotationPolicyTests: XCTestCase {
    typealias Action = RotationPolicy.LifetimeAction

    func world() throws -> World {
        var w = World.new(now: Date(timeIntervalSince1970: 1_800_000_000), seed: 3)
        try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
        _ = try w.createVault(
            name: "kv1", resourceGroup: "rg", location: nil, settings: VaultSettings(enableRbacAuthorization: false),
            selfPermissions: true)
        _ = try w.createKey(vault: "kv1", name: "key1", spec: KeySpec(), caller: w.operatorCaller)
        return w
    }

    func policy(_ actions: [Action], expiry: String?) -> RotationPolicy {
        RotationPolicy(lifetimeActions: actions, expiryTime: expiry, createdOn: nil, updatedOn: nil)
    }

    func testValidationFollowsKeyVaultsMinimums() {
        let refused: [(RotationPolicy, String)] = [
            (
                policy([Action(action: "Rotate", timeAfterCreate: "P6D", timeBeforeExpiry: nil)], expiry: nil),
                "minimum of 7 days"
            ),
            (policy([], expiry: "P27D"), "minimum of 28 days"),
            (
                policy([Action(action: "Notify", timeAfterCreate: nil, timeBeforeExpiry: "P30D")], expiry: nil),
                "needs an expiryTime"
            ),
            (
                policy([Action(action: "Rotate", timeAfterCreate: "P60D", timeBeforeExpiry: nil)], expiry: "P60D"),
                "at least 7 days before the expiryTime"
            ),
            (
                policy([Action(action: "Rotate", timeAfterCreate: "P30D", timeBeforeExpiry: "P30D")], expiry: "P1Y"),
                "exactly one trigger"
            ),
            (
                policy([Action(action: "Delete", timeAfterCreate: "P30D", timeBeforeExpiry: nil)], expiry: nil),
                "Rotate or Notify"
            ),
            (
                policy(
                    [
                        Action(action: "Rotate", timeAfterCreate: "P30D", timeBeforeExpiry: nil),
                        Action(action: "Rotate", timeAfterCreate: "P40D", timeBeforeExpiry: nil),
                    ], expiry: nil), "only one Rotate"
            ),
            (
                policy([Action(action: "Rotate", timeAfterCreate: "30 days", timeBeforeExpiry: nil)], expiry: nil),
                "ISO 8601"
            ),
        ]
        for (p, text) in refused {
            XCTAssertThrowsError(try p.validate(), text) {
                XCTAssertTrue(($0 as! CloudError).message.contains(text), "\($0)")
            }
        }
        XCTAssertNoThrow(
            try policy(
                [
                    Action(action: "Rotate", timeAfterCreate: "P7D", timeBeforeExpiry: nil),
                    Action(action: "Notify", timeAfterCreate: nil, timeBeforeExpiry: "P30D"),
                ], expiry: "P2Y"
            ).validate())
    }

    func testRotateActionFiresOnTheClockWithThePolicysExpiry() throws {
        var w = try world()
        let first = w.vaults["kv1"]!.keys["key1"]!.current
        _ = try w.setRotationPolicy(
            vault: "kv1", name: "key1",
            policy: policy([Action(action: "Rotate", timeAfterCreate: "P30D", timeBeforeExpiry: nil)], expiry: "P90D"),
            caller: w.operatorCaller)
        try w.advanceClock(by: 30 * 86400 - 1)
        XCTAssertEqual(w.vaults["kv1"]!.keys["key1"]!.versions.count, 1)
        try w.advanceClock(by: 1 + 59 * 86400)
        let versions = w.vaults["kv1"]!.keys["key1"]!.versions
        XCTAssertEqual(versions.count, 3, "rotated at day 30 and again 30 days after that version")
        XCTAssertNil(versions[0].expires, "existing versions keep their attributes")
        XCTAssertEqual(versions[1].created, first.created.addingTimeInterval(30 * 86400))
        XCTAssertEqual(versions[1].expires, versions[1].created.addingTimeInterval(90 * 86400))
        XCTAssertEqual(versions[1].material.keySize, 2048)
        let rotations = w.audit.filter { $0.operation == "KeyRotate" }
        XCTAssertEqual(
            rotations.map(\.caller), ["Azure Key Vault (rotation policy)", "Azure Key Vault (rotation policy)"])
    }

    func testNotifyFiresOncePerVersionBeforeExpiry() throws {
        var w = try world()
        _ = try w.setRotationPolicy(
            vault: "kv1", name: "key1",
            policy: policy([Action(action: "Notify", timeAfterCreate: nil, timeBeforeExpiry: "P10D")], expiry: "P60D"),
            caller: w.operatorCaller)
        XCTAssertTrue(w.scheduler.events.isEmpty, "no expiry on the current version: nothing to notify about")
        var update = KeyAttributesUpdate()
        update.expires = w.now.addingTimeInterval(40 * 86400)
        _ = try w.updateKey(vault: "kv1", name: "key1", version: nil, update: update, caller: w.operatorCaller)
        try w.advanceClock(by: 29 * 86400)
        XCTAssertFalse(w.audit.contains { $0.operation == "KeyNearExpiryEventGridNotification" })
        try w.advanceClock(by: 5 * 86400)
        try w.advanceClock(by: 5 * 86400)
        XCTAssertEqual(w.audit.filter { $0.operation == "KeyNearExpiryEventGridNotification" }.count, 1)
    }

    func testPolicyRotationStopsWhileTheKeyIsDeletedAndResumesOnRecover() throws {
        var w = try world()
        _ = try w.setRotationPolicy(
            vault: "kv1", name: "key1",
            policy: policy([Action(action: "Rotate", timeAfterCreate: "P10D", timeBeforeExpiry: nil)], expiry: nil),
            caller: w.operatorCaller)
        _ = try w.deleteKey(vault: "kv1", name: "key1", caller: w.operatorCaller)
        try w.advanceClock(by: 20 * 86400)
        _ = try w.recoverKey(vault: "kv1", name: "key1", caller: w.operatorCaller)
        XCTAssertEqual(w.vaults["kv1"]!.keys["key1"]!.versions.count, 1)
        try w.advanceClock(by: 1)
        XCTAssertEqual(
            w.vaults["kv1"]!.keys["key1"]!.versions.count, 2, "an overdue rotation runs at the clock's next move")
        _ = try w.getRotationPolicy(vault: "kv1", name: "key1", caller: w.operatorCaller)
    }
}
