import Foundation
import XCTest

/// Help answers what keydrill runs: builtins describe themselves (`help NAME`, `NAME -h`), `??`
/// is listed, `az -h` lists az's groups only, and az help marks what keydrill refuses.
final class HelpEndToEndTests: BinaryTestCase {
    func testBuiltinsDescribeThemselvesAndHelpNeverRunsThem() throws {
        var r = try kd("help clock")
        XCTAssertEqual(
            r.stdout,
            "usage: clock now | clock advance [-v] DURATION | clock set [-v] TIME\n"
                + "  Show or move the virtual clock (durations: 90s, 15m, 2h, 3d, 1h30m); -v lists the events that "
                    + "ran.\n"
        )
        r = try kd("checkpoint -h", "rewind -h")
        XCTAssertTrue(r.stdout.hasPrefix("usage: checkpoint NAME"), r.stdout)
        XCTAssertTrue(
            try kd("checkpoint -h", "rewind nothing").stderr.contains("(none saved yet)"),
            "no checkpoint named -h was saved")
        r = try kd("expect-fail -h")
        XCTAssertEqual(r.exitCode, 0)
        XCTAssertTrue(r.stdout.hasPrefix("usage: expect-fail"), r.stdout)
        XCTAssertTrue(try kd("help").stdout.contains("  ??  "), "?? is listed")
        XCTAssertEqual(try kd("help frobnicate").exitCode, 2)
    }

    func testAzHelpListsAzsGroupsAndMarksWhatKeydrillRefuses() throws {
        let top = try kd("az -h").stdout
        XCTAssertTrue(top.contains("keyvault"))
        for own in ["audit", "portal", "workload"] { XCTAssertFalse(top.contains("\n    \(own) "), own) }
        XCTAssertTrue(try kd("az keyvault create -h").stdout.contains("[keydrill: not emulated, refused.]"))
        XCTAssertTrue(
            try kd("az group export -h").stdout.contains("[keydrill does not emulate this command: it is refused.]"))
    }

    func testGroupHelpListsAzsWholeGroupMarkingWhatIsNotEmulated() throws {
        let kv = try kd("az keyvault -h").stdout
        XCTAssertTrue(kv.contains("\n    key                         : Manage keys.\n"), kv)
        XCTAssertTrue(kv.contains("\n    secret                      : [not emulated by keydrill]\n"), kv)
        XCTAssertTrue(kv.contains("\n    check-name                  : [not emulated by keydrill] Check that"), kv)
        XCTAssertTrue(kv.contains("\n    create                      : Create a Vault or HSM.\n"), kv)
        let top = try kd("az -h").stdout
        XCTAssertTrue(top.contains("\n    aks"), "every top-level group of az")
    }
}

/// A real az command keydrill does not emulate is refused as such (exit 1), never called a typo;
/// only a name az lacks is a typo (exit 2).
final class RealCommandNamesTests: BinaryTestCase {
    func testRealButNotEmulatedCommandsAreNotTypos() throws {
        for (line, name) in [("az network vnet list", "'az network vnet list'"),
                             ("az keyvault secret set --vault-name kv -n s --value v", "'az keyvault secret set'"),
                             ("az keyvault secret", "the command group 'az keyvault secret'")] {
            let r = try kd(line)
            XCTAssertEqual(r.exitCode, 1, line)
            XCTAssertEqual(r.stderr, "ERROR: keydrill does not emulate \(name) (az 2.91.0 has it); it is refused "
                + "rather than run against nothing.\n")
        }
        let typo = try kd("az grop list")
        XCTAssertEqual(typo.exitCode, 2)
        XCTAssertTrue(typo.stderr.hasPrefix("ERROR: 'grop' is misspelled or not recognized by the "
            + "system."), typo.stderr)
        XCTAssertEqual(try kd("az keyvault frobnicate").exitCode, 2)
    }
}
