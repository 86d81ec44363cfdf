import Foundation
import XCTest
@testable import Store
import Cloud

/// The journal: each command appends one record; a torn last record (a crash mid-append) is
/// ignored and cut before the next append; a bad record before the last is refused; the journal
/// is folded into a new snapshot once it is full.
final class JournalTests: XCTestCase {
    var dir: String!
    override func setUp() { dir = NSTemporaryDirectory() + "keydrill-journal-\(UUID().uuidString)" }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func testRecordsAppendTornTailIsIgnoredAndCutCorruptionIsRefused() throws {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let store = try StateDirectory(path: dir)
        try store.transaction { $0 = World.new(now: t0) }
        try store.transaction { try $0.createResourceGroup(name: "a", location: "westus", tags: nil, managedBy: nil) }
        try store.transaction { try $0.advanceClock(by: 60) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: store.journalPath))
        let snapshot = try Data(contentsOf: URL(fileURLWithPath: store.worldPath))
        var w = try XCTUnwrap(try StateDirectory(path: dir).load())
        XCTAssertEqual(w.resourceGroups.keys.sorted(), ["a"])
        XCTAssertEqual(w.now, t0.addingTimeInterval(60))

        // A crash mid-append leaves part of a record: the world is the one before it.
        let good = try Data(contentsOf: URL(fileURLWithPath: store.journalPath))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: store.journalPath))
        handle.seekToEndOfFile()
        handle.write(good.suffix(from: Journal.headerSize).prefix(20))
        try handle.close()
        w = try XCTUnwrap(try StateDirectory(path: dir).load())
        XCTAssertEqual(w.now, t0.addingTimeInterval(60))
        // A whole last record with garbage inside (a torn page) is ignored too.
        var garbled = good
        garbled[garbled.count - 3] ^= 0xFF
        try garbled.write(to: URL(fileURLWithPath: store.journalPath))
        w = try XCTUnwrap(try StateDirectory(path: dir).load())
        XCTAssertEqual(w.now, t0, "the garbled last record (the clock move) is not applied")
        try good.write(to: URL(fileURLWithPath: store.journalPath))
        let torn = try XCTUnwrap(FileHandle(forWritingAtPath: store.journalPath))
        torn.seekToEndOfFile()
        torn.write(Data([1, 2, 3]))
        try torn.close()
        // The next command cuts the torn tail off before appending.
        let next = try StateDirectory(path: dir)
        try next.transaction { try $0.createResourceGroup(name: "b", location: "westus", tags: nil, managedBy: nil) }
        XCTAssertEqual(try XCTUnwrap(try StateDirectory(path: dir).load()).resourceGroups.keys.sorted(), ["a", "b"])
        XCTAssertEqual(
            try Data(contentsOf: URL(fileURLWithPath: store.worldPath)), snapshot,
            "the snapshot is not rewritten per command")

        // A damaged record followed by good ones is corruption, not a torn write.
        var damaged = try Data(contentsOf: URL(fileURLWithPath: store.journalPath))
        damaged[Journal.headerSize + 20] ^= 0xFF
        try damaged.write(to: URL(fileURLWithPath: store.journalPath))
        XCTAssertThrowsError(try StateDirectory(path: dir).load()) {
            XCTAssertTrue("\($0)".contains("journal"), "\($0)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: store.journalPath)), damaged, "nothing overwritten")
    }

    func testTheJournalIsFoldedIntoANewSnapshotWhenFull() throws {
        let store = try StateDirectory(path: dir)
        store.journalLimit = 64 << 10
        try store.transaction { $0 = World.new(now: Date(timeIntervalSince1970: 1_800_000_000)) }
        let firstSnapshot = try Data(contentsOf: URL(fileURLWithPath: store.worldPath))
        var largest = 0
        for i in 0..<3000 {
            try store.transaction { try $0.advanceClock(by: Double(i % 7 + 1)) }
            largest = max(
                largest, (try? FileManager.default.attributesOfItem(atPath: store.journalPath)[.size] as? Int) ?? 0)
        }
        XCTAssertLessThan(largest, (64 << 10) + 4096, "the journal never grows past its limit by more than a record")
        XCTAssertNotEqual(
            try Data(contentsOf: URL(fileURLWithPath: store.worldPath)), firstSnapshot, "a new snapshot was written")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("tables-") }
        XCTAssertEqual(files.count, 1, "old snapshots' tables are removed: \(files)")
        let expected = try store.transaction { $0.now }
        XCTAssertEqual(try XCTUnwrap(try StateDirectory(path: dir).load()).now, expected)
    }

    /// Loading decodes one whole core at most, then patches: after many commands the journal
    /// carries the core again, so the world still comes back exactly.
    func testLongJournalsCarryTheWholeCoreAndLoadExactly() throws {
        let store = try StateDirectory(path: dir)
        try store.transaction { $0 = World.new(now: Date(timeIntervalSince1970: 1_800_000_000)) }
        for i in 0..<300 {
            try store.transaction { w in
                _ = try w.createResourceGroup(name: "rg\(i)", location: "westus", tags: ["i": "\(i)"], managedBy: nil)
            }
        }
        let journal = try MappedFile(path: store.journalPath)
        let scan = try Journal.scan(journal, generation: 1)
        XCTAssertEqual(scan.records.count, 300)
        XCTAssertGreaterThan(scan.records.filter { $0.coreKind == .whole }.count, 0)
        let expected = try store.transaction { $0 }
        XCTAssertEqual(try XCTUnwrap(try StateDirectory(path: dir).load()), expected)
    }
}

