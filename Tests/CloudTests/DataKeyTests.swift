import Crypto
import Foundation
import XCTest

@testable import Cloud

/// The envelope's batch sealing (DataKey.swift): one random prefix per batch, a counter per item.
final class DataKeyTests: XCTestCase {
    func testABatchNeverRepeatsANonceAndEveryItemOpens() throws {
        let key = DataKey.generate()
        var sealer = BatchSealer(key: key)
        let sealed = try (1...300).map { try sealer.seal(Data("row \($0)".utf8)) }
        let nonces = sealed.map { Array($0.prefix(12)) }
        XCTAssertEqual(Set(nonces).count, 300)
        XCTAssertEqual(Set(nonces.map { $0.prefix(8) }).count, 1, "one prefix for the batch")
        XCTAssertEqual(nonces[299].suffix(4), [0, 0, 1, 44], "the counter, big-endian: 300")
        let other = BatchSealer(key: key)
        XCTAssertNotEqual(Array(other.nonce.prefix(8)), nonces[0].prefix(8).map { $0 }, "a new prefix per batch")
        for (i, s) in sealed.enumerated() {
            XCTAssertEqual(try DataKey.open(s, with: SymmetricKey(data: key)), Data("row \(i + 1)".utf8))
        }
    }
}
