import Foundation
import XCTest
import JMESPath

/// Vault lifecycle through the binary, with the seed documents' commands as printed and as az 2.91
/// answers them.
final class KeyVaultEndToEndTests: BinaryTestCase {
    let rbacHint =
        "az 2.61+ creates RBAC vaults (--enable-rbac-authorization defaults to true), where access policies are "
        + "ignored: add --enable-rbac-authorization false to az keyvault create, or grant a role with az role "
        + "assignment create (a service's identity needs 'Key Vault Crypto Service Encryption User', you need 'Key "
        + "Vault Crypto Officer')"

    func testSeedVaultCommandsFailAsAz291FailsWithAHintThenPassWrittenToday() throws {
        XCTAssertEqual(try kd("az group create -n ContosoRG -l westus -o none").exitCode, 0)
        let seed = try kd(
            "az keyvault create --name contoso-SB-BYOK-keyvault --resource-group ContosoRG --location westus "
                + "--enable-soft-delete true --enable-purge-protection true")
        XCTAssertEqual(seed.exitCode, 2)
        XCTAssertTrue(
            seed.stderr.hasPrefix(
                "ERROR: unrecognized arguments: --enable-soft-delete true\n\nhttps://aka.ms/cli_ref\n"
                    + "Read more about the command in reference docs\nhint: az removed --enable-soft-delete"),
            seed.stderr)
        XCTAssertEqual(seed.stderr.components(separatedBy: "\n").filter { $0.hasPrefix("hint: ") }.count, 1)
        let r = try kd(
            "az keyvault create --name contoso-SB-BYOK-keyvault --resource-group ContosoRG --location westus "
                + "--enable-purge-protection true",
            "az keyvault update --name contoso-SB-BYOK-keyvault --resource-group ContosoRG --enable-purge-protection "
                + "true"
        )
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let show = try JSON.parse(try kd("az keyvault show -n contoso-SB-BYOK-keyvault -g ContosoRG").stdout)
        XCTAssertEqual(show["properties"]["enablePurgeProtection"], true)
        XCTAssertEqual(show["properties"]["enableRbacAuthorization"], true, "RBAC by default, as az 2.61+ creates")
        let policy = try kd(
            "az keyvault set-policy -n contoso-SB-BYOK-keyvault --object-id 00000000-0000-0000-0000-000000000001 "
                + "--key-permissions get")
        XCTAssertEqual(policy.exitCode, 1)
        XCTAssertTrue(
            policy.stderr.hasPrefix(
                "ERROR: Cannot set policies to a vault with '--enable-rbac-authorization' specified\nhint: az 2.61+"),
            policy.stderr)
        XCTAssertEqual(show["properties"]["softDeleteRetentionInDays"], 90)
        XCTAssertEqual(show["properties"]["vaultUri"], "https://contoso-SB-BYOK-keyvault.vault.azure.net/")
        XCTAssertEqual(show["properties"]["accessPolicies"], [], "az adds no policy for its user on an RBAC vault")
        XCTAssertEqual(show["properties"]["networkAcls"], .null)
        XCTAssertEqual(show["resourceGroup"], "ContosoRG")
    }

