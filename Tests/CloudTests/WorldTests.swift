import Foundation
import XCTest
@testable import Cloud

final class WorldTests: XCTestCase {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000.6)

    func testIdsAreDeterministicPerSeedAndShapedLikeAzure() {
        var a = World.new(now: t0, seed: 7)
        var b = World.new(now: t0, seed: 7)
        let c = World.new(now: t0, seed: 8)
        XCTAssertEqual(a.subscription, b.subscription)
        XCTAssertNotEqual(a.subscription.id, c.subscription.id)
        let g = a.ids.guid()
        XCTAssertEqual(g, b.ids.guid())
        XCTAssertNotNil(g.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/))
        XCTAssertNotNil(a.ids.hex32().wholeMatch(of: /[0-9a-f]{32}/))
        XCTAssertEqual(a.now.timeIntervalSince1970, 1_800_000_000, "a new world starts on a whole second")
    }

    func testSchedulerRunsEventsInTimeOrderAsTheClockMoves() throws {
        var w = World.new(now: t0)
        try w.createResourceGroup(name: "a", location: "westus", tags: nil, managedBy: nil)
        try w.createResourceGroup(name: "b", location: "westus", tags: nil, managedBy: nil)
        w.settings.resourceGroupDeletionSeconds = 120
        try w.deleteResourceGroup(name: "b", wait: false)
        try w.advanceClock(by: 60)
        w.settings.resourceGroupDeletionSeconds = 30
        try w.deleteResourceGroup(name: "a", wait: false)
        XCTAssertEqual(
            w.scheduler.events.map(\.action),
            [.completeResourceGroupDeletion(name: "a"), .completeResourceGroupDeletion(name: "b")])
        try w.advanceClock(by: 30)
        XCTAssertNil(w.resourceGroups["a"])
        XCTAssertEqual(w.resourceGroups["b"]?.provisioningState, "Deleting")
        try w.advanceClock(by: 30)
        XCTAssertNil(w.resourceGroups["b"])
        XCTAssertThrowsError(try w.setClock(to: t0))
    }

    func testResourceGroupRules() throws {
        var w = World.new(now: t0)
        let g = try w.createResourceGroup(name: "MyRG", location: "West US 2", tags: nil, managedBy: nil)
        XCTAssertEqual(g.location, "westus2")
        XCTAssertEqual(try w.resourceGroup("myrg").name, "MyRG", "names are case-insensitive, case kept")
        XCTAssertThrowsError(try w.createResourceGroup(name: "myrg", location: "eastus", tags: nil, managedBy: nil)) {
            e in
            XCTAssertEqual((e as? CloudError)?.code, "InvalidResourceGroupLocation")
        }
        XCTAssertThrowsError(try w.createResourceGroup(name: "x", location: "mars", tags: nil, managedBy: nil)) { e in
            XCTAssertEqual((e as? CloudError)?.code, "LocationNotAvailableForResourceGroup")
        }
        XCTAssertThrowsError(try w.createResourceGroup(name: "bad name", location: "westus", tags: nil, managedBy: nil))
        XCTAssertThrowsError(try w.resourceGroup("nope")) { e in XCTAssertEqual((e as? CloudError)?.status, 404) }
    }

    func testDatesAndDurationsAsAzureWritesThem() {
        XCTAssertEqual(AzDate.sdk(Date(timeIntervalSince1970: 1_767_225_600)), "2026-01-01T00:00:00+00:00")
        XCTAssertEqual(AzDate.sdk(Date(timeIntervalSince1970: 1_767_226_200.68)), "2026-01-01T00:10:00.680000+00:00")
        XCTAssertEqual(AzDate.parseUserDate("2029-01-01").map(AzDate.sdk), "2029-01-01T00:00:00+00:00")
        XCTAssertNil(AzDate.parseUserDate("tomorrow"))
        XCTAssertNil(AzDate.parseUserDate("2029-02-30"))
        XCTAssertEqual(AzDuration.seconds("P90D"), 90 * 86400)
        XCTAssertEqual(AzDuration.seconds("PT1M"), 60)
        XCTAssertEqual(AzDuration.seconds("1d2h"), 93600)
        XCTAssertNil(AzDuration.seconds("60"))
        XCTAssertEqual(World.parseClockDuration("1h30m"), 5400)
        XCTAssertNil(World.parseClockDuration("5x"))
    }

    func testIdsCompareWithoutRegardToCase() {
        XCTAssertTrue("AbC-12f".equalsIgnoringCase("aBc-12F"))
        XCTAssertFalse("abc".equalsIgnoringCase("abd"))
        XCTAssertFalse("abc".equalsIgnoringCase("abcd"))
        XCTAssertFalse("@".equalsIgnoringCase("`"), "only letters fold: '@' | 0x20 is '`'")
        XCTAssertFalse("[".equalsIgnoringCase("{"))
        XCTAssertTrue("ÉTÉ".equalsIgnoringCase("été"), "beyond ASCII, as lowercased() compares")
    }

    func testResourceIDParts() {
        let p = ResourceID.parts("/SUBSCRIPTIONS/s/RESOURCEGROUPS/rg1/PROVIDERS/microsoft.keyvault/VAULTS/v1")
        XCTAssertEqual(p?["resource_group"], "rg1")
        XCTAssertEqual(p?["name"], "v1")
        XCTAssertNil(ResourceID.parts("garbage"))
    }
}
