import Cloud
import Foundation
import XCTest
@testable import Store

/// Damage to any file of the state directory is refused with the corruption message, exit 1,
/// before anything is written: never a crash, never "not found" for an entry that exists, never
/// a silently different world. Only a torn last journal record may be dropped.
final class StateCorruptionTests: BinaryTestCase {
    /// Every file of the state directory and its bytes.
    func files() throws -> [String: Data] {
        var out = [String: Data]()
        for name in try FileManager.default.contentsOfDirectory(atPath: state) where name != "lock" {
            out[name] = try Data(contentsOf: URL(fileURLWithPath: state + "/" + name))
        }
        return out
    }

    func path(_ name: String) -> URL { URL(fileURLWithPath: state + "/" + name) }

    /// A snapshot holding a vault of 44 EC keys, then three groups journaled after it.
    func makeWorld() throws {
        try StateDirectory(path: state).transaction { w in
            try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
            _ = try w.createVault(
                name: "kv1", resourceGroup: "rg", location: nil,
                settings: VaultSettings(enableRbacAuthorization: false), selfPermissions: true)
            var spec = KeySpec()
            spec.kty = "EC"
            for i in 1...44 { _ = try w.createKey(vault: "kv1", name: "k\(i)", spec: spec, caller: w.operatorCaller) }
        }
        for g in ["g1", "g2", "g3"] { XCTAssertEqual(try kd("az group create -n \(g) -l westus -o none").exitCode, 0) }
    }

    /// The command fails with the corruption message and leaves every file as it was.
    func assertRefused(
        _ line: String, mentioning: String, file: StaticString = #filePath, lineNumber: UInt = #line
    ) throws {
        let before = try files()
        let r = try kd(line)
        XCTAssertEqual(r.exitCode, 1, "\(line): \(r.stderr)", file: file, line: lineNumber)
        XCTAssertTrue(
            r.stderr.hasPrefix("ERROR: ") && r.stderr.contains("corrupt") && r.stderr.contains(mentioning),
            r.stderr, file: file, line: lineNumber)
        XCTAssertEqual(r.stdout, "", file: file, line: lineNumber)
        XCTAssertEqual(try files(), before, "nothing was written", file: file, line: lineNumber)
    }

    func testAFlippedBitInTheJournalHeaderIsCorruptionNotAStaleJournal() throws {
        try makeWorld()
        var journal = try Data(contentsOf: path("journal.bin"))
        journal[8] ^= 0x01  // the generation
        try journal.write(to: path("journal.bin"))
        try assertRefused("az group list --query [].name -o tsv", mentioning: "journal")
        try assertRefused("az group create -n g4 -l westus", mentioning: "journal")
    }

    func testADamagedRecordBeforeTheLastIsRefusedEvenInItsLength() throws {
        try makeWorld()
        let good = try Data(contentsOf: path("journal.bin"))
        // The first record's length, made to reach past the end: once taken for a torn tail.
        var longer = good
        longer[Journal.headerSize + 3] = 0x7F
        try longer.write(to: path("journal.bin"))
        try assertRefused("az group list", mentioning: "journal")
        // A byte inside the first record's payload.
        var garbled = good
        garbled[Journal.headerSize + 30] ^= 0x10
        try garbled.write(to: path("journal.bin"))
        try assertRefused("az group list", mentioning: "journal")
        // A torn last record is still dropped: the world before the last command.
        try good.prefix(good.count - 5).write(to: path("journal.bin"))
        XCTAssertEqual(try kd("az group list --query [].name -o tsv").stdout, "g1\ng2\nrg\n")
    }

    func testAChangedByteInTheWorldFileIsRefused() throws {
        try makeWorld()
        var world = try String(contentsOf: path("world.json"), encoding: .utf8)
        // Still valid JSON, a different world: the group's location.
        let range = try XCTUnwrap(world.range(of: "\"westus\""))
        world.replaceSubrange(range, with: "\"eastus\"")
        try world.write(to: path("world.json"), atomically: false, encoding: .utf8)
        try assertRefused("az group list", mentioning: "world.json")
    }

    func testADamagedTableIndexIsRefusedBeforeAnyCreateCanReplaceAKey() throws {
        try makeWorld()
        let name = try XCTUnwrap(try files().keys.first { $0.hasPrefix("tables-") })
        let good = try Data(contentsOf: path(name))
        for at in [28, 40, good.count - 40, good.count - 3] {
            var bad = good
            bad[at] ^= 0x04
            try bad.write(to: path(name))
            try assertRefused("az keyvault key show --vault-name kv1 -n k30 --query key.kid", mentioning: name)
            try assertRefused("az keyvault key create --vault-name kv1 -n k30 --kty EC", mentioning: name)
        }
        try good.write(to: path(name))
        XCTAssertEqual(try kd("az keyvault key list --vault-name kv1 --query length(@)").stdout, "44\n")
    }

