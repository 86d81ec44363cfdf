import JMESPath
import XCTest

/// The paths an expression reads from its document, from the parse: comparisons, functions and
/// hashes look inside; projections, filters and pipes read elements, not the document.
final class FieldPathsTests: XCTestCase {
    func paths(_ e: String) throws -> [String] { try JMESPathExpression(e).fieldPaths }

    func testPathsFromTheParse() throws {
        XCTAssertEqual(
            try paths("key.kty == 'EC' && attributes.enabled == `false`"), ["key.kty", "attributes.enabled"])
        XCTAssertEqual(try paths("length(keys) > `0` || !state"), ["keys", "state"])
        XCTAssertEqual(
            try paths("encryption.keyVaultProperties[0].keyVersion == ''"), ["encryption.keyVaultProperties"])
        XCTAssertEqual(try paths("items[?state == 'Ready'].name | [0]"), ["items"])
        XCTAssertEqual(try paths("{a: \"dash-name\".x, b: 'state'}"), ["\"dash-name\".x"])
        XCTAssertEqual(try paths("`true`"), [])
    }
}
