import XCTest
@testable import AzureCLI
import JMESPath

/// az's formatting rules (az-cli/README.md and output-shapes.md), one assertion per rule.
final class OutputFormatterTests: XCTestCase {
    func testJSONIsSortedTwoSpaceIndentedAndKeepsUnicode() {
        let v: JSON = ["b": 1, "a": ["z": true, "y": nil], "c": "héllo ✓", "d": [], "e": [:]]
        XCTAssertEqual(
            OutputFormatter.render(v, as: .json),
            """
            {
              "a": {
                "y": null,
                "z": true
              },
              "b": 1,
              "c": "héllo ✓",
              "d": [],
              "e": {}
            }

            """)
    }

    func testNullResultPrintsNothingInEveryFormat() {
        for f in OutputFormat.allCases { XCTAssertEqual(OutputFormatter.render(.null, as: f), "", "\(f)") }
    }

    func testTSVRules() {
        // Nested object: empty field; nested list: its length; null: None; booleans: True/False.
        let row: JSON = ["b": ["x": 1], "a": false, "c": [1, 2, 3], "d": nil, "e": "s"]
        XCTAssertEqual(OutputFormatter.render(row, as: .tsv), "False\t\t3\tNone\ts\n")
        XCTAssertEqual(OutputFormatter.render(.bool(true), as: .tsv), "true\n")
        XCTAssertEqual(
            OutputFormatter.render(["RSA", "k", ["wrapKey", "unwrapKey"]], as: .tsv), "RSA\nk\nwrapKey\tunwrapKey\n")
        let q = try! JMESPathExpression("{k: kty, a: a}")
        let ordered = try! q.search(["kty": "RSA", "a": 1])
        XCTAssertEqual(OutputFormatter.render(ordered, as: .tsv, keepKeyOrder: q.isMultiSelectHash), "RSA\t1\n")
        XCTAssertEqual(OutputFormatter.render(ordered, as: .tsv, keepKeyOrder: false), "1\tRSA\n")
    }

    func testTableSkipsIdsAndNestedValuesAndPadsHeaders() {
        let v: JSON = [["name": "rg1", "location": "westus", "id": "/x", "properties": ["a": 1], "tags": nil]]
        XCTAssertEqual(OutputFormatter.render(v, as: .table), "Location    Name\n----------  ------\nwestus      rg1\n")
    }

    func testYAMLBlockStyleSortedKeys() {
        let v: JSON = ["name": "k", "ops": ["wrapKey", "unwrapKey"], "curve": nil, "n": 2, "flag": false]
        XCTAssertEqual(
            OutputFormatter.render(v, as: .yaml),
            "curve: null\nflag: false\nn: 2\nname: k\nops:\n- wrapKey\n- unwrapKey\n")
    }

    func testYAMLQuotesStringsThatWouldReadBackAsOtherTypes() {
        let v: JSON = [
            "a": "true", "b": "123", "c": "", "d": "null", "e": "yes", "f": "1.5", "g": "plain text", "h": "x: y",
        ]
        XCTAssertEqual(
            OutputFormatter.render(v, as: .yaml),
            "a: 'true'\nb: '123'\nc: ''\nd: 'null'\ne: 'yes'\nf: '1.5'\ng: plain text\nh: 'x: y'\n")
    }

    /// knack's table (checked with az 2.91's `format_table`): numbers left-aligned, cells trimmed.
    func testTableLeftAlignsEveryColumnAndTrimsCells() {
        let v: JSON = [["a": " padded ", "b": 10]]
        XCTAssertEqual(OutputFormatter.render(v, as: .table), "A       B\n------  ---\npadded  10\n")
        XCTAssertEqual(OutputFormatter.render([["n": 5], ["n": 12345]], as: .table), "N\n-----\n5\n12345\n")
    }

    /// PyYAML (checked with az 2.91's knack `format_yaml`): a plain scalar document ends with
    /// `...`; a quoted one, a mapping or a list does not.
    func testYAMLEndsAPlainScalarDocument() {
        XCTAssertEqual(OutputFormatter.render("rg", as: .yaml), "rg\n...\n")
        XCTAssertEqual(OutputFormatter.render(true, as: .yaml), "true\n...\n")
        XCTAssertEqual(OutputFormatter.render("yes", as: .yaml), "'yes'\n")
        XCTAssertEqual(OutputFormatter.render(["a": "on"], as: .yaml), "a: 'on'\n")
    }

    func testJSONCColoursOnlyWhenAsked() {
        let v: JSON = ["a": "b"]
        XCTAssertEqual(OutputFormatter.render(v, as: .jsonc, color: false), OutputFormatter.render(v, as: .json))
        XCTAssertTrue(OutputFormatter.render(v, as: .jsonc, color: true).contains("\u{1B}["))
    }
}