    func testOneWayRulesAndSoftDeleteLifecycle() throws {
        XCTAssertEqual(
            try kd(
                "az group create -n rg -l westus -o none",
                "az keyvault create --enable-rbac-authorization false -n kv1 -g rg --retention-days 7 -o none"
            ).exitCode, 0)
        let pp = try kd("az keyvault update -n kv1 -g rg --enable-purge-protection false")
        XCTAssertEqual(pp.exitCode, 1)
        XCTAssertTrue(pp.stderr.contains("(BadRequest) The property \"enablePurgeProtection\" cannot be set to false."))
        XCTAssertEqual(try kd("az keyvault create -n kv9 -g rg --enable-soft-delete false").exitCode, 2)
        XCTAssertEqual(try kd("az keyvault create -n kv9 -g rg --retention-days 3").exitCode, 1)
        XCTAssertEqual(
            try kd("az keyvault update -n kv1 -g rg --retention-days 30").exitCode, 1, "retention is fixed once set")
        let again = try kd("az keyvault create --enable-rbac-authorization false -n kv1 -g rg")
        XCTAssertEqual(again.stderr, "ERROR: The specified vault: kv1 already exists\n")

        XCTAssertEqual(try kd("az keyvault delete -n kv1").exitCode, 0)
        // Without -g az's validator looks the name up among the subscription's vaults (exit 1);
        // with it, ARM answers 404 (exit 3).
        let lookup = try kd("az keyvault show -n kv1")
        XCTAssertEqual(lookup.exitCode, 1)
        XCTAssertEqual(lookup.stderr, "ERROR: The Vault 'kv1' not found within subscription.\n")
        XCTAssertEqual(try kd("az keyvault show -n kv1 -g rg").exitCode, 3)
        let reuse = try kd("az keyvault create --enable-rbac-authorization false -n kv1 -g rg")
        XCTAssertTrue(
            reuse.stderr.contains("(ConflictError) A vault with the same name already exists in deleted state."))
        let deleted = try JSON.parse(try kd("az keyvault list-deleted").stdout)
        XCTAssertEqual(deleted[0]["name"], "kv1")
        XCTAssertEqual(deleted[0]["properties"]["purgeProtectionEnabled"], .null)
        XCTAssertEqual(try kd("az keyvault recover -n kv1 --query name -o tsv").stdout, "kv1\n")
        XCTAssertEqual(
            try kd("az keyvault show -n kv1 --query \"properties.accessPolicies[0].permissions.keys\" -o tsv").stdout,
            "all\n", "access policies come back")

        // The clock purges a deleted vault at its scheduled purge date.
        XCTAssertEqual(try kd("az keyvault delete -n kv1", "clock advance 6d").exitCode, 0)
        XCTAssertEqual(try kd("az keyvault list-deleted --query \"length(@)\"").stdout, "1\n")
        XCTAssertEqual(
            try kd("clock advance 1d", "az keyvault list-deleted --query \"length(@)\"").stdout.split(separator: "\n")
                .last, "0")
        XCTAssertEqual(
            try kd("az keyvault create --enable-rbac-authorization false -n kv1 -g rg -o none").exitCode, 0,
            "the name is free after the purge")
    }

    func testPurgeRefusedUnderPurgeProtection() throws {
        _ = try kd(
            "az group create -n rg -l westus -o none",
            "az keyvault create --enable-rbac-authorization false -n kv1 -g rg --enable-purge-protection true -o none",
            "az keyvault delete -n kv1")
        let r = try kd("az keyvault purge -n kv1")
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(r.stderr.hasPrefix("ERROR: (ConflictError) Operation 'DeletedVaultPurge' is not allowed."))
        XCTAssertEqual(
            try kd("az keyvault list-deleted --query \"[0].properties.purgeProtectionEnabled\"").stdout, "true\n")
    }

    func testSetPolicyRules() throws {
        _ = try kd(
            "az group create -n rg -l westus -o none",
            "az keyvault create --enable-rbac-authorization false -n kv1 -g rg -o none",
            "az keyvault create -n kvr -g rg --enable-rbac-authorization true -o none")
        let p = try JSON.parse(
            try kd(
                "az keyvault set-policy -n kv1 --object-id 00000000-0000-0000-0000-000000000001 --key-permissions "
                    + "GET wrapkey unwrapKey"
            ).stdout)
        XCTAssertEqual(
            p["properties"]["accessPolicies"][1]["permissions"],
            ["certificates": nil, "keys": ["get", "wrapKey", "unwrapKey"], "secrets": nil, "storage": nil])
        let none = try kd("az keyvault set-policy -n kv1 --key-permissions get")
        XCTAssertEqual(none.exitCode, 2)
        XCTAssertTrue(none.stderr.hasPrefix("ERROR: specify exactly one: --object-id, --spn, --upn"))
        let rbac = try kd(
            "az keyvault set-policy -n kvr --object-id 00000000-0000-0000-0000-000000000001 --key-permissions get")
        XCTAssertEqual(
            rbac.stderr,
            "ERROR: Cannot set policies to a vault with '--enable-rbac-authorization' specified\n"
                + "hint: \(rbacHint)\n")
        XCTAssertEqual(
            try kd(
                "az keyvault delete-policy -n kv1 --object-id 00000000-0000-0000-0000-000000000001 --query "
                    + "\"length(properties.accessPolicies)\""
            ).stdout, "1\n")
        XCTAssertEqual(
            try kd(
                "az keyvault set-policy -n kv1 --upn admin@contoso.com --key-permissions get --query "
                    + "\"properties.accessPolicies[0].permissions.keys\" -o tsv"
            ).stdout, "get\n")
    }
}
