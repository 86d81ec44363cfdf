import XCTest

@testable import Cloud

/// A client on a geo-DR alias reaches the alias's primary; a namespace in a region that is down
/// refuses data operations until the alias fails over or the outage ends (`ServiceBusWorkload`).
final class ServiceBusRegionOutageTests: XCTestCase {
    func testTheAliasFollowsAFailOverOutOfARegionThatIsDown() throws {
        var w = World.new(now: Date(timeIntervalSince1970: 1_800_000_000))
        try w.createResourceGroup(name: "rg", location: "eastus", tags: nil, managedBy: nil)
        for (name, region) in [("sb-east-1", "eastus"), ("sb-west-1", "westus")] {
            var spec = ServiceBusNamespaceSpec()
            spec.sku = "Premium"
            spec.capacity = 1
            spec.location = region
            _ = try w.createServiceBusNamespace(name: name, resourceGroup: "rg", spec: spec)
        }
        try w.pairServiceBusNamespaces(
            primary: "sb-east-1", resourceGroup: "rg", alias: "orders", partner: "sb-west-1", alternateName: nil)
        _ = try w.createServiceBusQueue(namespace: "sb-east-1", resourceGroup: "rg", name: "q")
        XCTAssertEqual(w.serviceBusEndpoint("orders", resourceGroup: "rg"), "sb-east-1")
        XCTAssertEqual(w.serviceBusEndpoint("sb-west-1", resourceGroup: "rg"), "sb-west-1", "a name is itself")
        XCTAssertEqual(try w.sendServiceBusMessages(namespace: "orders", resourceGroup: "rg", queue: "q", count: 1), 1)

        w.regionOutages.insert("eastus")
        XCTAssertThrowsError(
            try w.sendServiceBusMessages(namespace: "orders", resourceGroup: "rg", queue: "q", count: 1)
        ) { e in
            XCTAssertEqual((e as? CloudError)?.code, "ServiceUnavailable")
            XCTAssertEqual((e as? CloudError)?.status, 503)
        }
        try w.failOverServiceBusAlias(namespace: "sb-west-1", resourceGroup: "rg", alias: "orders")
        XCTAssertEqual(w.serviceBusEndpoint("orders", resourceGroup: "rg"), "sb-west-1")
        XCTAssertEqual(try w.sendServiceBusMessages(namespace: "orders", resourceGroup: "rg", queue: "q", count: 1), 1)
        let (received, verified) = try w.receiveServiceBusMessages(
            namespace: "orders", resourceGroup: "rg", queue: "q", count: 1)
        XCTAssertEqual(received, 1)
        XCTAssertTrue(verified)
        XCTAssertThrowsError(
            try w.receiveServiceBusMessages(namespace: "sb-east-1", resourceGroup: "rg", queue: "q", count: 1),
            "the old primary stays down")
    }
}
