import Crypto
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import JMESPath
import XCTest

/// A drill's reports read as evidence: header, steps as written, measures, control-plane log,
/// the timeline, and a failure as a diff; the HTML report rendered by headless Chromium.
final class ReportEvidenceEndToEndTests: BinaryTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized.path
    static let drill = repo + "/runbooks/postgres-flexible-key-revoked-recovers.md"

    func runDrill(_ path: String) throws -> (Binary.Result, md: String, html: String, junit: String, json: String) {
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let md = state + "/r.md", html = state + "/r.html", junit = state + "/r.xml", json = state + "/r.json"
        let r = try Binary.run([
            "run", path, "--report", md, "--html", html, "--junit", junit, "--json", json, "--state", state + "/st",
        ])
        return (r, md, html, junit, json)
    }

    func testTheRevocationDrillReportsWhenWhatHowFastAndTheData() throws {
        let (r, md, html, junit, json) = try runDrill(Self.drill)
        XCTAssertEqual(r.exitCode, 0, r.stdout + r.stderr)
        let report = try String(contentsOfFile: md, encoding: .utf8)
        let sha = SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: Self.drill)))
            .map { String(format: "%02x", $0) }.joined()
        for expected in [
            "| sha256 | `\(sha)` |", "| keydrill | 0.1.0 |", "| Run started | 20",
            "| Virtual time | 2026-01-01T00:00:00Z → 2026-01-02T08:00:00Z (1d8h) |",
            "| `$RG` | `contoso-rg` | runbook (or --var) |", "| `$PID` | `",
            "as written: `az keyvault delete-policy -n $VAULT --object-id $PID -o none`",
            "$ az keyvault delete-policy -n contoso-pgfs-vault --object-id ",
            "> No revalidate call: Flexible Server revalidates its key periodically.",
            "assertion `state == 'Ready' && dataEncryption.primaryEncryptionKeyStatus == 'Valid'` gave `true`",
            "| `contoso-pgfs-1` | az keyvault delete-policy (contoso-pgfs-vault) | 2026-01-02T03:00:00Z | 1h | "
                + "az keyvault set-policy (contoso-pgfs-vault) | 2026-01-02T08:00:00Z | 30m | 5h | "
                + "500 rows read back intact |",
            "### Control-plane changes", "| 2026-01-02T02:00:00Z | admin@contoso.com | az keyvault delete-policy | ",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"", "fault at 2026-01-02T02:00:00Z: az keyvault delete-policy",
        ] {
            XCTAssertTrue(report.contains(expected), "missing: \(expected)")
        }
        // The assertion after a long show keeps the fields it reads, not the first lines only.
        XCTAssertTrue(report.contains("\"primaryEncryptionKeyStatus\": \"Valid\""), "the asserted field is shown")

        let results = try JSON.parse(try String(contentsOfFile: json, encoding: .utf8))
        let m = try JMESPathExpression("[0].measures[0]").search(results)
        XCTAssertEqual(try JMESPathExpression("timeToDetectSeconds").search(m), .number(3600))
        XCTAssertEqual(try JMESPathExpression("timeToRecoverSeconds").search(m), .number(1800))
        XCTAssertEqual(try JMESPathExpression("dataVerified").search(m), .string("500 rows read back intact"))

        let doc = try XMLDocument(contentsOf: URL(fileURLWithPath: junit))
        let detect = try doc.nodes(forXPath: "//property[@name='contoso-pgfs-1.timeToDetectSeconds']/@value")
        XCTAssertEqual(detect.first?.stringValue, "3600")
        XCTAssertEqual(
            try doc.nodes(forXPath: "//property[@name='runbook.sha256']/@value").first?.stringValue, sha)

        // Rendered offline by a real browser: the timeline shows the server Ready (green) and
        // Inaccessible (red), and the fault's mark.
        let png = state + "/r.png"
        let shot = try chromium(["--window-size=1200,1600", "--screenshot=\(png)", "file://\(html)"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: png), shot)
        let colours = try pixelCounts(png, ["#2e7d32", "#c62828", "#1565c0"])
        XCTAssertGreaterThan(colours["#2e7d32"] ?? 0, 20_000, "Ready lanes")
        XCTAssertGreaterThan(colours["#c62828"] ?? 0, 500, "the Inaccessible stretch and the fault mark")
        XCTAssertGreaterThan(colours["#1565c0"] ?? 0, 20, "the fix mark")
    }

    func testAFailedAssertionIsADiffOfExpectedAndGot() throws {
        let path = state + "/failing.md"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try """
        # Failing drill

        ## A key that should be disabled

        The key is still enabled, so the assertion fails.

        ```keydrill
        az group create -n rg -l eastus -o none
        az keyvault create -g rg -n kv-diff -l eastus --enable-rbac-authorization false -o none
        az keyvault key create --vault-name kv-diff -n k1
        assert key.kty == 'EC' && attributes.enabled == `false`
        ```
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let (r, md, _, _, _) = try runDrill(path)
        XCTAssertEqual(r.exitCode, 1)
        let report = try String(contentsOfFile: md, encoding: .utf8)
        for expected in [
            "```diff\n- expected: key.kty == 'EC' && attributes.enabled == `false`  →  true\n+ got:      false\n",
            "+   attributes.enabled = true\n", "+   key.kty = \"RSA\"\n", "> The key is still enabled",
            "### Time to detect and recover\n\nNo consumer lost access to its key.",
        ] {
            XCTAssertTrue(report.contains(expected), "missing: \(expected)\n\(report)")
        }
    }

    func chromium(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "chromium (make test installs it): \(text)")
        return text
    }

    func pixelCounts(_ png: String, _ colours: [String]) throws -> [String: Int] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", Self.repo + "/tools/png-colours.py", png] + colours
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        var counts = [String: Int]()
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let n = Int(parts[1]) { counts[String(parts[0])] = n }
        }
        return counts
    }
}