/// Tables (keys, deleted keys, the audit log) are stored apart and read on demand.
final class StoredTablesTests: XCTestCase {
    var dir: String!
    override func setUp() { dir = NSTemporaryDirectory() + "keydrill-tables-\(UUID().uuidString)" }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    static func ec() -> KeySpec {
        var s = KeySpec()
        s.kty = "EC"
        return s
    }

    func testAKeyIsReadWithoutDecodingTheOthers() throws {
        let store = try StateDirectory(path: dir)
        try store.transaction { w in
            w = World.new(now: Date(timeIntervalSince1970: 1_800_000_000))
            try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
            _ = try w.createVault(
                name: "kv-test", resourceGroup: "rg", location: nil,
                settings: VaultSettings(enableRbacAuthorization: false), selfPermissions: true)
            for i in 0..<200 {
                _ = try w.createKey(vault: "kv-test", name: "k\(i)", spec: Self.ec(), caller: w.operatorCaller)
            }
        }
        let fresh = try StateDirectory(path: dir)
        let kid = try fresh.transaction { w in
            try w.getKey(vault: "kv-test", name: "k150", version: nil, caller: w.operatorCaller).2.version
        }
        XCTAssertEqual(kid.count, 32)
        let world = try XCTUnwrap(try fresh.load())
        let source = try XCTUnwrap(world.vaults["kv-test"]!.keys.base as? TableView)
        XCTAssertEqual(source.entries.decodedCount, 1, "showing one key of 200 decodes that key only")
        XCTAssertEqual(world.audit.count, 201)
        XCTAssertEqual(world.audit.last?.operation, "KeyGet")
        XCTAssertEqual(world.vaults["kv-test"]!.keys.count, 200)
    }

    /// Random commands through the store (folding often): after every one, a fresh load finds
    /// exactly the world the process holds: keys created, rotated, deleted, recovered
    /// and purged, vaults deleted, recovered and purged, the audit log, and checkpoints rewound to.
    func testRandomCommandsThroughTheStoreMatchTheWorldInMemory() throws {
        var rng = SplitMix(seed: 7)
        var memory = World.new(now: Date(timeIntervalSince1970: 1_800_000_000))
        try memory.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
        let store = try StateDirectory(path: dir)
        store.journalLimit = 24 << 10
        let start = memory
        try store.transaction { $0 = start }
        var checkpoints = [memory]
        var longestAudit = 0, rewinds = 0
        for step in 0..<400 {
            let vault = "vault\(rng.next() % 3)", key = "k\(rng.next() % 5)"
            let action = rng.next() % 12
            func run(_ w: inout World) {
                let op = w.operatorCaller
                switch action {
                case 0:
                    _ = try? w.createVault(
                        name: vault, resourceGroup: "rg", location: nil,
                        settings: VaultSettings(enableRbacAuthorization: false),
                        selfPermissions: true)
                case 1, 2: _ = try? w.createKey(vault: vault, name: key, spec: Self.ec(), caller: op)
                case 3: _ = try? w.rotateKey(vault: vault, name: key, caller: op)
                case 4: _ = try? w.deleteKey(vault: vault, name: key, caller: op)
                case 5: _ = try? w.recoverKey(vault: vault, name: key, caller: op)
                case 6: try? w.purgeKey(vault: vault, name: key, caller: op)
                case 7: try? w.deleteVault(name: vault, resourceGroup: nil)
                case 8: _ = try? w.recoverVault(name: vault, location: nil)
                case 9: try? w.purgeVault(name: vault, location: nil)
                case 10: _ = try? w.getKey(vault: vault, name: key, version: nil, caller: op)
                default: try? w.advanceClock(by: 3600)
                }
            }
            if rng.next() % 40 == 0 {
                let back = checkpoints[Int(rng.next() % UInt64(checkpoints.count))]
                memory = back
                try store.transaction { $0 = back }
            } else {
                // Keys are random, so the command runs once; the world it leaves in the process
                // must be the world a fresh load finds.
                memory = try store.transaction { w in
                    run(&w); return w
                }
            }
            if step % 25 == 0 { checkpoints.append(try store.transaction { $0 }) }
            let reloaded = try XCTUnwrap(try StateDirectory(path: dir).load())
            XCTAssertEqual(reloaded, memory, "step \(step), action \(action)")
            if reloaded != memory { return }
            longestAudit = max(longestAudit, memory.audit.count)
            rewinds += memory.audit.count < longestAudit ? 1 : 0
        }
        XCTAssertGreaterThan(longestAudit, 50)
        XCTAssertGreaterThan(rewinds, 0)
    }

