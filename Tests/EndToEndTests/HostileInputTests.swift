import Foundation
import XCTest

/// Input meant to break keydrill ends with an exit code of 0-3 and a clear message, never a
/// signal, a hang or an allocation without end.
final class HostileInputTests: BinaryTestCase {
    /// Runs lines as a script on stdin (each a fresh ephemeral world) and checks the exit code.
    func script(
        _ text: String, exits expected: Int32, file: StaticString = #filePath, line: UInt = #line
    ) throws -> Binary.Result {
        let r = try Binary.run(["--ephemeral"], stdin: text + "\n")
        XCTAssertEqual(r.exitCode, expected, "\(text.prefix(120)): \(r.stderr.prefix(400))", file: file, line: line)
        XCTAssertFalse(
            r.stderr.contains("Fatal error") || r.stderr.contains("crashed"), String(r.stderr.prefix(400)), file: file,
            line: line)
        return r
    }

    static let setup =
        "az group create -n rg -l westus -o none\n"
        + "az keyvault create --enable-rbac-authorization false -n kv-hostile -g rg -o none\n"

    func testHugeAndNegativeNumbersAreRangeErrorsNotTraps() throws {
        let pg =
            "az postgres server create -g rg -n pg-hostile --sku-name GP_Gen5_2 -u pgadmin -p 'Passw0rd!123' -o none\n"
        var r = try script(
            Self.setup + pg + "workload postgres write -g rg -s pg-hostile --rows 9223372036854775296", exits: 1)
        XCTAssertTrue(r.stderr.contains("--rows must be between 1 and 1000000"), r.stderr)
        r = try script(Self.setup + pg + "workload postgres write -g rg -s pg-hostile --rows 2147483648", exits: 1)
        XCTAssertTrue(r.stderr.contains("--rows must be between 1 and 1000000"), r.stderr)
        r = try script(
            Self.setup + "az keyvault key create --vault-name kv-hostile -n k --size 9223372036854775296", exits: 1)
        XCTAssertTrue(r.stderr.contains("(BadParameter)"), r.stderr)
        r = try script(
            Self.setup
                + "az servicebus namespace create -g rg -n ns-hostile --sku Premium --capacity 9223372036854775296",
            exits: 1)
        XCTAssertTrue(r.stderr.contains("1, 2, 4, 8 or 16"), r.stderr)
        // az's keep_max_results slices as Python does: -1 drops the last key.
        let keys =
            "az keyvault key create --vault-name kv-hostile -n k1 --kty EC -o none\naz keyvault key create "
            + "--vault-name kv-hostile -n k2 --kty EC -o none\n"
        r = try script(
            Self.setup + keys + "az keyvault key list --vault-name kv-hostile --maxresults -1 --query [].name -o tsv",
            exits: 0)
        XCTAssertEqual(r.stdout, "k1\n")
        r = try script(
            Self.setup + keys + "az keyvault key list-deleted --vault-name kv-hostile --maxresults 1 -o none", exits: 0)
        r = try script("settings set postgresKeyCheckSeconds 0", exits: 2)
        XCTAssertTrue(r.stderr.contains("must be between 1s and 365d"), r.stderr)
        r = try script("await --until \"@ == 'x'\" --within 1d --every 0.0000001s clock now", exits: 2)
        XCTAssertTrue(r.stderr.contains("--every takes a duration of at least 1s"), r.stderr)
        r = try script("clock advance 99999999999999999d", exits: 1)
        XCTAssertTrue(r.stderr.contains("The virtual clock stops at 9999-12-31T23:59:59Z"), r.stderr)
    }

    func testAHugeClockMoveInARunbookStepIsAFailedStepNotATrap() throws {
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let path = state + "/huge.md"
        try "# Huge\n\n## Far\n\n```keydrill\nclock advance 99999999999999999d\n```\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let r = try Binary.run(["run", path, "--state", state + "/st"])
        XCTAssertEqual(r.exitCode, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("[1] Far ... failed"), r.stdout)
    }

    func testAnAwaitThatWouldPollForHoursIsAUsageError() throws {
        var r = try script("await --until false --within 100000d --every 1s clock now", exits: 2)
        XCTAssertTrue(r.stderr.contains("at most 100000 (give a longer --every)"), r.stderr)
        r = try script("await --until false --within 3000000d clock now", exits: 2)
        XCTAssertTrue(r.stderr.contains("passes the end of the virtual clock"), r.stderr)
        r = try script("await --until false --within 10m --every 1m clock now", exits: 1)
        XCTAssertTrue(r.stderr.contains("AWAIT TIMED OUT"), r.stderr)
    }

    func testDeeplyNestedQueriesAreRefusedNotAStackOverflow() throws {
        let brackets = String(repeating: "[", count: 50_000)
        _ = try script("az group list --query \"\(brackets)\"", exits: 2)
        let chain = Array(repeating: "a", count: 100_000).joined(separator: ".")
        _ = try script("az group list --query \"\(chain)\"", exits: 2)
        let r = try script("az group list -o none\nassert \(chain)", exits: 2)
        XCTAssertTrue(r.stderr.contains("nests more than 256 levels deep"), String(r.stderr.suffix(200)))
        _ = try script(
            "az group list -o none\nassert " + Array(repeating: "a", count: 50_000).joined(separator: " || "), exits: 2)
        // Deep but reasonable expressions still work.
        _ = try script(
            "az group create -n rg -l westus -o none\nassert "
                + Array(repeating: "name", count: 100).joined(separator: " || "), exits: 0)
    }

    func testLongAndDeeplyNestedLinesEndCleanly() throws {
        let megabyte = 1 << 20
        _ = try script("echo " + String(repeating: "a", count: megabyte), exits: 0)
        var r = try script(
            "echo " + String(repeating: "$(", count: 20_000) + "echo x" + String(repeating: ")", count: 20_000),
            exits: 2)
        XCTAssertTrue(r.stderr.contains("nest more than 32 levels deep"), r.stderr)
        r = try script(String(repeating: "expect-fail ", count: megabyte / 12) + "az group show -n x", exits: 2)
        _ = try script(String(repeating: "await --until @ --within 1m ", count: megabyte / 28) + "clock now", exits: 2)
        _ = try script("az group list --query \"" + String(repeating: "(", count: megabyte) + "\"", exits: 2)
    }

    func testKeydrillsOwnUsageErrorsExitTwoAsAzDoes() throws {
        XCTAssertEqual(try Binary.run(["--no-such-flag"]).exitCode, 2)
        XCTAssertEqual(try Binary.run(["run"]).exitCode, 2)
        XCTAssertEqual(try Binary.run(["run", "x.md", "--resume", "--from", "1"]).exitCode, 2)
    }

    func testExpectFailPassesOnAUsageErrorOnlyWithCodeTwo() throws {
        var r = try script("expect-fail az grop list", exits: 2)
        XCTAssertTrue(r.stderr.contains("EXPECTED FAILURE IS A USAGE ERROR"), r.stderr)
        _ = try script("expect-fail az group create -n rg", exits: 2)
        _ = try script("expect-fail --code 2 az grop list", exits: 0)
        r = try script("expect-fail az group show -n nope", exits: 0)
    }
}
