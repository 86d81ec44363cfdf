import Foundation
import XCTest
import Cloud
@testable import Shell

/// The builtins are declared once: every declaration runs, every runner is declared, and the
/// wrappers are read the same way wherever a line is looked at.
final class BuiltinCatalogueTests: XCTestCase {
    func testEveryDeclaredBuiltinRunsAndEveryRunnerIsDeclared() {
        XCTAssertEqual(Set(Builtins.runners.keys), Set(BuiltinCatalogue.names))
        XCTAssertEqual(BuiltinCatalogue.names.count, Set(BuiltinCatalogue.names).count, "a name declared twice")
        for b in BuiltinCatalogue.all {
            XCTAssertFalse(b.summary.isEmpty, b.name)
            XCTAssertTrue(b.usage.hasPrefix(b.name), b.name)
        }
    }

    func testWrappersUnwrapToTheCommandTheyRun() throws {
        let r = try BuiltinCatalogue.innermost(
            ["expect-fail", "--code", "Forbidden", "await", "--until", "x", "--within", "1h", "az", "group", "list"])
        XCTAssertEqual(r.command, ["az", "group", "list"])
        XCTAssertEqual(r.wrappers.map(\.wrapper), ["expect-fail", "await"])
        XCTAssertEqual(r.wrappers[1].options, ["--until": "x", "--within": "1h"])
        XCTAssertThrowsError(try BuiltinCatalogue.unwrap(["await", "--until", "x", "az", "group", "list"]))
        XCTAssertThrowsError(try BuiltinCatalogue.unwrap(["expect-fail", "--bogus", "1", "az"]))
        XCTAssertNil(try BuiltinCatalogue.unwrap(["az", "group", "list"]))
    }

    func testCompletionGoesThroughWrappersAndOffersSubcommands() throws {
        let c = Completer(world: World.new(now: Date(timeIntervalSince1970: 1_800_000_000)))
        XCTAssertEqual(c.complete("expect-fail --code Forbidden az keyvault key cr").candidates, ["create"])
        XCTAssertEqual(c.complete("await --").candidates, ["--every", "--until", "--within"])
        XCTAssertEqual(c.complete("clock ").candidates, ["advance", "now", "set"])
        XCTAssertTrue(c.complete("").candidates.contains("??"))
    }

    func testSecretsBehindWrappersAreRedacted() {
        let line = "await --until x --within 1h az postgres server create -g rg -n pg -p S3cret!"
        XCTAssertFalse(HistoryRedaction.redact(line).contains("S3cret"))
    }

    func testTheFirstWordIsReadFromTheOneCatalogue() {
        XCTAssertEqual(LineCommand("az"), .az)
        XCTAssertEqual(LineCommand("workload"), .keydrillGroup("workload"))
        XCTAssertEqual(LineCommand("??"), .builtin("??"))
        XCTAssertNil(LineCommand("frobnicate"))
        XCTAssertEqual(
            Completer.usageHint("clock"),
            "clock now | clock advance [-v] DURATION | clock set [-v] TIME — "
                + BuiltinCatalogue.spec("clock")!.summary)
    }
}
