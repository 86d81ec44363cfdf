import XCTest

@testable import Cloud

/// What a game day penalises is read off the world before and after one command.
final class GameDayHarmTests: XCTestCase {
    func world() throws -> World {
        var w = World.new(now: Date(timeIntervalSince1970: 1_767_225_600))
        try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
        try w.createVault(
            name: "kvharm", resourceGroup: "rg", location: nil, settings: VaultSettings(enableRbacAuthorization: false),
            selfPermissions: true)
        _ = try w.createKey(vault: "kvharm", name: "k", spec: KeySpec(), caller: w.operatorCaller)
        try w.createPostgresServer(
            name: "pg-harm", resourceGroup: "rg",
            spec: PostgresServerSpec(administratorLogin: "cloudsa", password: "Passw0rd!x"))
        return w
    }

    func testASoftDeleteHarmsNothingAndAPurgeOrARecreatedKeyDoes() throws {
        var w = try world()
        let start = w
        _ = try w.deleteKey(vault: "kvharm", name: "k", caller: w.operatorCaller)
        XCTAssertEqual(w.harms(since: start), [], "a soft delete can be undone")
        let deleted = w
        try w.purgeKey(vault: "kvharm", name: "k", caller: .chaos)
        XCTAssertEqual(w.harms(since: deleted).map(\.kind), [.keyPurged])
        let purged = w
        _ = try w.createKey(vault: "kvharm", name: "k", spec: KeySpec(), caller: w.operatorCaller)
        XCTAssertEqual(w.harms(since: purged), [], "after the purge, a new key harms nothing more")
        XCTAssertEqual(Set(w.harms(since: deleted).map(\.kind)), [.keyRecreated], "seen across both: the name is new")
    }

    func testANewVersionIsNoHarmAndADeletedServerIs() throws {
        var w = try world()
        let start = w
        _ = try w.rotateKey(vault: "kvharm", name: "k", caller: w.operatorCaller)
        XCTAssertEqual(w.harms(since: start), [])
        w.postgresServers["pg-harm"] = nil
        XCTAssertEqual(w.harms(since: start).map(\.kind), [.consumerDeleted])
        XCTAssertTrue(w.harms(since: start)[0].resource.hasSuffix("/servers/pg-harm"))
    }
}
