import Cloud
import Foundation
import XCTest

@testable import Runbook

/// Time to detect and recover, read off an activity log: the fault is the last access change
/// (or key state) before the loss, the fix the last change between loss and recovery, and the
/// data the first intact read-back after it.
final class DrillMeasuresTests: XCTestCase {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let server = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg"

    func at(_ minutes: Double) -> Date { Self.t0.addingTimeInterval(minutes * 60) }

    func change(_ m: Double, _ op: String) -> ActivityEvent {
        ActivityEvent(time: at(m), kind: .change, resource: "https://kv.vault.azure.net/keys/k", operation: op)
    }

    func state(
        _ m: Double, _ s: String, _ resource: String = server, type: String = ResourceType.flexibleServer
    )
        -> ActivityEvent
    {
        ActivityEvent(time: at(m), kind: .state, resource: resource, resourceType: type, state: s)
    }

    func testDetectAndRecoverFromTheFaultAndTheFix() {
        let events = [
            state(0, ConsumerState.ready), change(0, "az group create"), change(120, "az keyvault key set-attributes"),
            change(130, "az group update"), state(180, ConsumerState.inaccessible),
            change(450, "az keyvault key set-attributes"), state(480, ConsumerState.ready),
            ActivityEvent(time: at(490), kind: .data, resource: Self.server, detail: "500 rows read back intact"),
        ]
        let m = DrillMeasures.compute(events)
        XCTAssertEqual(m.count, 1)
        XCTAssertEqual(m[0].fault, "az keyvault key set-attributes (k)", "an unrelated change is not the fault")
        XCTAssertEqual(m[0].timeToDetectSeconds, 3600)
        XCTAssertEqual(m[0].fixAt, at(450))
        XCTAssertEqual(m[0].timeToRecoverSeconds, 1800)
        XCTAssertEqual(m[0].outageSeconds, 300 * 60)
        XCTAssertEqual(m[0].dataVerified, "500 rows read back intact")
    }

    func testAnExpiryIsAFaultAndALossWithoutRecoveryStaysOpen() {
        let events = [
            state(0, ConsumerState.ready),
            state(
                0, KeyState.enabled, "https://kv.vault.azure.net/keys/k",
                type: ResourceType.key),
            state(60, KeyState.expired, "https://kv.vault.azure.net/keys/k", type: ResourceType.key),
            state(70, ConsumerState.inaccessible),
        ]
        let m = DrillMeasures.compute(events)
        XCTAssertEqual(m.first?.fault, "k Expired")
        XCTAssertEqual(m.first?.timeToDetectSeconds, 600)
        XCTAssertNil(m.first?.recoveredAt)
        XCTAssertNil(m.first?.timeToRecoverSeconds)
    }

    func testACopyMadeWithoutAccessIsAFaultAtItsCreation() {
        var made = change(30, "az postgres server replica create")
        made = ActivityEvent(time: made.time, kind: .change, resource: Self.server, operation: made.operation)
        let events = [
            change(0, "az keyvault set-policy"), made, state(30, ConsumerState.inaccessible),
            ActivityEvent(
                time: at(40), kind: .change, resource: Self.server, operation: "az postgres server key create"),
            state(40, ConsumerState.ready),
        ]
        let m = DrillMeasures.compute(events)
        XCTAssertEqual(m.first?.fault, "created without access to its key: az postgres server replica create (pg)")
        XCTAssertEqual(m.first?.timeToDetectSeconds, 0)
        XCTAssertEqual(m.first?.timeToRecoverSeconds, 0)
        XCTAssertEqual(m.first?.outageSeconds, 600)
    }

    /// A key version's expiry is observed after the poll that failed on it, and dated back: it
    /// stands after the loss in the log, and is still the fault.
    func testAStateDatedBackIsTheFaultThoughLoggedAfterTheLoss() {
        let version = "https://kv.vault.azure.net/keys/k/84acc16af38f59d2ddeb004751e48c2d"
        let events = [
            state(0, ConsumerState.ready), change(10, "az keyvault key rotate"), state(120, ConsumerState.inaccessible),
            state(120, KeyState.expired, version, type: ResourceType.key),
        ]
        let m = DrillMeasures.compute(events)
        XCTAssertEqual(m.first?.fault, "k v84acc16a Expired")
        XCTAssertEqual(m.first?.timeToDetectSeconds, 0)
    }

    /// A fix made at the very instant the loss was seen (the same virtual minute) is not its fault.
    func testAChangeLoggedAfterTheLossAtTheSameInstantIsNotTheFault() {
        let events = [
            state(0, ConsumerState.active), change(0, "az keyvault delete-policy"),
            state(5, ConsumerState.inaccessible),
            change(5, "az keyvault set-policy"),
            state(5, KeyState.enabled, "https://kv.vault.azure.net/keys/k", type: ResourceType.key),
            state(10, ConsumerState.active),
        ]
        let m = DrillMeasures.compute(events)
        XCTAssertEqual(m.first?.fault, "az keyvault delete-policy (k)")
        XCTAssertEqual(m.first?.timeToDetectSeconds, 300)
        XCTAssertEqual(m.first?.fix, "az keyvault set-policy (k)")
        XCTAssertEqual(m.first?.timeToRecoverSeconds, 300)
    }

    func testSubstitutionKeepsCommandSubstitutionsAndSingleQuotes() {
        let v = ["RG": "rg1", "N": "x"]
        XCTAssertEqual(
            CommandDisplay.substitute("az group show -n $RG ${N} $(echo $RG) '$RG' $MISSING", v),
            "az group show -n rg1 x $(echo rg1) '$RG' $MISSING")
    }

    func testLongOutputKeepsTheLinesTheAssertionsRead() {
        let output = (1...40).map { "  \"f\($0)\": \($0)," }.joined(separator: "\n")
        let lines = CommandDisplay.trimmed(output, keeping: ["f30"], maxLines: 15)
        XCTAssertEqual(lines, ["… (28 lines)", "  \"f29\": 29,", "  \"f30\": 30,", "  \"f31\": 31,", "… (9 lines)"])
        XCTAssertEqual(CommandDisplay.trimmed("a\nb\n", keeping: [], maxLines: 15), ["a", "b"])
    }
}