    func testAFormatOneDirectoryLoadsAndIsRewrittenInTheCurrentFormat() throws {
        var w = World.new(now: Date(timeIntervalSince1970: 1_800_000_000))
        try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
        _ = try w.createVault(
            name: "kv-test", resourceGroup: "rg", location: nil,
            settings: VaultSettings(enableRbacAuthorization: false), selfPermissions: true)
        _ = try w.createKey(vault: "kv-test", name: "old", spec: Self.ec(), caller: w.operatorCaller)
        struct V1: Encodable { let format = "keydrill-world"; let version = 1; let generation = 1; let world: World }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try StoreCoding.encoder.encode(V1(world: w)).write(to: URL(fileURLWithPath: dir + "/world.json"))
        var moved = w
        try moved.advanceClock(by: 60)
        let line = try StoreCoding.encoder.encode([
            "generation": AnyEncodable(1), "patch": AnyEncodable(WorldPatch(from: w, to: moved)),
        ])
        try (line + Data("\n".utf8)).write(to: URL(fileURLWithPath: dir + "/journal.jsonl"))

        let store = try StateDirectory(path: dir)
        let loaded = try XCTUnwrap(try store.load())
        XCTAssertEqual(loaded.now, moved.now)
        XCTAssertEqual(loaded.vaults["kv-test"]?.keys["old"]?.name, "old")
        XCTAssertEqual(loaded.audit.count, 1)
        try store.transaction { w in
            _ = try w.getKey(vault: "kv-test", name: "old", version: nil, caller: w.operatorCaller)
        }
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
        XCTAssertTrue(files.contains("tables-2.bin"), "\(files)")
        XCTAssertFalse(files.contains("journal.jsonl"))
        let again = try XCTUnwrap(try StateDirectory(path: dir).load())
        XCTAssertEqual(again.audit.map(\.operation), ["KeyCreate", "KeyGet"])
        XCTAssertEqual(again.vaults["kv-test"]?.keys["old"], w.vaults["kv-test"]?.keys["old"])
    }
}

struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: Encoder) throws { try value.encode(to: encoder) }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A directory that keeps history never folds, and gives the world as of any earlier record.
final class HistoryTests: XCTestCase {
    func testEveryEarlierWorldCanBeLoadedAndTheNextChangeReplacesTheLaterRecords() throws {
        let dir = NSTemporaryDirectory() + "keydrill-history-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try StateDirectory(path: dir, keepsHistory: true)
        store.journalLimit = 0
        try store.transaction { $0 = World.new(now: Date(timeIntervalSince1970: 1_800_000_000)) }
        var counts = [Int]()
        for name in ["a", "b", "c"] {
            try store.transaction {
                try $0.createResourceGroup(name: name, location: "westus", tags: nil, managedBy: nil)
            }
            counts.append(store.recordCount)
        }
        XCTAssertEqual(counts, [1, 2, 3], "one record per change, never folded")
        let reader = try StateDirectory(path: dir, keepsHistory: true)
        XCTAssertEqual(try XCTUnwrap(try reader.load(records: 1)).resourceGroups.keys.sorted(), ["a"])
        XCTAssertEqual(try XCTUnwrap(try reader.load(records: 0)).resourceGroups.keys.sorted(), [])
        // Going on from record 1 replaces records 2 and 3.
        _ = try reader.load(records: 1)
        try reader.transaction { try $0.createResourceGroup(name: "z", location: "westus", tags: nil, managedBy: nil) }
        XCTAssertEqual(reader.recordCount, 2)
        XCTAssertEqual(try XCTUnwrap(try StateDirectory(path: dir).load()).resourceGroups.keys.sorted(), ["a", "z"])
    }
}
