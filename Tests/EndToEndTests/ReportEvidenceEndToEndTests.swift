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

    /// The activity log in the shell: who changed what, the states a key went through (its expiry
    /// dated at its `exp`, though nothing looked at it then), and reads that change nothing.
    func testActivityListsChangesAndStatesAndAReadWritesNothing() throws {
        let setup = try kd(
            "az group create -n rg -l eastus -o none",
            "az keyvault create -g rg -n kv-act -l eastus --enable-rbac-authorization false -o none",
            "az keyvault key create --vault-name kv-act -n k1 --expires 2030-01-01T00:00:00Z -o none",
            "az keyvault key set-attributes --vault-name kv-act -n k1 --enabled false -o none",
            "az keyvault key set-attributes --vault-name kv-act -n k1 --enabled true -o none",
            "clock set 2031-01-01T00:00:00Z")
        XCTAssertEqual(setup.exitCode, 0, setup.stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: state).sorted()
        let sizes = try files.map { try FileManager.default.attributesOfItem(atPath: state + "/" + $0)[.size] as? Int }
        let states = try kd("activity --resource k1 --kind state --query \"[].[state, time]\" -o tsv")
        XCTAssertEqual(
            states.stdout.split(separator: "\n").map { $0.split(separator: "\t").first.map(String.init) ?? "" },
            ["Enabled", "Disabled", "Enabled", "Expired"], states.stdout + states.stderr)
        XCTAssertTrue(states.stdout.hasSuffix("Expired\t2030-01-01T00:00:00Z\n"), states.stdout)
        let sizesAfter = try files.map {
            try FileManager.default.attributesOfItem(atPath: state + "/" + $0)[.size] as? Int
        }
        XCTAssertEqual(sizes, sizesAfter, "a read that only observed the expiry writes nothing")
        let changes = try kd("activity --kind change --query \"[?operation=='az keyvault key set-attributes']\"")
        let doc = try JSON.parse(changes.stdout)
        XCTAssertEqual(
            try JMESPathExpression("[].caller").search(doc),
            .array([
                .string("admin@contoso.com"),
                .string("admin@contoso.com"),
            ]))
        XCTAssertEqual(
            try JMESPathExpression("[].detail").search(doc),
            .array([
                .string("--vault-name kv-act -n k1 --enabled false"),
                .string("--vault-name kv-act -n k1 --enabled true"),
            ]))
        XCTAssertEqual(try kd("activity --kind nope").exitCode, 2)
    }

    /// Reports are filed as evidence: a password reaches none of them, not the variables table,
    /// the commands, the control-plane log nor the JSON.
    func testNoReportCarriesAPassword() throws {
        let path = state + "/secret.md"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try """
        ---
        variables:
          DB_PASSWORD: "Sekr3t-Passw0rd!"
        ---
        # Secret drill

        ## A server with a password

        ```azurecli
        az group create -n rg -l westus -o none
        az postgres server create -g rg -n pg-secret -u cloudsa -p $DB_PASSWORD -o none --only-show-errors
        az postgres server create -g rg -n pg-secret2 -u cloudsa -p "Inl1ne-Passw0rd!" -o none --only-show-errors
        ```
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let (r, md, html, junit, json) = try runDrill(path)
        XCTAssertEqual(r.exitCode, 0, r.stdout + r.stderr)
        for file in [md, html, junit, json] {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            XCTAssertFalse(text.contains("Sekr3t-Passw0rd!"), file)
            XCTAssertFalse(text.contains("Inl1ne-Passw0rd!"), file)
        }
        XCTAssertTrue(try String(contentsOfFile: md, encoding: .utf8).contains("-p ********"))
    }

    /// The HTML report is checked like the others: never over a runbook or into the state.
    func testTheHTMLReportCannotOverwriteTheRunbookOrTheState() throws {
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let path = state + "/tiny.md"
        try "# Tiny\n\n## One\n\n```keydrill\nclock now\n```\n".write(toFile: path, atomically: true, encoding: .utf8)
        let over = try Binary.run(["run", path, "--html", path, "--state", state + "/st"])
        XCTAssertEqual(over.exitCode, 2)
        XCTAssertTrue(over.stdout.contains("--html \(path) is one of the runbooks being run"), over.stdout)
        let inside = try Binary.run(["run", path, "--html", state + "/st/r.html", "--state", state + "/st"])
        XCTAssertEqual(inside.exitCode, 2)
        XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("# Tiny"))
        let ok = try Binary.run(["run", path, "--html", state + "/r.html", "--state", state + "/st"])
        XCTAssertEqual(ok.exitCode, 0, ok.stdout)
        let html = try String(contentsOfFile: state + "/r.html", encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>") && html.contains("<h2>Tiny</h2>"), html)
        // Readable offline: no script, nothing fetched (the only URL is the SVG namespace's name).
        for fetch in ["<script", "src=", "<link", "@import", "url("] { XCTAssertFalse(html.contains(fetch), fetch) }
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
