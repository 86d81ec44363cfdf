import Foundation
import XCTest
@testable import Cloud

/// Flexible Server parameters and automatic backups (PostgreSQL/Flexible/FlexibleServerParameters,
/// FlexibleBackups): values the service accepts, what a copy starts with, the daily schedule and
/// its retention window, and replicas taking none until promoted.
final class FlexibleServerParametersTests: XCTestCase {
    var w = World.new(now: Date(timeIntervalSince1970: 1_800_000_000))

    override func setUpWithError() throws {
        try w.createResourceGroup(name: "rg", location: "eastus", tags: nil, managedBy: nil)
        try w.createFlexibleServer(
            name: "pgfs1", resourceGroup: "rg",
            spec: FlexibleServerSpec(administratorLogin: "pgadmin", password: "Passw0rd!x"))
    }

    func value(_ name: String, server: String = "pgfs1") throws -> FlexibleParameterValue {
        try w.flexibleParameter(server: server, resourceGroup: "rg", name: name)
    }

    func code(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "Success"
        } catch let e as CloudError { return e.code } catch { return "\(error)" }
    }

    func testASetValueIsAUserOverrideAndTheDefaultIsSystemDefaultAgain() throws {
        XCTAssertEqual(try value("require_secure_transport").value, "on")
        XCTAssertEqual(try value("require_secure_transport").source, FlexibleServerParameters.systemDefault)
        let set = try w.setFlexibleParameter(
            server: "pgfs1", resourceGroup: "rg", name: "require_secure_transport", value: "OFF",
            source: FlexibleServerParameters.userOverride)
        XCTAssertEqual(set.value, "off", "stored in the allowed spelling")
        XCTAssertEqual(try value("REQUIRE_SECURE_TRANSPORT").source, FlexibleServerParameters.userOverride)
        try w.setFlexibleParameter(
            server: "pgfs1", resourceGroup: "rg", name: "require_secure_transport", value: "on",
            source: FlexibleServerParameters.userOverride)
        XCTAssertEqual(try value("require_secure_transport").source, FlexibleServerParameters.systemDefault)
        XCTAssertNil(w.flexibleServers["pgfs1"]!.parameterOverrides)
    }

    func testValuesOutsideTheAllowedOnesAndUnknownParametersChangeNothing() throws {
        let before = w
        XCTAssertEqual(
            code {
                try w.setFlexibleParameter(
                    server: "pgfs1", resourceGroup: "rg", name: "ssl_min_protocol_version", value: "TLSv1.1",
                    source: "user-override")
            }, "InvalidParameterValue")
        XCTAssertEqual(
            code {
                try w.setFlexibleParameter(
                    server: "pgfs1", resourceGroup: "rg", name: "work_mem", value: "4096", source: "user-override")
            }, "NotEmulated")
        XCTAssertEqual(
            code {
                try w.setFlexibleParameter(
                    server: "pgfs1", resourceGroup: "rg", name: "log_connections", value: "off", source: "bogus")
            }, "InvalidParameterValue")
        XCTAssertEqual(w, before)
        // An enumeration without a default can be set back to empty.
        try w.setFlexibleParameter(
            server: "pgfs1", resourceGroup: "rg", name: "ssl_max_protocol_version", value: "tlsv1.3",
            source: "user-override")
        XCTAssertEqual(try value("ssl_max_protocol_version").value, "TLSv1.3")
        try w.setFlexibleParameter(
            server: "pgfs1", resourceGroup: "rg", name: "ssl_max_protocol_version", value: "", source: "user-override")
        XCTAssertEqual(try value("ssl_max_protocol_version").source, FlexibleServerParameters.systemDefault)
    }

    func testAStoppedServerTakesNoParameterChange() throws {
        try w.stopFlexibleServer(name: "pgfs1", resourceGroup: "rg")
        XCTAssertEqual(
            code {
                try w.setFlexibleParameter(
                    server: "pgfs1", resourceGroup: "rg", name: "log_connections", value: "off",
                    source: "user-override")
            }, "ServerStopped")
    }

    func testARestoredServerStartsWithTheDefaults() throws {
        try w.setFlexibleParameter(
            server: "pgfs1", resourceGroup: "rg", name: "log_disconnections", value: "off", source: "user-override")
        try w.advanceClock(by: 3600)
        try w.copyFlexibleServer(
            name: "pgfs2", resourceGroup: "rg", source: "pgfs1", kind: .restore(pointInTime: nil),
            options: World.FlexibleCopyOptions())
        XCTAssertEqual(try value("log_disconnections").value, "off")
        XCTAssertEqual(try value("log_disconnections", server: "pgfs2").value, "on")
    }

    func testBackupsAreDailyFromCreationWithinTheRetentionWindow() throws {
        let created = w.now
        XCTAssertEqual(try w.flexibleBackups(server: "pgfs1", resourceGroup: "rg").map(\.completedTime), [created])
        try w.advanceClock(by: 86400 * 3 - 1)
        XCTAssertEqual(try w.flexibleBackups(server: "pgfs1", resourceGroup: "rg").count, 3)
        try w.advanceClock(by: 1)
        XCTAssertEqual(try w.flexibleBackups(server: "pgfs1", resourceGroup: "rg").count, 4)
        try w.advanceClock(by: 86400 * 20)
        let kept = try w.flexibleBackups(server: "pgfs1", resourceGroup: "rg")
        XCTAssertEqual(kept.count, 8, "7 days of retention: the backups from 7 days ago up to today")
        XCTAssertEqual(kept.first?.completedTime, w.earliestRestoreDate(w.flexibleServers["pgfs1"]!))
        XCTAssertEqual(
            try w.flexibleBackup(server: "pgfs1", resourceGroup: "rg", name: kept[2].name.uppercased()), kept[2])
        XCTAssertEqual(
            code { _ = try w.flexibleBackup(server: "pgfs1", resourceGroup: "rg", name: "nope") }, "ResourceNotFound")
    }

    func testABackupIsNamedAfterItsCompletionInTicks() {
        // .NET ticks since 0001-01-01 of 2025-06-01T14:30:22.123456Z (computed with Python's datetime).
        XCTAssertEqual(
            FlexibleBackup.name(completed: Date(timeIntervalSince1970: 1_748_788_222.123456)),
            "backup_638843850221234560")
    }

    func testAReplicaTakesNoBackupsUntilItIsPromoted() throws {
        try w.copyFlexibleServer(
            name: "pgfs1-r", resourceGroup: "rg", source: "pgfs1", kind: .replica(location: nil),
            options: World.FlexibleCopyOptions())
        try w.advanceClock(by: 86400 * 2)
        XCTAssertEqual(try w.flexibleBackups(server: "pgfs1-r", resourceGroup: "rg"), [])
        try w.promoteFlexibleReplica(name: "pgfs1-r", resourceGroup: "rg")
        XCTAssertEqual(try w.flexibleBackups(server: "pgfs1-r", resourceGroup: "rg").map(\.completedTime), [w.now])
    }
}
