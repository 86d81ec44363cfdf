import Foundation
import XCTest
@testable import Cloud

/// Key checks and polls whose inputs did not change (KeyCheckMemo.swift, Clock.swift): the same
/// world moved through the same faults with coalescing off and on must agree on every state,
/// key status, schedule and audit outcome at every step, while the coalesced one takes a run of
/// unchanged checks in one step and keeps one audit record per run.
final class KeyCheckCoalescingTests: XCTestCase {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let day = 86400.0

    /// Two PostgreSQL servers (one pinned to a key that expires on day 20), three Service Bus
    /// namespaces (one following the newest version, one pinned to the expiring key, one in an RBAC
    /// vault whose role takes effect after the propagation delay), intervals that do not divide
    /// each other, and a cache that runs out between two polls.
    func world(coalescing: Bool) throws -> World {
        var w = World.new(now: Self.start)
        w.settings.coalesceKeyChecks = coalescing
        w.settings.postgresKeyCheckSeconds = 3600
        w.settings.serviceBusKeyPollSeconds = 1700
        w.settings.serviceBusKeyCacheSeconds = 2900
        try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
        var policies = VaultSettings(enableRbacAuthorization: false)
        policies.enablePurgeProtection = true
        try w.createVault(name: "kvpol", resourceGroup: "rg", location: nil, settings: policies, selfPermissions: true)
        var rbac = VaultSettings(enableRbacAuthorization: true)
        rbac.enablePurgeProtection = true
        try w.createVault(name: "kvrbac", resourceGroup: "rg", location: nil, settings: rbac, selfPermissions: false)
        let (v, k) = try w.createKey(vault: "kvpol", name: "k", spec: KeySpec(), caller: w.operatorCaller)
        var expiring = KeySpec()
        expiring.expires = Self.start.addingTimeInterval(20 * Self.day + 1234)
        let (_, e) = try w.createKey(vault: "kvpol", name: "e", spec: expiring, caller: w.operatorCaller)
        let vaultID = "\(w.subscriptionPath)/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kvrbac"
        _ = try w.createRoleAssignment(
            principalId: w.signedInUser.objectId, principalType: "User", role: "Key Vault Crypto Officer",
            scope: vaultID, name: nil)
        w.now = w.now.addingTimeInterval(w.settings.roleAssignmentPropagationSeconds)
        _ = try w.createKey(vault: "kvrbac", name: "r", spec: KeySpec(), caller: w.operatorCaller)

        for (server, kid) in [("pg1", v.kid(k.name, k.current.version)), ("pg2", v.kid(e.name, e.current.version))] {
            try w.createPostgresServer(
                name: server, resourceGroup: "rg",
                spec: PostgresServerSpec(administratorLogin: "cloudsa", password: "Passw0rd!x"))
            var u = PostgresServerUpdate()
            u.assignIdentity = true
            let principal = try XCTUnwrap(
                try w.updatePostgresServer(name: server, resourceGroup: "rg", update: u).principalId)
            try grant(&w, principal)
            try w.setPostgresServerKey(name: server, resourceGroup: "rg", kid: kid)
        }
        var spec = ServiceBusNamespaceSpec()
        spec.sku = "Premium"
        spec.capacity = 1
        for (ns, vault, key, version) in [
            ("sbfollow", "kvpol", "k", ""), ("sbpinned", "kvpol", "e", e.current.version),
            ("sbrbac", "kvrbac", "r", ""),
        ] {
            _ = try w.createServiceBusNamespace(name: ns, resourceGroup: "rg", spec: spec)
            let principal = try XCTUnwrap(
                try w.assignServiceBusIdentity(
                    namespace: ns, resourceGroup: "rg", systemAssigned: true, userAssigned: []
                )
                .systemPrincipalId)
            if vault == "kvrbac" {
                _ = try w.createRoleAssignment(
                    principalId: principal, principalType: "ServicePrincipal",
                    role: "Key Vault Crypto Service Encryption User", scope: vaultID, name: nil)
                w.now = w.now.addingTimeInterval(w.settings.roleAssignmentPropagationSeconds)
            } else {
                try grant(&w, principal)
            }
            _ = try w.addServiceBusEncryption(
                namespace: ns, resourceGroup: "rg",
                keys: [
                    KeyVaultProperty(
                        keyName: key, keyVaultUri: "https://\(vault).vault.azure.net", keyVersion: version,
                        userAssignedIdentity: nil)
                ], requireInfrastructureEncryption: nil)
        }
        return w
    }

    func grant(_ w: inout World, _ principal: String) throws {
        _ = try w.setAccessPolicy(
            vault: "kvpol", resourceGroup: nil, objectId: principal, applicationId: nil,
            keys: ["get", "wrapKey", "unwrapKey"], secrets: nil, certificates: nil, storage: nil)
    }

