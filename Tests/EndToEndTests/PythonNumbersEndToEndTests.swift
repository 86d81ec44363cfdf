import XCTest

/// Numbers as az prints them: Python keeps an int and a float apart (`3` and `3.0`), its ints have
/// no size limit, and each output format writes them its own way. The expected text is what
/// azure-cli 2.91's own formatters (knack's json, tsv, yaml and table) printed for the same
/// query results.
final class PythonNumbersEndToEndTests: XCTestCase {
    private func query(_ q: String, _ format: String) throws -> String {
        let r = try Binary.run(["--ephemeral", "-c", "az group list --query \"\(q)\" -o \(format)"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        return r.stdout
    }

    private let mixed = "[`3.0`, `1`, `1e2`, `-0.0`, `12345678901234567890`, `0.1`, `1.5e300`, `1e-7`]"

    func testFloatsIntsAndBigIntsInEveryFormat() throws {
        XCTAssertEqual(
            try query(mixed, "json"),
            "[\n  3.0,\n  1,\n  100.0,\n  -0.0,\n  12345678901234567890,\n  0.1,\n  1.5e+300,\n  1e-07\n]\n")
        XCTAssertEqual(try query(mixed, "tsv"), "3.0\n1\n100.0\n-0.0\n12345678901234567890\n0.1\n1.5e+300\n1e-07\n")
        XCTAssertEqual(
            try query(mixed, "yaml"),
            "- 3.0\n- 1\n- 100.0\n- -0.0\n- 12345678901234567890\n- 0.1\n- 1.5e+300\n- 1.0e-07\n")
        XCTAssertEqual(
            try query("[{a: `2.0`, b: `7`, c: `1e-7`, d: `12345678901234567890`}]", "table"),
            "A    B    C      D\n---  ---  -----  --------------------\n2.0  7    1e-07  12345678901234567890\n")
    }

    func testFunctionsGiveIntsOrFloatsAsJmespathPyDoes() throws {
        XCTAssertEqual(try query("avg(`[1,2,3]`)", "json"), "2.0\n", "avg divides: a float")
        XCTAssertEqual(try query("avg(`[1,2,3]`)", "yaml"), "2.0\n...\n")
        XCTAssertEqual(try query("sum(`[1, 2]`)", "json"), "3\n")
        XCTAssertEqual(try query("sum(`[1.5, 2.5]`)", "json"), "4.0\n")
        XCTAssertEqual(try query("sum(`[12345678901234567890, 1]`)", "tsv"), "12345678901234567891\n", "exact")
        XCTAssertEqual(
            try query("[ceil(`2.5`), floor(`2.5`), abs(`-2.0`), max(`[1, 2.0]`)]", "tsv"), "3\n2\n2.0\n2.0\n")
        XCTAssertEqual(
            try query(
                "{a: to_number('1_000'), b: to_number(' 2.5 '), c: to_number('+2'), d: to_number('0x10')}", "json"),
            "{\n  \"a\": 1000,\n  \"b\": 2.5,\n  \"c\": 2,\n  \"d\": null\n}\n", "Python's int() and float()")
        XCTAssertEqual(try query("to_number('inf')", "json"), "Infinity\n")
        XCTAssertEqual(try query("to_number('inf')", "tsv"), "inf\n")
        XCTAssertEqual(try query("to_number('inf')", "yaml"), ".inf\n...\n")
        XCTAssertEqual(try query("to_string(`3.0`)", "tsv"), "3.0\n")
        XCTAssertEqual(try query("`3.0` == `3`", "json"), "true\n", "an int equals the float of its value")
    }
}
