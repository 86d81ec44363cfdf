import XCTest
@testable import JMESPath

/// Where az's --query is jmespath.py rather than the bare specification (checked against
/// jmespath 1.1.0, the version azure-cli 2.91 installs): strings order, legacy literals that are
/// not JSON are strings, functions are looked up and counted when they run, commas between
/// function arguments and hash pairs are optional, merge's later arguments are dict.update's, and a
/// float's negative zero prints as Python prints it (tools/jmespath-diff.py finds these).
final class PythonDialectTests: XCTestCase {
    func search(_ e: String, _ data: String = "null") throws -> JSON {
        try JMESPathExpression(e).search(try JSON.parse(data))
    }

    /// jmespath.py 1.1.0: `name[::0]` compiles; on a list Python refuses the zero step
    /// (ValueError), on anything else the slice is null; `type(&@)` is null.
    func testAZeroStepFailsOnlyOnAListAndTypeOfAnExpressionReferenceIsNull() throws {
        XCTAssertEqual(try search("name[::0]", #"{"name": "abc"}"#), .null)
        XCTAssertEqual(try search("x[::0]", #"{"x": 5}"#), .null)
        XCTAssertThrowsError(try search("a[::0]", #"{"a": [1, 2]}"#)) { e in
            XCTAssertEqual((e as? JMESPathError)?.raisedByPython, true)
        }
        XCTAssertEqual(try search("type(&@)"), .null)
        XCTAssertEqual(try search("type(@)", "[]"), "array")
    }

    /// jmespath.py adds a slice that follows an index to the same index expression, so it does
    /// not project (its parser's "optimization"); a slice anywhere else does.
    func testASliceAfterAnIndexDoesNotProject() throws {
        let data = #"[[1], {"b": {"c": 1}}, {"d": 2}]"#
        XCTAssertEqual(try search("[@][0][1:].*", data), .null, "the slice's list, then .* on a list")
        XCTAssertEqual(try search("[@][0][1:]", data), try JSON.parse(#"[{"b": {"c": 1}}, {"d": 2}]"#))
        XCTAssertEqual(try search("@[1:].*", data), try JSON.parse(#"[[{"c": 1}], [2]]"#), "a slice projects")
        XCTAssertEqual(try search("[0][1:]", "[[1, 2, 3]]"), [2, 3])
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

    func testCommasBetweenArgumentsAndPairsAreOptional() throws {
        XCTAssertThrowsError(try search("length(a b)", #"{"a":[1],"b":2}"#)) { e in
            XCTAssertEqual((e as? JMESPathError)?.kind, .invalidArity, "two arguments, found when it runs")
        }
        XCTAssertEqual(try search("length(a,)", #"{"a":[1,2]}"#), 2, "a trailing comma is allowed")
        XCTAssertEqual(try search("{x: a y: b}", #"{"a":1,"b":2}"#), try JSON.parse(#"{"x":1,"y":2}"#))
        XCTAssertThrowsError(try JMESPathExpression("{x: a,}"), "but not after the last pair")
        XCTAssertThrowsError(try JMESPathExpression("[a b]"), "a list still needs its commas")
        XCTAssertEqual(try search("!&a"), false, "an expression reference is a truthy object to jmespath.py")
    }

    func testMergeTakesWhatDictUpdateTakes() throws {
        XCTAssertEqual(try search("merge(`{\"a\":1}`, `[]`)"), try JSON.parse(#"{"a":1}"#))
        XCTAssertEqual(try search("merge(`{}`, `[[\"k\", 2]]`)"), try JSON.parse(#"{"k":2}"#))
        XCTAssertThrowsError(try search("merge(`[]`, `{}`)"), "the first argument is type-checked")
        XCTAssertThrowsError(try search("merge(`{}`, `[1]`)"), "jmespath.py crashes there; keydrill refuses")
    }

    func testNegativeZeroIsAFloatAndPrintsAsPythonPrintsIt() throws {
        XCTAssertEqual(try search("to_string(@)", "[-0.0, -0, 1.5]"), "[-0.0,0,1.5]")
        XCTAssertEqual(try search("to_string(ceil(`-0.5`))"), "0", "math.ceil gives an integer")
    }

    func testIntsAndFloatsAreKeptApartAndCompareByValue() throws {
        XCTAssertEqual(try search("to_string(@)", "[3.0, 3, 1e2, 2.5]"), "[3.0,3,100.0,2.5]")
        XCTAssertEqual(try search("to_string(avg(@))", "[1, 2]"), "1.5")
        XCTAssertEqual(try search("to_string(avg(@))", "[2, 2]"), "2.0")
        XCTAssertEqual(try search("to_string(sum(@))", "[2, 2.0]"), "4.0")
        XCTAssertEqual(JSON.float(3), JSON.number(3))
        XCTAssertEqual(Set<JSON>([.float(3), .number(3)]).count, 1, "equal values hash alike")
        XCTAssertEqual(
            try search("to_string(@)", "[9007199254740993, -12345678901234567890]"),
            "[9007199254740993,-12345678901234567890]", "ints beyond a Double's 2^53 keep every digit")
        XCTAssertEqual(
            JSON.bigInteger("12345678901234567168"), JSON.number(12345678901234567168.0),
            "an int equals a float of exactly its value")
        XCTAssertNotEqual(JSON.bigInteger("12345678901234567890"), JSON.number(12345678901234567890.0))
    }

    func testToNumberReadsStringsAsPythonsIntAndFloatDo() {
        func n(_ s: String) -> String? { PythonNumber.parse(s).map { $0.serialized(.compact) } }
        XCTAssertEqual(n("42"), "42")
        XCTAssertEqual(n(" -7\n"), "-7")
        XCTAssertEqual(n("+2"), "2")
        XCTAssertEqual(n("1_000"), "1000")
        XCTAssertEqual(n("007"), "7")
        XCTAssertEqual(n("3.0"), "3.0")
        XCTAssertEqual(n(".5"), "0.5")
        XCTAssertEqual(n("5."), "5.0")
        XCTAssertEqual(n("1e3"), "1000.0")
        XCTAssertEqual(n("1_0.2_5"), "10.25")
        XCTAssertEqual(n("-Infinity"), "-Infinity")
        XCTAssertEqual(n("123456789012345678901234567890"), "123456789012345678901234567890")
        for refused in ["", " ", "0x10", "1__0", "_1", "1_", ".", "e5", "1e", "1.2.3", "--1", "Ready"] {
            XCTAssertNil(n(refused), refused)
        }
    }

    func testExactIntegerSums() {
        XCTAssertEqual(PythonNumber.add("99999999999999999999", "1"), "100000000000000000000")
        XCTAssertEqual(PythonNumber.add("-5", "3"), "-2")
        XCTAssertEqual(PythonNumber.add("5", "-5"), "0")
        XCTAssertEqual(PythonNumber.add("-10000000000000000000", "-1"), "-10000000000000000001")
        XCTAssertEqual(PythonNumber.add("3", "-12345678901234567890"), "-12345678901234567887")
    }
}
