import XCTest

/// AAZ's shorthand syntax and `--ids` as a user meets them through the binary; each expected
/// text is what az 2.91 printed for the same line (tools/az-parse-diff.py compares thousands).
final class AAZShorthandEndToEndTests: BinaryTestCase {
    func testASyntaxErrorShowsWhereAndChangesNothing() throws {
        let r = try Binary.run(
            ["az", "identity", "create", "-g", "rg", "-n", "uai1", "--tags", "2030-01-01T00:00:00Z"], state: state)
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertEqual(
            r.stderr,
            "ERROR: Failed to parse '--tags' argument: Shorthand Syntax Error: Redundant tail:\n"
                + "\t2030-01-01T00:00:00Z\n\t             ^^^^^^^\n")
        let list = try Binary.run(["az", "identity", "list", "--query", "length(@)"], state: state)
        XCTAssertEqual(list.stdout, "0\n")
    }

    func testShorthandJSONAndRepeatsBuildOneValue() throws {
        XCTAssertEqual(try Binary.run(["az", "group", "create", "-n", "rg", "-l", "eastus"], state: state).exitCode, 0)
        let r = try Binary.run(
            [
                "az", "identity", "create", "-g", "rg", "-n", "uai1", "--tags", "{owner:'ops team',tier:1}", "--tags",
                "cost=7", "--query", "tags", "-o", "json",
            ], state: state)
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(r.stdout, "{\n  \"cost\": \"7\",\n  \"owner\": \"ops team\",\n  \"tier\": \"1\"\n}\n")
        let json = try Binary.run(
            ["az", "identity", "create", "-g", "rg", "-n", "uai2", "--tags", #"{"a": true}"#, "--query", "tags.a"],
            state: state)
        XCTAssertEqual(json.stdout, "\"true\"\n", "a JSON bool becomes the string az sends")
    }

    func testAValueThatNamesAFileIsReadAsJSONOrYAML() throws {
        XCTAssertEqual(try Binary.run(["az", "group", "create", "-n", "rg", "-l", "eastus"], state: state).exitCode, 0)
        let json = state + "/tags.json", yaml = state + "/tags.yaml"
        try #"{"team": "ops", "n": 1}"#.write(toFile: json, atomically: true, encoding: .utf8)
        try "z: 1\na: b\n".write(toFile: yaml, atomically: true, encoding: .utf8)
        let fromJSON = try Binary.run(
            ["az", "identity", "create", "-g", "rg", "-n", "uai1", "--tags", json, "--query", "tags", "-o", "tsv"],
            state: state)
        XCTAssertEqual(fromJSON.stdout, "1\tops\n", fromJSON.stderr)
        let fromYAML = try Binary.run(
            ["az", "identity", "create", "-g", "rg", "-n", "uai2", "--tags", yaml, "--query", "tags.z"], state: state)
        XCTAssertEqual(fromYAML.stdout, "\"1\"\n", fromYAML.stderr)
    }

    func testAnEnumInsideAnObjectIsCheckedAsArgparseTakesIt() throws {
        let r = try Binary.run(
            [
                "az", "servicebus", "namespace", "update", "-g", "rg", "-n", "abcdefg", "--identity", "type=foo",
                "--nope",
            ],
            state: state)
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertEqual(
            r.stderr,
            "ERROR: unrecognized value 'foo' from choices '['None', 'SystemAssigned', 'SystemAssigned, UserAssigned', "
                + "'UserAssigned']' \n")
    }

    func testIdsThatNameNothingRunTheCommandZeroTimes() throws {
        XCTAssertEqual(try Binary.run(["az", "logout"], state: state).exitCode, 0)
        for ids in ["7", "", #"[{"name": "x"}]"#] {
            let r = try Binary.run(["az", "identity", "show", "--ids", ids], state: state)
            XCTAssertEqual(r.exitCode, 0, ids)
            XCTAssertEqual(r.stdout, "[]\n", "az asks nothing, not even for a sign-in")
        }
        let r = try Binary.run(["az", "network", "vnet", "subnet", "update", "--ids", "", "garbage"], state: state)
        XCTAssertEqual(r.stderr, "ERROR: invalid resource ID: garbage\n", "an empty value is no line")
    }
}
