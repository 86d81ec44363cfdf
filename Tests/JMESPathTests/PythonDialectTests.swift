import XCTest
@testable import JMESPath

/// Where az's --query is jmespath.py rather than the bare specification (checked against
/// jmespath 1.0.1, the version azure-cli 2.91 installs): strings order, legacy literals that are
/// not JSON are strings, and functions are looked up and counted when they run.
final class PythonDialectTests: XCTestCase {
    func search(_ e: String, _ data: String = "null") throws -> JSON {
        try JMESPathExpression(e).search(try JSON.parse(data))
    }

    func testStringsOrderByCodePoint() throws {
        XCTAssertEqual(try search("'a' < 'b'"), true)
        XCTAssertEqual(try search("'b' <= 'a'"), false)
        XCTAssertEqual(try search(#"[?n > 'b'].n"#, #"[{"n":"a"},{"n":"c"}]"#), ["c"])
        XCTAssertEqual(try search("'Z' < 'a'"), true, "upper case sorts first, as in Python")
        // jmespath.py raises a TypeError here (az then fails with a traceback); keydrill gives null.
        XCTAssertEqual(try search("`1` < 'a'"), .null)
    }

    func testALegacyLiteralThatIsNotJSONIsAString() throws {
        XCTAssertEqual(try search("`ops`"), "ops")
        XCTAssertEqual(try search(#"[?owner == `ops`].id"#, #"[{"owner":"ops","id":1},{"owner":"dev","id":2}]"#), [1])
        XCTAssertEqual(try search("`[1, 2]`"), [1, 2], "JSON stays JSON")
    }

    func testFunctionsAreCheckedWhenTheyRun() throws {
        XCTAssertNoThrow(try JMESPathExpression("unknown(@)"), "compiles, as in jmespath.py")
        XCTAssertThrowsError(try search("unknown(@)")) { e in
            XCTAssertEqual((e as? JMESPathError)?.message, "Unknown function: unknown()")
        }
        XCTAssertThrowsError(try search("length(@, @)", "[]")) { e in
            XCTAssertEqual((e as? JMESPathError)?.message, "Expected 1 argument for function length(), received 2")
        }
        XCTAssertThrowsError(try search("not_null()")) { e in
            XCTAssertEqual(
                (e as? JMESPathError)?.message, "Expected at least 1 argument for function not_null(), received 0")
        }
        XCTAssertEqual(try search("[].unknown(@)", "[]"), [], "never called on an empty projection")
    }
}
