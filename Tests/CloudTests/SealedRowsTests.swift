import Crypto
import Foundation
import XCTest

@testable import Cloud

/// Workload rows are stored one buffer per write, read back row by row, and a state file that
/// holds them one object per row (as earlier keydrill wrote them) still loads and verifies.
final class SealedRowsTests: XCTestCase {
    let key = Data((0..<32).map { UInt8($0) })

    func testABatchVerifiesRowByRowAndATamperedByteFailsIt() throws {
        var rows = SealedRows()
        rows.append(try World.sealRows(after: 0, count: 5, key: key, at: Date(timeIntervalSince1970: 100)))
        rows.append(try World.sealRows(after: 5, count: 1_000, key: key, at: Date(timeIntervalSince1970: 200)))
        XCTAssertEqual(rows.count, 1_005)
        XCTAssertTrue(World.verifyRows(rows, dataKey: key))
        XCTAssertFalse(World.verifyRows(rows, dataKey: Data(repeating: 7, count: 32)), "another key opens nothing")
        XCTAssertEqual(rows.written(atOrBefore: Date(timeIntervalSince1970: 150)).count, 5)
        var tampered = SealedRows()
        var sealed = rows.batches[1].sealed
        sealed[sealed.startIndex + 500] ^= 1
        tampered.append(rows.batches[0])
        tampered.append(
            SealedRows.Batch(first: 6, count: 1_000, writtenAt: Date(timeIntervalSince1970: 200), sealed: sealed))
        XCTAssertFalse(World.verifyRows(tampered, dataKey: key))
        let again = try JSONDecoder().decode(SealedRows.self, from: try JSONEncoder().encode(rows))
        XCTAssertEqual(again, rows)
    }

    func testRowsStoredOneObjectEachStillLoad() throws {
        let batch = try World.sealRows(after: 0, count: 3, key: key, at: Date(timeIntervalSince1970: 100))
        var offset = batch.sealed.startIndex
        var legacy = [[String: Any]]()
        for n in 1...3 {
            let end = offset + SealedRows.sealedLength(n)
            legacy.append(["number": n, "writtenAt": 100, "sealed": batch.sealed[offset..<end].base64EncodedString()])
            offset = end
        }
        let data = try JSONSerialization.data(withJSONObject: legacy)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        let rows = try decoder.decode(SealedRows.self, from: data)
        XCTAssertEqual(rows.count, 3)
        XCTAssertTrue(World.verifyRows(rows, dataKey: key))
    }
}