    /// The faults and fixes, each followed by a clock move; the same on both worlds.
    var steps: [(String, (inout World) throws -> Void)] {
        func enable(_ on: Bool) -> (inout World) throws -> Void {
            { w in
                var u = KeyAttributesUpdate()
                u.enabled = on
                _ = try w.updateKey(vault: "kvpol", name: "k", version: nil, update: u, caller: w.operatorCaller)
            }
        }
        return [
            ("quiet days", { _ in }),
            ("key k disabled", enable(false)),
            ("key k enabled again", enable(true)),
            ("k rotated", { w in _ = try w.rotateKey(vault: "kvpol", name: "k", caller: w.operatorCaller) }),
            (
                "pg1 revalidated on the new version",
                { w in
                    let v = w.vaults["kvpol"]!
                    let k = v.keys["k"]!
                    try w.setPostgresServerKey(name: "pg1", resourceGroup: "rg", kid: v.kid(k.name, k.current.version))
                }
            ),
            (
                "sbrbac's role removed",
                { w in
                    _ = w.deleteRoleAssignments { $0.principalType == "ServicePrincipal" }
                }
            ),
            ("a year passes", { _ in }),
        ]
    }

    static let moves: [Double] = [
        10 * day, 7 * 3600 + 13 * 60, 1 * day, 2 * day + 17, 9 * day, 3 * day, 365 * day,
    ]

    func testCoalescedChecksAgreeWithChecksMadeOneByOneAtEveryStep() throws {
        var off = try world(coalescing: false)
        var on = try world(coalescing: true)
        same(view(off), view(on), "before any clock move")
        for (i, (name, change)) in steps.enumerated() {
            try change(&off)
            try change(&on)
            same(view(off), view(on), "after '\(name)'")
            // The year is only taken coalesced: one by one it is the cost this setting removes.
            guard i < steps.count - 1 else { break }
            try off.advanceClock(by: Self.moves[i])
            try on.advanceClock(by: Self.moves[i])
            same(view(off), view(on), "after the clock move following '\(name)'")
        }
        // Every outcome changed at a known instant: the expiry of e, the disabled key, the role.
        let states = on.postgresServers.mapValues(\.userVisibleState)
        XCTAssertEqual(states, ["pg1": "Ready", "pg2": "Inaccessible"])
        XCTAssertNil(on.serviceBusNamespaces["sbrbac"]?.activeDataKey, "the role is gone")
        XCTAssertNotNil(on.serviceBusNamespaces["sbfollow"]?.activeDataKey)
    }

    func testAYearOfUnchangedChecksIsOneStepAndOneRecordPerRun() throws {
        var w = try world(coalescing: true)
        try w.advanceClock(by: 3600)
        let records = w.audit.count
        let ran = try w.advanceClock(by: 365 * Self.day)
        // pg2 and sbpinned lose their key on day 20; everything else goes on unchanged.
        XCTAssertLessThan(ran.count, 40, "\(ran.count) steps for a year")
        XCTAssertLessThan(w.audit.count - records, 20, "records grow with the changes, not the polls")
        let pg1 = w.audit.filter { $0.caller.hasPrefix("pg1") && $0.operation == "KeyUnwrap" }
        XCTAssertEqual(pg1.last?.count ?? 0 > 8760, true, "one record holds a year of hourly checks")
        XCTAssertEqual(w.postgresServers["pg1"]?.userVisibleState, "Ready")
        XCTAssertEqual(w.postgresServers["pg2"]?.userVisibleState, "Inaccessible")
    }

    func testAChangeBetweenTwoChecksIsSeenByTheNextOne() throws {
        var w = try world(coalescing: true)
        try w.advanceClock(by: 30 * 3600)
        var u = KeyAttributesUpdate()
        u.enabled = false
        _ = try w.updateKey(vault: "kvpol", name: "k", version: nil, update: u, caller: w.operatorCaller)
        XCTAssertEqual(w.postgresServers["pg1"]?.userVisibleState, "Ready", "not before its next check")
        try w.advanceClock(by: 3600)
        XCTAssertEqual(w.postgresServers["pg1"]?.userVisibleState, "Inaccessible")
        let refused = w.audit.filter { $0.caller.hasPrefix("pg1") && $0.result == "KeyDisabled" }
        XCTAssertEqual(refused.map(\.operation), ["KeyWrap"], "a real check, recorded as a new outcome")
    }

    /// Equal, or where they first differ.
    func same(_ a: String, _ b: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        guard a != b else { return }
        let i = zip(a, b).prefix { $0 == $1 }.count
        let from = max(0, i - 150)
        XCTFail(
            "\(what): off \(a.dropFirst(from).prefix(300))\n   on \(b.dropFirst(from).prefix(300))", file: file,
            line: line)
    }

    func view(_ w: World) -> String { w.outcomeView }
}
