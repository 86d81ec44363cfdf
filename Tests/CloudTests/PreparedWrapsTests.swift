import Foundation
import XCTest

@testable import Cloud

/// Key checks due together have their RSA work done ahead on every core (PreparedWraps.swift): the
/// checks still decide through the access path, one by one, and end as checks made one at a time.
final class PreparedWrapsTests: XCTestCase {
    func testAPreparedWrapIsARealRoundTripTakenOnce() throws {
        let m = try KeyMaterial.generateRSA(bits: 2048)
        let dataKey = Data((0..<32).map { UInt8($0) })
        let cache = PreparedWraps.shared
        defer { cache.clear() }
        cache.prepare([(m, dataKey), (m, dataKey)], algorithm: DataKey.wrapAlgorithm)
        guard case .rsa(let der, _, _) = m else { return XCTFail("an RSA key") }
        let c1 = try XCTUnwrap(cache.takeWrap(der: der, algorithm: DataKey.wrapAlgorithm, plaintext: dataKey))
        let c2 = try XCTUnwrap(cache.takeWrap(der: der, algorithm: DataKey.wrapAlgorithm, plaintext: dataKey))
        XCTAssertNil(cache.takeWrap(der: der, algorithm: DataKey.wrapAlgorithm, plaintext: dataKey), "each once")
        XCTAssertNotEqual(c1, c2, "OAEP: two fresh encryptions")
        XCTAssertEqual(try m.computeRSADecrypt(c1, algorithm: DataKey.wrapAlgorithm), dataKey, "a real wrap")
        XCTAssertEqual(cache.takeUnwrap(der: der, algorithm: DataKey.wrapAlgorithm, ciphertext: c2), dataKey)
        XCTAssertNil(cache.takeUnwrap(der: der, algorithm: DataKey.wrapAlgorithm, ciphertext: c2), "each once")
        XCTAssertNil(
            cache.takeUnwrap(der: der, algorithm: "RSA-OAEP", ciphertext: c1), "only for the algorithm it was made for")
    }

    /// Six servers due at one tick, one of which lost its unwrap permission: the prepared wraps are
    /// used, the server without permission fails all the same, and the world ends as with checks
    /// made one by one with nothing prepared.
    func testChecksDueTogetherUsePreparedWrapsAndStillObeyTheAccessPath() throws {
        func world(prepare: Bool) throws -> (World, Int) {
            var w = World.new(now: Date(timeIntervalSince1970: 1_800_000_000))
            try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
            var protected = VaultSettings(enableRbacAuthorization: false)
            protected.enablePurgeProtection = true
            try w.createVault(
                name: "vault1", resourceGroup: "rg", location: nil, settings: protected, selfPermissions: true)
            let (v, key) = try w.createKey(vault: "vault1", name: "k", spec: KeySpec(), caller: w.operatorCaller)
            for i in 1...6 {
                try w.createPostgresServer(
                    name: "pg\(i)", resourceGroup: "rg",
                    spec: PostgresServerSpec(administratorLogin: "cloudsa", password: "Passw0rd!x"))
                var u = PostgresServerUpdate()
                u.assignIdentity = true
                let s = try w.updatePostgresServer(name: "pg\(i)", resourceGroup: "rg", update: u)
                _ = try w.setAccessPolicy(
                    vault: "vault1", resourceGroup: nil, objectId: try XCTUnwrap(s.principalId), applicationId: nil,
                    keys: ["get", "wrapKey", "unwrapKey"], secrets: nil, certificates: nil, storage: nil)
                try w.setPostgresServerKey(
                    name: "pg\(i)", resourceGroup: "rg", kid: v.kid(key.name, key.current.version))
            }
            _ = try w.setAccessPolicy(
                vault: "vault1", resourceGroup: nil, objectId: try XCTUnwrap(w.postgresServers["pg3"]?.principalId),
                applicationId: nil, keys: ["get", "wrapKey"], secrets: nil, certificates: nil, storage: nil)
            PreparedWraps.shared.isEnabled = prepare
            defer { PreparedWraps.shared.isEnabled = true }
            let before = PreparedWraps.shared.taken
            try w.advanceClock(by: w.settings.postgresKeyCheckSeconds)
            return (w, PreparedWraps.shared.taken - before)
        }
        let (fast, taken) = try world(prepare: true)
        XCTAssertEqual(
            taken, 11, "five servers took a prepared wrap and unwrap; pg3 its wrap, then was refused the unwrap")
        XCTAssertEqual(fast.postgresServers["pg3"]?.userVisibleState, "Inaccessible")
        XCTAssertEqual(fast.postgresServers.values.filter { $0.userVisibleState == "Ready" }.count, 5)
        let (slow, _) = try world(prepare: false)
        XCTAssertEqual(
            fast.postgresServers.mapValues(\.userVisibleState), slow.postgresServers.mapValues(\.userVisibleState))
        XCTAssertEqual(fast.audit.map(\.result), slow.audit.map(\.result))
        XCTAssertEqual(fast.audit.map(\.operation), slow.audit.map(\.operation))
        XCTAssertEqual(fast.audit.map(\.principal), slow.audit.map(\.principal))
    }
}
