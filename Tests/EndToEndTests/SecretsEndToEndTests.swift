import Foundation
import XCTest

/// Passwords a drill uses never reach its reports, its console lines or a debug line, and every
/// file keydrill writes is private; a report never overwrites a runbook or the state.
final class SecretsEndToEndTests: BinaryTestCase {
    static let drill = """
        ---
        variables:
          PW: "Var1able!Secret"
        ---
        # Secrets

        ## Create

        ```azurecli
        az group create -n rg -l westus -o none
        az postgres server create -g rg -n pg-secret --sku-name GP_Gen5_2 -u pgadmin -p 'L1teral!Secret' \\
          --only-show-errors
        az postgres server create -g rg -n pg-secret2 --sku-name GP_Gen5_2 -u pgadmin --admin-pass "$PW" \\
          --only-show-errors
        ```

        ## Bash

        ```bash
        az postgres server update -g rg -n pg-secret -p 'Ba5h!Secret' -o none && echo updated
        NEWPW='Ba5h!Second' ; az postgres server update -g rg -n pg-secret2 \\
          --admin-password "$NEWPW" -o none | cat
        ```

        ## Fail

        ```keydrill
        az postgres server update -g rg -n nope -p 'Th1rd!Secret'
        ```
        """

    func testSecretsAreMaskedInEveryReportAndTheConsoleAndFilesArePrivate() throws {
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let path = state + "/secrets.md"
        try Self.drill.write(toFile: path, atomically: true, encoding: .utf8)
        let md = state + "/r.md", json = state + "/r.json", junit = state + "/r.xml", html = state + "/r.html"
        let old = umask(0)
        defer { umask(old) }
        let r = try Binary.run([
            "run", path, "--state", state + "/st", "--report", md, "--json", json, "--junit", junit, "--html", html,
        ])
        XCTAssertEqual(r.exitCode, 1, r.stdout)
        XCTAssertTrue(r.stdout.contains("[3] Fail ... failed"), r.stdout)
        XCTAssertTrue(r.stdout.contains("[2] Bash ... passed"), r.stdout)
        for (name, text) in [
            ("stdout", r.stdout + r.stderr), ("md", try String(contentsOfFile: md, encoding: .utf8)),
            ("json", try String(contentsOfFile: json, encoding: .utf8)),
            ("junit", try String(contentsOfFile: junit, encoding: .utf8)),
            ("html", try String(contentsOfFile: html, encoding: .utf8)),
        ] {
            for secret in ["L1teral!Secret", "Var1able!Secret", "Th1rd!Secret", "Ba5h!Secret", "Ba5h!Second"] {
                XCTAssertFalse(text.contains(secret), "\(secret) in \(name)")
            }
        }
        XCTAssertTrue(try String(contentsOfFile: md, encoding: .utf8).contains("********"))
        for file in [md, json, junit, html] {
            var st = stat()
            XCTAssertEqual(stat(file, &st), 0)
            XCTAssertEqual(st.st_mode & 0o777, 0o600, file)
        }
        let runs = state + "/st/runs"
        for name in FileManager.default.subpaths(atPath: runs) ?? [] {
            var st = stat()
            XCTAssertEqual(stat(runs + "/" + name, &st), 0)
            XCTAssertEqual(st.st_mode & 0o777, st.st_mode & S_IFMT == S_IFDIR ? 0o700 : 0o600, name)
        }
    }

    func testAReportMayNotOverwriteARunbookOrTheState() throws {
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let path = state + "/r.md"
        let text = "# R\n\n## One\n\n```keydrill\nclock now\n```\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var r = try Binary.run(["run", path, "--state", state + "/st", "--report", path])
        XCTAssertEqual(r.exitCode, 2)
        XCTAssertTrue(r.stdout.contains("is one of the runbooks being run"), r.stdout)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), text)
        r = try Binary.run(["run", path, "--state", state + "/st", "--json", state + "/st/world.json"])
        XCTAssertEqual(r.exitCode, 2)
        XCTAssertTrue(r.stdout.contains("inside the state directory"), r.stdout)
    }

    func testDebugOutputMasksSecretArguments() throws {
        let r = try kd("az postgres server create -g nope -n pg1 -u pgadmin -p 'Debug!Secret1' --debug")
        XCTAssertTrue(r.stderr.contains("DEBUG: keydrill:"), r.stderr)
        XCTAssertFalse(r.stderr.contains("Debug!Secret1"), r.stderr)
        XCTAssertTrue(r.stderr.contains("administrator_login_password=\"********\""), r.stderr)
    }
}
