import XCTest
@testable import AzureCLI

/// One hint for each drift between the seed pages' era and az 2.91, and none for other failures.
final class DriftHintsTests: XCTestCase {
    func hint(_ argv: [String], _ stderr: String, command: String? = nil, inner: String? = nil) -> String {
        DriftHints.line(for: .init(argv: argv, command: command, stderr: stderr, innerErrorCode: inner))
    }

    func testEachDriftHasOneHintAndOtherFailuresNone() {
        let removed = hint(
            ["keyvault", "create", "-n", "kv", "--enable-soft-delete", "true"],
            "ERROR: unrecognized arguments: --enable-soft-delete true\n")
        XCTAssertTrue(removed.hasPrefix("hint: az removed --enable-soft-delete"), removed)
        XCTAssertEqual(hint(["keyvault", "create", "--frob", "1"], "ERROR: unrecognized arguments: --frob 1\n"), "")
        XCTAssertTrue(hint([], "", inner: "ForbiddenByRbac").hasPrefix("hint: az 2.61+ creates RBAC vaults"))
        XCTAssertEqual(hint([], "", inner: "AccessDenied"), "")
        XCTAssertTrue(
            hint(
                ["keyvault", "set-policy"],
                "ERROR: Cannot set policies to a vault with '--enable-rbac-authorization' specified\n"
            ).hasPrefix("hint: az 2.61+"))
        XCTAssertTrue(
            hint([], "ERROR: (BadRequest) ... uses the Azure role-based access control ...", command: "portal keyvault "
                + "access-policy add").hasPrefix("hint: today's portal shows no Access policies blade"))
    }
}
