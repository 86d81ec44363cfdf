import Foundation
import XCTest
@testable import Store
import Cloud

final class StateDirectoryTests: XCTestCase {
    var dir: String!

    override func setUp() {
        dir = NSTemporaryDirectory() + "keydrill-store-\(UUID().uuidString)"
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func testRoundTripAndPermissions() throws {
        let store = try StateDirectory(path: dir)
        let created = try store.transaction { w -> ResourceGroup in try w.createResourceGroup(name: "rg", location: "westus", tags: ["a": "b"], managedBy: nil) }
        XCTAssertEqual(created.location, "westus")
        let again = try StateDirectory(path: dir)
        let loaded = try XCTUnwrap(try again.load())
        XCTAssertEqual(loaded.resourceGroups["rg"]?.tags, ["a": "b"])
        let mode = try FileManager.default.attributesOfItem(atPath: dir + "/world.json")[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [])
    }

    func testFailedTransactionWritesNothing() throws {
        let store = try StateDirectory(path: dir)
        try store.transaction { w in _ = try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil) }
        let before = try Data(contentsOf: URL(fileURLWithPath: dir + "/world.json"))
        XCTAssertThrowsError(try store.transaction { w in
            _ = try w.createResourceGroup(name: "rg2", location: "westus", tags: nil, managedBy: nil)
            _ = try w.createResourceGroup(name: "bad", location: "mars", tags: nil, managedBy: nil)
        })
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/world.json")), before)
    }

    func testCorruptTruncatedAndNewerFilesAreRefusedAndKept() throws {
        let store = try StateDirectory(path: dir)
        try store.transaction { w in _ = try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil) }
        let path = dir + "/world.json"
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        let cases: [(Data, String)] = [
            (good.prefix(good.count / 2), "corrupt or truncated"),
            (Data("{\"format\":\"keydrill-world\",\"version\":99,\"world\":{}}".utf8), "newer keydrill"),
            (Data("{\"format\":\"keydrill-world\",\"version\":1,\"world\":{\"now\":1}}".utf8), "is corrupt"),
        ]
        for (bytes, expected) in cases {
            try bytes.write(to: URL(fileURLWithPath: path))
            let fresh = try StateDirectory(path: dir)
            XCTAssertThrowsError(try fresh.transaction { _ in }) { e in
                XCTAssertTrue("\(e)".contains(expected), "\(e)")
            }
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), bytes, "the refused file must not be overwritten")
        }
    }

    func testSecondWriterWaitsForTheLock() throws {
        let a = try StateDirectory(path: dir)
        let b = try StateDirectory(path: dir)
        let started = Date()
        try a.transaction { w in
            _ = try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
            XCTAssertThrowsError(try b.transaction(timeout: 0.2) { _ in }) { e in
                XCTAssertTrue("\(e)".contains("another keydrill process"))
            }
        }
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.2)
        let seen = try b.transaction { $0.resourceGroups.count }
        XCTAssertEqual(seen, 1, "the second writer sees the first writer's change")
    }

    func testStatePathThatIsAFileIsAClearError() throws {
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir))
        XCTAssertThrowsError(try StateDirectory(path: dir)) { e in
            XCTAssertTrue("\(e)".contains("is not a directory"), "\(e)")
        }
        XCTAssertThrowsError(try StateDirectory(path: dir + "/sub")) { e in
            XCTAssertTrue("\(e)".contains("cannot create the state directory"), "\(e)")
        }
        XCTAssertEqual(try String(contentsOfFile: dir, encoding: .utf8), "x")
    }
}

/// The journal: commands append patches; a torn last line (a crash mid-append) is ignored and
/// cut off before the next append; a corrupt line in the middle is refused; the journal is folded
/// into a new snapshot once it outgrows it.
final class JournalTests: XCTestCase {
    var dir: String!
    override func setUp() { dir = NSTemporaryDirectory() + "keydrill-journal-\(UUID().uuidString)" }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func testPatchesAppendTornTailIsIgnoredAndCutCorruptionIsRefused() throws {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let store = try StateDirectory(path: dir)
        try store.transaction { $0 = World.new(now: t0) }
        try store.transaction { try $0.createResourceGroup(name: "a", location: "westus", tags: nil, managedBy: nil) }
        try store.transaction { try $0.advanceClock(by: 60) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: store.journalPath))
        let snapshot = try Data(contentsOf: URL(fileURLWithPath: store.worldPath))
        let fresh = try StateDirectory(path: dir)
        var w = try XCTUnwrap(try fresh.load())
        XCTAssertEqual(w.resourceGroups.keys.sorted(), ["a"])
        XCTAssertEqual(w.now, t0.addingTimeInterval(60))

        // A crash mid-append leaves part of a line: the world is the one before it.
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: store.journalPath))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"generation":1,"patch":{"now":18"#.utf8))
        try handle.close()
        w = try XCTUnwrap(try StateDirectory(path: dir).load())
        XCTAssertEqual(w.now, t0.addingTimeInterval(60))
        // The next command cuts the torn tail off before appending.
        let next = try StateDirectory(path: dir)
        try next.transaction { try $0.createResourceGroup(name: "b", location: "westus", tags: nil, managedBy: nil) }
        XCTAssertEqual(try XCTUnwrap(try StateDirectory(path: dir).load()).resourceGroups.keys.sorted(), ["a", "b"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: store.worldPath)), snapshot, "the snapshot is not rewritten per command")

        // A damaged line followed by good ones is corruption, not a torn write.
        var text = try String(contentsOfFile: store.journalPath, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"generation\"", with: "\"gen?ration\"", options: [], range: text.range(of: "\"generation\""))
        try text.write(toFile: store.journalPath, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try StateDirectory(path: dir).load()) { XCTAssertTrue("\($0)".contains("journal")) }
    }

    func testTheJournalIsFoldedIntoANewSnapshotWhenItOutgrowsIt() throws {
        let store = try StateDirectory(path: dir)
        try store.transaction { $0 = World.new(now: Date(timeIntervalSince1970: 1_800_000_000)) }
        let firstSnapshot = try Data(contentsOf: URL(fileURLWithPath: store.worldPath))
        for i in 0..<6000 { try store.transaction { try $0.advanceClock(by: Double(i % 7 + 1)) } }
        // 6,000 commands, but the journal holds only those since the last fold (one per 5,000).
        let lines = try String(contentsOfFile: store.journalPath, encoding: .utf8).split(separator: "\n").count
        XCTAssertLessThan(lines, 5000)
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: store.worldPath)), firstSnapshot, "a new snapshot was written")
        let expected = try store.transaction { $0.now }
        XCTAssertEqual(try XCTUnwrap(try StateDirectory(path: dir).load()).now, expected)
    }
}