    func testZeroedBytesAnywhereInTheTablesAreAClearErrorNeverACrashOrNotFound() throws {
        try makeWorld()
        let name = try XCTUnwrap(try files().keys.first { $0.hasPrefix("tables-") })
        let good = try Data(contentsOf: path(name))
        let step = max(1, good.count / 40)
        for start in stride(from: 0, to: good.count, by: step) {
            var bad = good
            for i in start..<min(start + 64, bad.count) { bad[i] = 0 }
            if bad == good { continue }
            try bad.write(to: path(name))
            for line in ["az keyvault key show --vault-name kv1 -n k7 --query name -o tsv", "audit --query length(@)"] {
                let r = try kd(line)
                XCTAssertTrue(
                    r.exitCode == 0 || r.exitCode == 1, "zeroed at \(start): \(line) exited \(r.exitCode): \(r.stderr)")
                if r.exitCode == 1 { XCTAssertTrue(r.stderr.contains("corrupt"), "zeroed at \(start): \(r.stderr)") }
            }
        }
    }

    func testATemporaryFileLeftByAKilledWriteIsRemovedByTheNextCommand() throws {
        try makeWorld()
        let tmp = state + "/world.json.tmp-99999"
        try Data(repeating: 7, count: 1 << 20).write(to: URL(fileURLWithPath: tmp))
        XCTAssertEqual(try kd("az group create -n g4 -l westus -o none").exitCode, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: tmp))
    }

    func testLinksPlantedInTheStateDirectoryAreNeverFollowed() throws {
        let victim = Binary.tempDir()
        XCTAssertEqual(mkdir(victim, 0o700), 0)
        defer { try? FileManager.default.removeItem(atPath: victim) }
        let target = victim + "/precious"
        let precious = Data("do not touch\n".utf8)
        for name in ["journal.bin", "lock", "world.json.tmp-\(getpid())", "tables-2.bin"] {
            try? FileManager.default.removeItem(atPath: state)
            try makeWorld()
            try precious.write(to: URL(fileURLWithPath: target))
            unlink(state + "/" + name)
            XCTAssertEqual(symlink(target, state + "/" + name), 0)
            // Whatever keydrill answers, the file the link points to is untouched.
            _ = try kd("az group create -n g9 -l westus -o none")
            // A fold in this process writes world.json.tmp-PID and tables-2.bin.
            let store = try StateDirectory(path: state)
            store.journalLimit = 0
            _ = try? store.transaction { try $0.advanceClock(by: 1) }
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: target)), precious, "through \(name)")
        }
    }

    func testAStateDirectoryOthersMayWriteOrThatIsALinkIsRefused() throws {
        XCTAssertEqual(mkdir(state, 0o700), 0)
        XCTAssertEqual(chmod(state, 0o777), 0)
        var r = try kd("az group list")
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(r.stderr.contains("writable by every user"), r.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: state), [], "nothing created in it")
        XCTAssertEqual(chmod(state, 0o700), 0)
        let link = Binary.tempDir()
        XCTAssertEqual(symlink(state, link), 0)
        defer { unlink(link) }
        r = try Binary.run(["-c", "az group list"], state: link)
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(r.stderr.contains("symbolic link"), r.stderr)
    }
}

/// A state directory written by the previous format (2: no checksums on the world file, the
/// tables' index or the journal's headers) still loads, and its next change rewrites it whole in
/// the current format.
final class FormatMigrationTests: BinaryTestCase {
    func testAFormatTwoDirectoryLoadsAndIsRewrittenInFormatThree() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Fixtures/format-2")
        try FileManager.default.copyItem(atPath: fixture.path, toPath: state)
        XCTAssertEqual(chmod(state, 0o700), 0)
        XCTAssertEqual(try kd("az group list --query [].name -o tsv").stdout, "rg\nrg2\n")
        XCTAssertEqual(try kd("az keyvault key show --vault-name kvold -n k1 --query key.kty -o tsv").stdout, "EC\n")
        let world = try String(contentsOfFile: state + "/world.json", encoding: .utf8)
        XCTAssertTrue(world.contains("\"version\":3") && world.contains("\"checksum\":"), world)
        XCTAssertFalse(FileManager.default.fileExists(atPath: state + "/journal.bin"), "the old journal was folded")
        let tables = try Data(contentsOf: URL(fileURLWithPath: state + "/tables-2.bin"))
        XCTAssertEqual(String(decoding: tables.prefix(8), as: UTF8.self), "KDTABLE3")
        XCTAssertEqual(try kd("az group create -n rg3 -l westus -o none").exitCode, 0)
        XCTAssertEqual(try kd("az group list --query [].name -o tsv").stdout, "rg\nrg2\nrg3\n")
        XCTAssertEqual(try kd("az keyvault key list --vault-name kvold --query [].name -o tsv").stdout, "k1\n")
        XCTAssertEqual(try kd("clock now").stdout.prefix(10), "2030-01-01")
    }
}
