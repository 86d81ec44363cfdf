import Foundation
import XCTest
@testable import Cloud

/// Flexible Server's customer-managed keys (PostgreSQL/Flexible): what a key, its vault and its
/// identity must be when set, the periodic revalidation that makes a server Inaccessible and
/// Ready again by itself, versionless keys following rotation, and the copies' own keys.
final class FlexibleServerTests: XCTestCase {
    var w = World.new(now: Date(timeIntervalSince1970: 1_800_000_000))
    var kid = ""
    var identityID = ""
    var principal = ""

    override func setUpWithError() throws {
        try w.createResourceGroup(name: "rg", location: "eastus", tags: nil, managedBy: nil)
        kid = try vaultAndKey("kv1", location: "eastus")
        (identityID, principal) = try identity("uai1", grantOn: "kv1")
    }

    func vaultAndKey(
        _ vault: String, location: String, purgeProtection: Bool = true, spec: KeySpec = KeySpec()
    ) throws -> String {
        var settings = VaultSettings(enableRbacAuthorization: false)
        if purgeProtection { settings.enablePurgeProtection = true }
        try w.createVault(
            name: vault, resourceGroup: "rg", location: location, settings: settings, selfPermissions: true)
        let (v, key) = try w.createKey(vault: vault, name: "k", spec: spec, caller: w.operatorCaller)
        return v.kid(key.name, key.current.version)
    }

    func identity(_ name: String, grantOn vault: String?, location: String = "eastus") throws -> (String, String) {
        let i = try w.createIdentity(name: name, resourceGroup: "rg", location: location, tags: nil)
        if let vault { try grant(i.principalId, on: vault) }
        return (w.identityID(i), i.principalId)
    }

    func grant(
        _ principal: String, on vault: String, _ keys: [String] = ["get", "list", "wrapKey", "unwrapKey"]
    ) throws {
        _ = try w.setAccessPolicy(
            vault: vault, resourceGroup: nil, objectId: principal, applicationId: nil, keys: keys, secrets: nil,
            certificates: nil, storage: nil)
    }

    func spec(key: String? = nil, identity: String? = nil) -> FlexibleServerSpec {
        var s = FlexibleServerSpec(administratorLogin: "pgadmin", password: "Passw0rd!x")
        s.key = FlexibleKeyChoice(kid: key ?? kid, identityId: identity ?? identityID)
        return s
    }

