import Foundation
import XCTest
@testable import Cloud

/// keydrill's own bounds (`Limits`) and the rules that read them.
final class LimitsTests: XCTestCase {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func testTheClockStopsAtTheLastTimeISO8601CanWrite() throws {
        var w = World.new(now: t0)
        XCTAssertThrowsError(try w.advanceClock(by: 8.64e21)) {
            XCTAssertEqual(($0 as? CloudError)?.code, "InvalidClockChange")
        }
        XCTAssertThrowsError(try w.setClock(to: Limits.latestTime.addingTimeInterval(1)))
        XCTAssertEqual(w.now, t0, "a refused move changes nothing")
        try w.setClock(to: Limits.latestTime)
        XCTAssertEqual(AzDate.plain(w.now), "9999-12-31T23:59:59Z")
    }

    func testRepeatingTimingsCannotBeZero() {
        XCTAssertFalse(WorldSettings.range(of: "postgresKeyCheckSeconds")!.contains(0))
        XCTAssertFalse(WorldSettings.range(of: "serviceBusKeyPollSeconds")!.contains(0.5))
        XCTAssertTrue(WorldSettings.range(of: "serviceBusKeyCacheSeconds")!.contains(0))
        XCTAssertNil(WorldSettings.range(of: "operatorAddress"))
        // Every numeric setting has a range.
        let names = [
            "resourceGroupDeletionSeconds", "roleAssignmentPropagationSeconds", "postgresKeyCheckSeconds",
            "serviceBusKeyPollSeconds", "serviceBusKeyCacheSeconds", "serviceBusGeoDRSettleSeconds",
        ]
        for n in names { XCTAssertNotNil(WorldSettings.range(of: n), n) }
    }

    func testPremiumCapacityIsOneOfTheMessagingUnitSizes() throws {
        XCTAssertNoThrow(try ServiceBusRules.validateCapacity(16, sku: "Premium"))
        XCTAssertNoThrow(try ServiceBusRules.validateCapacity(nil, sku: "Standard"))
        XCTAssertThrowsError(try ServiceBusRules.validateCapacity(3, sku: "Premium"))
        XCTAssertThrowsError(try ServiceBusRules.validateCapacity(Int.max, sku: "Premium"))
        XCTAssertThrowsError(try ServiceBusRules.validateCapacity(1, sku: "Standard"))
    }

    func testDurationsOfAnySizeDescribeWithoutTrapping() {
        XCTAssertEqual(AzDuration.describe(5400), "1h30m")
        XCTAssertEqual(AzDuration.describe(8.64e21), "8640000000000000000000s")
        XCTAssertEqual(AzDuration.describe(.infinity), "infs")
    }
}

/// Time acceleration (`clockRate`): the virtual clock follows the wall clock between commands.
final class WallClockTests: XCTestCase {
    func testTheClockFollowsTheWallClockAtTheRateAndOnlyWhenOn() throws {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        var w = World.new(now: t0)
        let wall = Date(timeIntervalSince1970: 5_000)
        try w.followWallClock(now: wall, rate: 600)
        XCTAssertEqual(w.now, t0, "the first command only sets the anchor")
        try w.followWallClock(now: wall.addingTimeInterval(1.5), rate: 600)
        XCTAssertEqual(w.now, t0.addingTimeInterval(900))
        try w.followWallClock(now: wall.addingTimeInterval(9), rate: 0)
        XCTAssertNil(w.wallAnchor, "off drops the anchor")
        XCTAssertEqual(w.now, t0.addingTimeInterval(900))
    }
}
