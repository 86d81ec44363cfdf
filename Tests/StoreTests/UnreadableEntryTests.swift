import Foundation
import XCTest
@testable import Store
import Cloud

/// An entry that fails its check is met deep inside a command, where nothing can throw: the
/// command sees "no entry", and the transaction throws the corruption before writing anything.
final class UnreadableEntryTests: XCTestCase {
    func testADamagedKeyIsAThrownErrorAndNothingIsWritten() throws {
        let dir = NSTemporaryDirectory() + "keydrill-entry-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try StateDirectory(path: dir).transaction { w in
            try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
            try w.createVault(
                name: "kv1", resourceGroup: "rg", location: nil,
                settings: VaultSettings(enableRbacAuthorization: false), selfPermissions: true)
            _ = try w.createKey(vault: "kv1", name: "k1", spec: KeySpec(), caller: w.operatorCaller)
        }
        let tables = dir + "/tables-1.bin"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: tables))
        let at = try XCTUnwrap(bytes.range(of: Data("\"kty\"".utf8))).lowerBound + 3
        bytes[at] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: tables))
        let before = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        let core = try Data(contentsOf: URL(fileURLWithPath: dir + "/world.json"))

        var sawKey: Bool?
        XCTAssertThrowsError(
            try StateDirectory(path: dir).transaction { w in
                sawKey = w.vaults["kv1"]?.keys["k1"] != nil
                // What a command would do next: create the key it could not see.
                _ = try w.createKey(vault: "kv1", name: "k1", spec: KeySpec(), caller: w.operatorCaller)
            }
        ) { e in
            XCTAssertTrue("\(e)".contains("entry 'kv1/k1' of table keys cannot be read"), "\(e)")
        }
        XCTAssertEqual(sawKey, false)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), before)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/world.json")), core)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: tables)), bytes)
    }
}
