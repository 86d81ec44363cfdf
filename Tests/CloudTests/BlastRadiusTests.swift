import Foundation
import XCTest

@testable import Cloud

/// `impact` and `simulate`: the consumer found through its key, vault and principal, its grant
/// described, and a simulated loss that changes the copy only.
final class BlastRadiusTests: XCTestCase {
    func testASingleServerIsFoundThroughItsKeyAndVaultWithItsGrant() throws {
        let w = try ActivityLogTests.serverOnKey(expires: nil)
        for loss in [LostResource.key(vault: "KVACT", name: "k"), .vault("kvact")] {
            let hit = w.impact(of: loss)
            XCTAssertEqual(hit.map { ActivityEvent.shortName($0.consumer) }, ["pg-act"], "\(loss)")
            XCTAssertEqual(hit.first?.access, "access policy: get wrapKey unwrapKey")
            XCTAssertEqual(hit.first?.noticesWithinSeconds, w.settings.postgresKeyCheckSeconds)
            XCTAssertTrue(hit.first?.recovery.contains("then revalidate") == true)
        }
        XCTAssertTrue(w.impact(of: .key(vault: "kvact", name: "other")).isEmpty)
        XCTAssertTrue(w.impact(of: .identity(resourceGroup: nil, name: "x")).isEmpty, "system-assigned only")
    }

    func testASimulatedKeyLossMakesTheServerInaccessibleInTheCopyOnly() throws {
        let w = try ActivityLogTests.serverOnKey(expires: nil)
        let sim = try w.simulate(.key(vault: "kvact", name: "k"))
        XCTAssertEqual(sim.outcomes.map(\.after), [ConsumerState.inaccessible])
        XCTAssertLessThanOrEqual(
            sim.outcomes.first?.detectedAfterSeconds ?? .infinity, w.settings.postgresKeyCheckSeconds)
        XCTAssertEqual(sim.advancedSeconds, w.settings.postgresKeyCheckSeconds + 60)
        XCTAssertEqual(w.postgresServers["pg-act"]?.userVisibleState, ConsumerState.ready)
        XCTAssertTrue(try w.vault("kvact").keys["k"]!.current.enabled)
    }
}