    func code(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "Success"
        } catch let e as CloudError { return e.code } catch let e as CommittedFailure { return e.error.code } catch {
            return "\(error)"
        }
    }

    func create(_ name: String = "pgfs1", _ s: FlexibleServerSpec? = nil) -> String {
        code { try w.createFlexibleServer(name: name, resourceGroup: "rg", spec: s ?? spec()) }
    }

    var server: FlexibleServer { w.flexibleServers["pgfs1"]! }

    func disable(_ vault: String = "kv1", _ enabled: Bool = false, version: String? = nil) throws {
        var u = KeyAttributesUpdate()
        u.enabled = enabled
        _ = try w.updateKey(vault: vault, name: "k", version: version, update: u, caller: w.operatorCaller)
    }

    func testTheKeyItsVaultAndItsIdentityAreCheckedAndNothingIsCreatedOnARefusal() throws {
        let (noAccess, _) = try identity("uai-none", grantOn: nil)
        XCTAssertEqual(create("pgfs1", spec(identity: noAccess)), "AzureKeyVaultKeyNameNotFound")
        let (noList, p) = try identity("uai-nolist", grantOn: nil)
        try grant(p, on: "kv1", ["get", "wrapKey", "unwrapKey"])
        XCTAssertEqual(create("pgfs1", spec(identity: noList)), "AzureKeyVaultKeyNameNotFound", "list is required")
        let west = try vaultAndKey("kvwest", location: "westus")
        try grant(principal, on: "kvwest")
        XCTAssertEqual(create("pgfs1", spec(key: west)), "AzureKeyVaultRegionMismatch")
        let unprotected = try vaultAndKey("kvsoft", location: "eastus", purgeProtection: false)
        try grant(principal, on: "kvsoft")
        XCTAssertEqual(create("pgfs1", spec(key: unprotected)), "AzureKeyVaultPurgeProtectionDisabled")
        var ec = KeySpec()
        ec.kty = "EC"
        ec.curve = "P-256"
        let (v, k) = try w.createKey(vault: "kv1", name: "ec", spec: ec, caller: w.operatorCaller)
        XCTAssertEqual(create("pgfs1", spec(key: v.kid(k.name, k.current.version))), "AzureKeyVaultUnsupportedKey")
        let gone = identityID.replacingOccurrences(of: "uai1", with: "nobody")
        XCTAssertEqual(create("pgfs1", spec(identity: gone)), "UserAssignedIdentityNotFound")
        XCTAssertNil(w.flexibleServers["pgfs1"], "nothing is created")
        XCTAssertEqual(create(), "Success")
        XCTAssertEqual(server.state, "Ready")
        XCTAssertEqual(server.dataEncryption?.primary.status, "Valid")
        XCTAssertEqual(create("pgfs1"), "ServerNameAlreadyExists")
    }

    func testLosingTheKeyMakesItInaccessibleWithinAnHourAndFixingItBringsItBackByItself() throws {
        XCTAssertEqual(create(), "Success")
        try w.writePostgresRows(server: "pgfs1", resourceGroup: "rg", count: 20)
        try disable()
        try w.advanceClock(by: 3599)
        XCTAssertEqual(server.state, "Ready", "the next check is an hour after creation")
        try w.advanceClock(by: 1)
        XCTAssertEqual(server.state, "Inaccessible")
        XCTAssertEqual(server.dataEncryption?.primary.status, "Invalid")
        XCTAssertNil(server.activeDataKey, "the data key leaves memory")
        XCTAssertEqual(code { _ = try w.readPostgresRows(server: "pgfs1", resourceGroup: "rg") }, "ServerInaccessible")
        XCTAssertEqual(
            code { try w.updateFlexibleServer(name: "pgfs1", resourceGroup: "rg", update: self.tagsUpdate) },
            "ServerInaccessible")
        try disable("kv1", true)
        try w.advanceClock(by: 3600)
        XCTAssertEqual(server.state, "Ready", "no revalidate call is needed")
        XCTAssertEqual(try w.readPostgresRows(server: "pgfs1", resourceGroup: "rg").verified, true)
        XCTAssertEqual(try w.readPostgresRows(server: "pgfs1", resourceGroup: "rg").rows, 20)
    }

    var tagsUpdate: FlexibleServerUpdate {
        var u = FlexibleServerUpdate()
        u.tags = ["a": "b"]
        return u
    }

    func testAVersionlessKeyFollowsANewVersionAndAVersionedOneStaysPinned() throws {
        let versionless = try XCTUnwrap(KeyIdentifier.parse(kid)).uri.components(separatedBy: "/").dropLast().joined(
            separator: "/")
        XCTAssertEqual(create("pgfs1", spec(key: versionless)), "Success")
        XCTAssertEqual(create("pgfs2"), "Success")
        let old = try XCTUnwrap(KeyIdentifier.parse(kid)?.version)
        let (_, rotated) = try w.rotateKey(vault: "kv1", name: "k", caller: w.operatorCaller)
        let new = rotated.current.version
        try w.advanceClock(by: 3600)
        XCTAssertEqual(server.dataEncryption?.primary.wrappedVersion, new)
        XCTAssertEqual(server.dataEncryption?.primary.keyUri, versionless, "it shows what was configured")
        XCTAssertEqual(w.flexibleServers["pgfs2"]?.dataEncryption?.primary.wrappedVersion, old)
        try disable(version: old)
        try w.advanceClock(by: 3600)
        XCTAssertEqual(server.state, "Ready")
        XCTAssertEqual(w.flexibleServers["pgfs2"]?.state, "Inaccessible")
    }

    func testADeletedIdentityRecreatedUnderItsNameDoesNotRecoverUntilTheServerIsUpdated() throws {
        XCTAssertEqual(create(), "Success")
        try w.deleteIdentity(name: "uai1", resourceGroup: "rg")
        try w.advanceClock(by: 3600)
        XCTAssertEqual(server.state, "Inaccessible")
        _ = try identity("uai1", grantOn: "kv1")
        try w.advanceClock(by: 7200)
        XCTAssertEqual(server.state, "Inaccessible", "a new principal under the old name")
        var u = FlexibleServerUpdate()
        u.key = FlexibleKeyChoice(kid: kid, identityId: identityID)
        try w.updateFlexibleServer(name: "pgfs1", resourceGroup: "rg", update: u)
        try w.advanceClock(by: 3600)
        XCTAssertEqual(server.state, "Ready")
    }

    func testAFailedKeyUpdateKeepsTheIdentitiesItAddedAndNothingElse() throws {
        XCTAssertEqual(create(), "Success")
        let (other, _) = try identity("uai2", grantOn: nil)
        var u = tagsUpdate
        u.key = FlexibleKeyChoice(kid: kid, identityId: other)
        XCTAssertEqual(
            code { try w.updateFlexibleServer(name: "pgfs1", resourceGroup: "rg", update: u) },
            "AzureKeyVaultKeyNameNotFound")
        // The committed part, as the command layer keeps it.
        XCTAssertEqual(server.identities.count, 2)
        XCTAssertEqual(server.tags, [:])
        XCTAssertEqual(server.dataEncryption?.primary.identityId, identityID)
    }

    func testTheGeoBackupKeyIsInThePairedRegionAndItsLossMakesTheServerInaccessible() throws {
        let geoKid = try vaultAndKey("kvgeo", location: "westus")
        let (geoID, _) = try identity("uaigeo", grantOn: "kvgeo", location: "westus")
        var s = spec()
        s.geoRedundantBackup = "Enabled"
        XCTAssertEqual(create("pgfs1", s), "CMKInvalidEncryptionParameters")
        s.geoBackupKey = FlexibleKeyChoice(kid: kid, identityId: geoID)
        try grant(w.identities["rg/uaigeo"]!.principalId, on: "kv1")
        XCTAssertEqual(create("pgfs1", s), "AzureKeyVaultRegionMismatch")
        s.geoBackupKey = FlexibleKeyChoice(kid: geoKid, identityId: identityID)
        XCTAssertEqual(create("pgfs1", s), "CMKInvalidEncryptionParameters", "one identity for both keys")
        s.geoBackupKey = FlexibleKeyChoice(kid: geoKid, identityId: geoID)
        XCTAssertEqual(create("pgfs1", s), "Success")
        // Whoever asks (the portal blade, not only az), the geo-backup key keeps an identity of its own.
        let before = w
        var u = FlexibleServerUpdate()
        u.key = FlexibleKeyChoice(kid: kid, identityId: geoID)
        XCTAssertEqual(
            code { try w.updateFlexibleServer(name: "pgfs1", resourceGroup: "rg", update: u) },
            "CMKInvalidEncryptionParameters")
        XCTAssertEqual(w, before, "refused before any identity is added")
        try disable("kvgeo")
        try w.advanceClock(by: 3600)
        XCTAssertEqual(server.state, "Inaccessible")
        XCTAssertEqual(server.dataEncryption?.primary.status, "Valid")
        XCTAssertEqual(server.dataEncryption?.geoBackup?.status, "Invalid")
        try disable("kvgeo", true)
        try w.advanceClock(by: 3600)
        XCTAssertEqual(server.state, "Ready")
    }

    func testAStoppedServerDoesNotCheckAndRevalidatesWhenStarted() throws {
        XCTAssertEqual(create(), "Success")
        try w.stopFlexibleServer(name: "pgfs1", resourceGroup: "rg")
        try disable()
        try w.advanceClock(by: 7200)
        XCTAssertEqual(server.state, "Stopped")
        XCTAssertFalse(
            w.scheduler.events.contains { $0.action == .flexibleServerKeyCheck(server: "pgfs1") },
            "no compute, no checks scheduled")
        try w.startFlexibleServer(name: "pgfs1", resourceGroup: "rg")
        XCTAssertEqual(server.state, "Inaccessible")
    }

    func testCopiesCarryTheirPointsRowsAndNeedAKeyInTheirRegion() throws {
        XCTAssertEqual(create(), "Success")
        try w.writePostgresRows(server: "pgfs1", resourceGroup: "rg", count: 5)
        try w.advanceClock(by: 600)
        let point = w.now
        try w.advanceClock(by: 600)
        try w.writePostgresRows(server: "pgfs1", resourceGroup: "rg", count: 7)
        let restored = try w.copyFlexibleServer(
            name: "restored", resourceGroup: "rg", source: "pgfs1", kind: .restore(pointInTime: point),
            options: World.FlexibleCopyOptions())
        XCTAssertEqual(restored.rows.count, 5)
        XCTAssertEqual(restored.dataEncryption?.primary.identityId, identityID, "inherits the source's key")
        XCTAssertEqual(try w.readPostgresRows(server: "restored", resourceGroup: "rg").verified, true)
        XCTAssertEqual(
            code {
                try w.copyFlexibleServer(
                    name: "replica", resourceGroup: "rg", source: "pgfs1", kind: .replica(location: "westus"),
                    options: World.FlexibleCopyOptions())
            }, "AzureKeyVaultRegionMismatch")
        XCTAssertEqual(
            code {
                try w.copyFlexibleServer(
                    name: "geo", resourceGroup: "rg", source: "pgfs1", kind: .geoRestore(location: "westus"),
                    options: World.FlexibleCopyOptions())
            }, "GeoRestoreNotAvailable")
        try w.deleteFlexibleServer(name: "pgfs1", resourceGroup: "rg")
        let revived = try w.copyFlexibleServer(
            name: "revived", resourceGroup: "rg", source: "pgfs1", kind: .reviveDropped(location: "eastus"),
            options: World.FlexibleCopyOptions())
        XCTAssertEqual(revived.rows.count, 12)
        try w.deleteFlexibleServer(name: "revived", resourceGroup: "rg")
        try w.advanceClock(by: w.settings.flexibleDroppedRetentionSeconds)
        XCTAssertEqual(
            code {
                try w.copyFlexibleServer(
                    name: "late", resourceGroup: "rg", source: "revived", kind: .reviveDropped(location: "eastus"),
                    options: World.FlexibleCopyOptions())
            }, "ResourceNotFound", "after the retention")
    }

    func testGeoRestoreWaitsForTheFirstGeoBackupAndUsesTheGeoBackupKey() throws {
        let geoKid = try vaultAndKey("kvgeo", location: "westus")
        let (geoID, _) = try identity("uaigeo", grantOn: "kvgeo", location: "westus")
        var s = spec()
        s.geoRedundantBackup = "Enabled"
        s.geoBackupKey = FlexibleKeyChoice(kid: geoKid, identityId: geoID)
        XCTAssertEqual(create("pgfs1", s), "Success")
        try w.writePostgresRows(server: "pgfs1", resourceGroup: "rg", count: 3)
        func geoRestore() -> String {
            code {
                try w.copyFlexibleServer(
                    name: "geo", resourceGroup: "rg", source: "pgfs1", kind: .geoRestore(location: "westus"),
                    options: World.FlexibleCopyOptions())
            }
        }
        XCTAssertEqual(geoRestore(), "GeoBackupsNotAvailable")
        try w.advanceClock(by: w.settings.flexibleGeoBackupLagSeconds)
        try w.writePostgresRows(server: "pgfs1", resourceGroup: "rg", count: 4)
        XCTAssertEqual(geoRestore(), "Success")
        let geo = try XCTUnwrap(w.flexibleServers["geo"])
        XCTAssertEqual(geo.dataEncryption?.primary.keyUri, geoKid)
        XCTAssertEqual(geo.rows.count, 3, "the geo-backup lags by an hour")
        XCTAssertEqual(geo.location, "westus")
    }

    func testDeletingTheResourceGroupDeletesItsServersAndStopsTheirChecks() throws {
        XCTAssertEqual(create(), "Success")
        try w.deleteResourceGroup(name: "rg", wait: true)
        XCTAssertNil(w.flexibleServers["pgfs1"])
        XCTAssertFalse(w.scheduler.events.contains { $0.action == .flexibleServerKeyCheck(server: "pgfs1") })
    }

    func testGeoBackupNeedsAPairedRegionAndAGeoKeyOnlyGoesToAServerWithGeoBackup() throws {
        try w.createResourceGroup(name: "rgsweden", location: "swedencentral", tags: nil, managedBy: nil)
        var s = FlexibleServerSpec(administratorLogin: "pgadmin", password: "Passw0rd!x")
        s.geoRedundantBackup = "Enabled"
        XCTAssertEqual(
            code { try w.createFlexibleServer(name: "pgsweden", resourceGroup: "rgsweden", spec: s) },
            "GeoRedundantBackupNotSupported")
        XCTAssertEqual(create(), "Success")
        var u = FlexibleServerUpdate()
        u.geoBackupKey = FlexibleKeyChoice(kid: kid, identityId: identityID)
        XCTAssertEqual(
            code { try w.updateFlexibleServer(name: "pgfs1", resourceGroup: "rg", update: u) },
            "GeoRedundantBackupNotEnabled", "refused, not ignored")
        XCTAssertNil(server.dataEncryption?.geoBackup)
    }

    /// With coalescing on, a quiet year is a few steps, and every state and audit outcome is the
    /// one the one-by-one clock gives.
    func testCoalescedChecksHaveTheOneByOneOutcome() throws {
        XCTAssertEqual(create(), "Success")
        var off = w
        off.settings.coalesceKeyChecks = false
        func both(_ step: (inout World) throws -> Void) throws {
            try step(&w)
            try step(&off)
            XCTAssertEqual(w.outcomeView, off.outcomeView)
        }
        try both { try $0.advanceClock(by: 86400 * 3) }
        try both { world in
            var u = KeyAttributesUpdate()
            u.enabled = false
            _ = try world.updateKey(vault: "kv1", name: "k", version: nil, update: u, caller: world.operatorCaller)
        }
        try both { try $0.advanceClock(by: 86400 * 2) }
        try both { world in
            var u = KeyAttributesUpdate()
            u.enabled = true
            _ = try world.updateKey(vault: "kv1", name: "k", version: nil, update: u, caller: world.operatorCaller)
        }
        try both { try $0.advanceClock(by: 86400 * 5) }
        XCTAssertEqual(w.flexibleServers["pgfs1"]?.state, "Ready")
        XCTAssertLessThan(w.audit.count, off.audit.count)
    }
}
