import Foundation
import XCTest

/// A hint says what changed and what to do now, from what the failure and the world show: a
/// flag an older az spelled otherwise, a Single Server procedure used on a Flexible Server, and
/// a refusal while the role just granted is still propagating (wait, do not grant again).
final class DriftHintsEndToEndTests: BinaryTestCase {
    func testTheOlderReplicaNameFlagGetsAzsErrorThenAHint() throws {
        let r = try kd("az postgres flexible-server replica create -g rg --replica-name r1 --source-server s1")
        XCTAssertEqual(r.exitCode, 2)
        // az 2.91's own words come first (recorded from azure-cli 2.91.0).
        XCTAssertTrue(r.stderr.hasPrefix("ERROR: the following arguments are required: --name/-n\n"), r.stderr)
        XCTAssertTrue(
            r.stderr.contains(
                "hint: az postgres flexible-server replica create takes the new replica's "
                    + "name as --name (-n)"), r.stderr)
    }

    func testSingleServersRevalidateOnAFlexibleServerSaysHowFlexibleRevalidates() throws {
        XCTAssertEqual(
            try kd(
                "az group create -n rg -l eastus -o none",
                "az postgres flexible-server create -g rg -n pgfs-hint --public-access None -o none"
            ).exitCode, 0)
        let r = try kd("portal postgres data-encryption revalidate -g rg -n pgfs-hint")
        XCTAssertNotEqual(r.exitCode, 0)
        XCTAssertTrue(
            r.stderr.contains("hint: this is a Flexible Server: its Data encryption blade has no Revalidate"),
            r.stderr)
    }

    func testARefusalWhileAGrantPropagatesSaysWhenItLands() throws {
        XCTAssertEqual(
            try kd(
                "clock set 2030-01-01T00:00:00Z", "az group create -n rg -l eastus -o none",
                "az keyvault create -g rg -n kv-hint -o none",
                "az role assignment create --assignee admin@contoso.com --role \"Key Vault Crypto Officer\" "
                    + "--scope $(az keyvault show -n kv-hint --query id -o tsv) -o none",
                "clock advance 3m"
            ).exitCode, 0)
        let r = try kd("az keyvault key create --vault-name kv-hint -n k")
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(r.stderr.contains("\"code\": \"ForbiddenByRbac\""), r.stderr)
        XCTAssertTrue(
            r.stderr.contains("hint: a role assigned to you is still propagating ('Key Vault Crypto Officer' at "),
            r.stderr)
        XCTAssertTrue(
            r.stderr.contains("it takes effect at 2030-01-01T00:10:00Z, 7m from now ('clock advance 7m')"),
            r.stderr)
        XCTAssertFalse(r.stderr.contains("add --enable-rbac-authorization false"), "no advice to grant again")
        XCTAssertEqual(
            try kd("clock advance 7m", "az keyvault key create --vault-name kv-hint -n k -o none").exitCode, 0)
    }
}
