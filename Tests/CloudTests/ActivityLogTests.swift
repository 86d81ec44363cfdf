import Foundation
import XCTest

@testable import Cloud

/// The activity log's rules: a state is recorded once per change, dated when time alone brought
/// it about, a gone resource is Deleted (Purged after soft delete), and a scoped observation
/// (one key check) never declares the others gone.
final class ActivityLogTests: XCTestCase {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func state(_ s: String, since: Date? = nil, dueFrom: [String] = []) -> ObservedState {
        ObservedState(type: ResourceType.key, state: s, since: since, dueFrom: dueFrom)
    }

    func testAStateIsRecordedOncePerChange() {
        var log = ActivityLog()
        log.observe(["k": state(KeyState.enabled)], now: Self.t0)
        log.observe(["k": state(KeyState.enabled)], now: Self.t0.addingTimeInterval(60))
        log.observe(["k": state(KeyState.disabled)], now: Self.t0.addingTimeInterval(120))
        XCTAssertEqual(log.events.map(\.state), [KeyState.enabled, KeyState.disabled])
        XCTAssertEqual(log.events.map(\.previous), [nil, KeyState.enabled])
        XCTAssertEqual(log.events.last?.time, Self.t0.addingTimeInterval(120))
    }

    /// Copies share their events (a command's copy of the world must not copy every event), yet
    /// each is a value: it sees only what it appended, and one that falls behind goes its own way.
    func testCopiesOfALogAreValuesThatShareTheirEvents() throws {
        func change(_ n: Int) -> ActivityEvent {
            ActivityEvent(time: Self.t0.addingTimeInterval(Double(n)), kind: .change, resource: "r\(n)")
        }
        var a = ActivityLog()
        a.append(contentsOf: [change(1), change(2)])
        var b = a
        b.append(change(3))
        XCTAssertEqual(a.events.map(\.resource), ["r1", "r2"], "the original does not see the copy's event")
        XCTAssertEqual(b.events.map(\.resource), ["r1", "r2", "r3"])
        XCTAssertNotEqual(a, b)
        a.append(change(4))
        XCTAssertEqual(a.events.map(\.resource), ["r1", "r2", "r4"], "behind the end: a store of its own")
        XCTAssertEqual(b.events.map(\.resource), ["r1", "r2", "r3"])
        var c = b
        c.append(change(5))
        b.append(change(6))
        XCTAssertEqual(c.events.map(\.resource), ["r1", "r2", "r3", "r5"])
        XCTAssertEqual(b.events.map(\.resource), ["r1", "r2", "r3", "r6"])
        let back = try JSONDecoder().decode(ActivityLog.self, from: JSONEncoder().encode(c))
        XCTAssertEqual(back, c, "equal by content, whatever stores hold them")
        XCTAssertEqual(Array(back.events(since: 3)).map(\.resource), ["r5"])
    }

    func testAnExpiryIsDatedWhenItFellDueOnlyFromAStateTimeAloneLeavesIt() {
        let exp = Self.t0.addingTimeInterval(3600)
        var log = ActivityLog()
        log.observe(["k": state(KeyState.enabled)], now: Self.t0)
        log.observe(
            ["k": state(KeyState.expired, since: exp, dueFrom: [KeyState.enabled])], now: exp.addingTimeInterval(86400))
        XCTAssertEqual(log.events.last?.time, exp, "expired at its exp, not when next seen")
        // Enabling a key that is past its expiry makes it Expired now: a change, not time.
        var other = ActivityLog()
        other.observe(["k": state(KeyState.disabled)], now: Self.t0)
        let later = exp.addingTimeInterval(86400)
        other.observe(["k": state(KeyState.expired, since: exp, dueFrom: [KeyState.enabled])], now: later)
        XCTAssertEqual(other.events.last?.time, later)
    }

    func testGoneIsDeletedAndAfterSoftDeletePurged() {
        var log = ActivityLog()
        log.observe(["a": state(KeyState.enabled), "b": state(ObservedState.softDeleted)], now: Self.t0)
        log.observe([:], now: Self.t0.addingTimeInterval(10))
        let last = Dictionary(log.events.suffix(2).map { ($0.resource, $0.state) }) { a, _ in a }
        XCTAssertEqual(last["a"], ObservedState.deleted)
        XCTAssertEqual(last["b"], ObservedState.purged)
        XCTAssertTrue(log.states.isEmpty)
    }

    func testAScopedObservationLeavesTheOthersAlone() {
        var log = ActivityLog()
        log.observe(["a": state(KeyState.enabled), "b": state(KeyState.enabled)], now: Self.t0)
        log.observe(["a": state(KeyState.disabled)], now: Self.t0.addingTimeInterval(5), scope: ["a"])
        XCTAssertEqual(log.states["b"]?.state, KeyState.enabled)
        XCTAssertEqual(log.events.count, 3)
    }

    /// Through the world: a key that expires between two commands, and a consumer's loss at the
    /// key check that found it, each dated when it happened.
    /// A Single Server on a key of vault `kvact` (purge protection on), its identity granted.
    static func serverOnKey(expires: Date?) throws -> World {
        var w = World.new(now: t0)
        try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
        var settings = VaultSettings(enableRbacAuthorization: false)
        settings.enablePurgeProtection = true
        try w.createVault(name: "kvact", resourceGroup: "rg", location: nil, settings: settings, selfPermissions: true)
        var spec = KeySpec()
        spec.expires = expires
        let (v, k) = try w.createKey(vault: "kvact", name: "k", spec: spec, caller: w.operatorCaller)
        try w.createPostgresServer(
            name: "pg-act", resourceGroup: "rg",
            spec: PostgresServerSpec(administratorLogin: "cloudsa", password: "Passw0rd!x"))
        var u = PostgresServerUpdate()
        u.assignIdentity = true
        let principal = try XCTUnwrap(
            try w.updatePostgresServer(name: "pg-act", resourceGroup: "rg", update: u).principalId)
        _ = try w.setAccessPolicy(
            vault: "kvact", resourceGroup: nil, objectId: principal, applicationId: nil,
            keys: ["get", "wrapKey", "unwrapKey"], secrets: nil, certificates: nil, storage: nil)
        _ = try w.setPostgresServerKey(name: "pg-act", resourceGroup: "rg", kid: v.kid(k.name, k.current.version))
        return w
    }

    func testTheWorldDatesAKeysExpiryAndTheServersLossAtItsCheck() throws {
        let exp = Self.t0.addingTimeInterval(3 * 3600 + 17)
        var w = try Self.serverOnKey(expires: exp)
        let v = try w.vault("kvact")
        w.observeStates()
        try w.advanceClock(by: 86400)
        w.observeStates()
        let key = w.activity.events.last { $0.resource == v.kid("k") }
        XCTAssertEqual(key?.state, KeyState.expired)
        XCTAssertEqual(key?.time, exp)
        let server = w.activity.events.last { $0.resourceType == ResourceType.singleServer }
        XCTAssertEqual(server?.state, ConsumerState.inaccessible)
        let check = w.settings.postgresKeyCheckSeconds
        // The first check after the expiry: a multiple of the check interval after the key was set.
        let checks = (exp.timeIntervalSince(Self.t0) / check).rounded(.up)
        XCTAssertEqual(server?.time, Self.t0.addingTimeInterval(checks * check))
    }
}
