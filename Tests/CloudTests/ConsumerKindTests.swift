import XCTest

@testable import Cloud

/// The one declaration per consumer kind: every consumer type has one, and what reads it (states,
/// lookup, resource-group deletion, game-day harm) sees every kind.
final class ConsumerKindTests: XCTestCase {
    func world() throws -> World {
        var w = World.new(now: Date(timeIntervalSince1970: 1_800_000_000))
        try w.createResourceGroup(name: "rg", location: "eastus", tags: nil, managedBy: nil)
        try w.createPostgresServer(
            name: "pg-single", resourceGroup: "rg",
            spec: PostgresServerSpec(administratorLogin: "cloudsa", password: "Passw0rd!x"))
        try w.createFlexibleServer(
            name: "pg-flexible", resourceGroup: "rg",
            spec: FlexibleServerSpec(administratorLogin: "pgadmin", password: "Passw0rd!x"))
        var spec = ServiceBusNamespaceSpec()
        spec.sku = "Premium"
        spec.capacity = 1
        _ = try w.createServiceBusNamespace(name: "sb-consumer", resourceGroup: "rg", spec: spec)
        return w
    }

    func testEveryConsumerTypeHasOneDescriptor() {
        let types = ConsumerKind.all.map(\.resourceType)
        XCTAssertEqual(Set(types).count, types.count)
        XCTAssertEqual(
            Set(types), [ResourceType.singleServer, ResourceType.flexibleServer, ResourceType.namespace])
        XCTAssertEqual(ResourceType.consumers, Set(types))
    }

    func testEveryKindIsSeenByStatesLookupGroupDeletionAndHarm() throws {
        var w = try world()
        let consumers = w.consumers()
        XCTAssertEqual(Set(consumers.map(\.state.type)), ResourceType.consumers)
        let states = w.observedStates()
        for c in consumers {
            XCTAssertEqual(states[c.id], c.state, c.name)
            XCTAssertEqual(w.resourceID(type: c.state.type, name: c.name, resourceGroup: nil), c.id)
        }
        let before = w
        try w.deleteResourceGroup(name: "rg", wait: true)
        XCTAssertTrue(w.consumers().allSatisfy { $0.state.state == ConsumerState.dropped }, "\(w.consumers())")
        XCTAssertEqual(Set(w.harms(since: before).map(\.resource)), Set(consumers.map(\.id)))
    }

    /// Each kind's consumers check their keys through an event the clock runs, and `clock
    /// advance -v` names it as before.
    func testEveryKindHasAKeyCheckEventThatTheClockRuns() throws {
        let events: [ScheduledAction] = [
            .postgresKeyCheck(server: "pg-single"), .flexibleServerKeyCheck(server: "pg-flexible"),
            .serviceBusKeyPoll(namespace: "sb-consumer"),
        ]
        XCTAssertEqual(
            Set(events.compactMap { $0.keyCheck?.kind.resourceType }), Set(ConsumerKind.all.map(\.resourceType)))
        XCTAssertTrue(events.allSatisfy(\.isKeyCheck))
        XCTAssertEqual(
            events.map(\.summary),
            [
                "PostgreSQL server pg-single checks its key",
                "PostgreSQL flexible server pg-flexible revalidates its keys",
                "Service Bus namespace sb-consumer polls its keys",
            ])
        XCTAssertFalse(ScheduledAction.sampleProbes.isKeyCheck)
    }
}
