import XCTest
@testable import Runbook

/// Lint reads lines as the session runs them: builtins from the catalogue, one-way doors off the
/// parsed command, wrappers unwrapped the same way.
final class RunbookLintTests: XCTestCase {
    func lint(_ lines: [String]) throws -> (doors: [String?], problems: [String]) {
        let text = "# T\n\n## S\n\n```azurecli\n" + lines.joined(separator: "\n") + "\n```\n"
        let r = RunbookLint.check(try RunbookParser.parse(text), variables: [:])
        return (r.lines.flatMap { $0 }.map(\.oneWayDoor), r.problems.map(\.message))
    }

    func testQueryAndAssertLinesLintCleanAndABadExpressionIsFound() throws {
        XCTAssertEqual(try lint(["?? name", "assert name == 'rg'", "assert \"length(@) > `0`\""]).problems, [])
        let bad = try lint(["?? [[", "assert"]).problems
        XCTAssertEqual(bad.count, 2, "\(bad)")
        XCTAssertTrue(bad[0].hasPrefix("??: invalid JMESPath expression '[['"), bad[0])
    }

    func testOneWayDoorsInEveryFormAzAccepts() throws {
        let r = try lint([
            "az keyvault update -n kv --enable-purge-protection",
            "az keyvault update -n kv --enable-purge-protection=true",
            "az keyvault update -n kv --enable-purge",
            "await --until \"@ != null\" --within 1h az keyvault update -n kv --enable-purge-protection true",
            "az keyvault update -n kv --enable-purge-protection false",
        ])
        XCTAssertEqual(r.problems, [])
        XCTAssertEqual(r.doors.map { $0 != nil }, [true, true, true, true, false])
    }

    func testWrappersAreReadAsTheyRun() throws {
        XCTAssertEqual(try lint(["expect-fail --code 2 az keyvault create --bogus"]).problems, [])
        XCTAssertEqual(
            try lint(["await --until x az group list"]).problems,
            ["usage: await --until JMESPATH --within DURATION [--every DURATION] COMMAND..."])
    }
}
