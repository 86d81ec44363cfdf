import Foundation
import XCTest

/// A Learn page as Learn writes it runs as it is: front matter with fields keydrill does not use
/// and a tag as a plain string, placeholders with capitals and spaces bound by `--var`, includes
/// expanded from beside the page (a missing one named), and one zone pivot run while the portal
/// and REST pivots are reported skipped.
final class LearnPageShapesEndToEndTests: BinaryTestCase {
    static let page = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/learn-shapes/page.md").path
    static let vars = [
        "--var", "RESOURCE GROUP=rg-learn", "--var", "location=westus", "--var", "key vault name=kv-learn-1",
    ]

    func testThePageRunsItsCLIPivotWithItsIncludesAndPlaceholders() throws {
        let unbound = try Binary.run(["lint", Self.page])
        XCTAssertEqual(unbound.exitCode, 2)
        XCTAssertTrue(
            unbound.stdout.contains("<RESOURCE GROUP> is not bound: give it with --var 'RESOURCE GROUP=VALUE'"),
            unbound.stdout)
        XCTAssertTrue(unbound.stdout.contains("<key vault name> is not bound"), "a placeholder inside an include")
        XCTAssertTrue(unbound.stdout.contains("includes not found"), unbound.stdout)

        let json = state + "-r.json"
        defer { try? FileManager.default.removeItem(atPath: json) }
        let r = try Binary.run(
            ["run", Self.page, "--state", state, "--json", json, "--tags", "azure-resource-manager"] + Self.vars)
        XCTAssertEqual(r.exitCode, 0, r.stdout + r.stderr)
        XCTAssertTrue(
            r.stdout.contains("zone pivot azure-cli; skipped: azure-portal, rest-api (choose with --pivot)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("includes not found"), r.stdout)
        XCTAssertTrue(r.stdout.contains("includes/not-here.md"), r.stdout)
        let report = try String(contentsOfFile: json, encoding: .utf8)
        XCTAssertTrue(report.contains("kv-learn-1\\n"), "the included lines ran")
        XCTAssertFalse(report.contains("portal-only-group"), "the portal pivot's line did not run")
        XCTAssertFalse(report.contains("curl"), "the REST pivot's block did not run")
        XCTAssertEqual(try kd("az group exists -n portal-only-group").stdout, "false\n")

        let portal = try Binary.run(["run", Self.page, "--ephemeral", "--pivot", "azure-portal"] + Self.vars)
        XCTAssertTrue(portal.stdout.contains("zone pivot azure-portal; skipped: azure-cli, rest-api"), portal.stdout)
        let unknown = try Binary.run(["run", Self.page, "--ephemeral", "--pivot", "powershell"] + Self.vars)
        XCTAssertEqual(unknown.exitCode, 2)
        XCTAssertTrue(unknown.stdout.contains("--pivot powershell is not a zone pivot of this page"), unknown.stdout)
    }
}
