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
        let created = try store.transaction { w -> ResourceGroup in
            try w.createResourceGroup(name: "rg", location: "westus", tags: ["a": "b"], managedBy: nil)
        }
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
        try store.transaction { w in
            _ = try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: dir + "/world.json"))
        XCTAssertThrowsError(
            try store.transaction { w in
                _ = try w.createResourceGroup(name: "rg2", location: "westus", tags: nil, managedBy: nil)
                _ = try w.createResourceGroup(name: "bad", location: "mars", tags: nil, managedBy: nil)
            })
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/world.json")), before)
    }

    func testCorruptTruncatedAndNewerFilesAreRefusedAndKept() throws {
        let store = try StateDirectory(path: dir)
        try store.transaction { w in
            _ = try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
        }
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
            XCTAssertEqual(
                try Data(contentsOf: URL(fileURLWithPath: path)), bytes, "the refused file must not be overwritten")
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
