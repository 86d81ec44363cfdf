import Foundation
import XCTest
import JMESPath

final class IdentityAndAuditEndToEndTests: BinaryTestCase {
    func testUserAssignedIdentityLifecycle() throws {
        let created = try JSON.parse(
            try kd("az group create -n rg -l westus -o none", "az identity create -n uai1 -g rg --tags team=sre").stdout
        )
        XCTAssertEqual(created["type"], "Microsoft.ManagedIdentity/userAssignedIdentities")
        XCTAssertEqual(created["tags"], ["team": "sre"])
        XCTAssertTrue(
            created["id"].stringValue!.contains(
                "/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai1"))
        let again = try JSON.parse(try kd("az identity create -n uai1 -g rg").stdout)
        XCTAssertEqual(again["principalId"], created["principalId"], "a re-create keeps the principal")
        XCTAssertNotEqual(created["principalId"], created["clientId"])
        XCTAssertEqual(
            try kd("az identity show -n uai1").stderr,
            "ERROR: InvalidArgumentValue: Missing required field: --resource-group\n")
        XCTAssertEqual(try kd("az identity delete -n uai1 -g rg", "az identity list -g rg").stdout, "[]\n")
        XCTAssertEqual(try kd("az identity show -n uai1 -g rg").exitCode, 3)
        let recreated = try JSON.parse(try kd("az identity create -n uai1 -g rg").stdout)
        XCTAssertNotEqual(recreated["principalId"], created["principalId"], "a new identity is a new principal")
    }

    func testAuditRecordsEveryKeyOperationWithFilters() throws {
        _ = try kd(
            "az group create -n rg -l westus -o none",
            "az keyvault create --enable-rbac-authorization false -n kv1 -g rg -o none",
            "az keyvault create --enable-rbac-authorization false -n kv2 -g rg -o none",
            "az keyvault key create --vault-name kv1 -n k1 -o none",
            "az keyvault key create --vault-name kv2 -n k2 -o none")
        _ = try kd("az keyvault key show --vault-name kv1 -n missing")
        let all = try JSON.parse(try kd("audit").stdout)
        XCTAssertEqual(all.arrayValue?.map { $0["operation"].stringValue! }, ["KeyCreate", "KeyCreate", "KeyGet"])
        XCTAssertEqual(all[2]["result"], "KeyNotFound")
        XCTAssertEqual(
            Set(all[0].objectValue!.keys),
            ["firstTime", "lastTime", "count", "vault", "key", "version", "operation", "principal", "caller", "result"])
        // The same refusal again, an hour later: one run of two, not a second record; a different
        // outcome for the same caller and operation starts a new record.
        _ = try kd("clock advance 1h", "az keyvault key show --vault-name kv1 -n missing")
        let runs = try JSON.parse(try kd("audit --query \"[?operation=='KeyGet']\"").stdout)
        XCTAssertEqual(runs.arrayValue?.count, 1)
        XCTAssertEqual(runs[0]["count"], 2)
        XCTAssertNotEqual(runs[0]["firstTime"], runs[0]["lastTime"])
        _ = try kd("az keyvault key show --vault-name kv1 -n k1 -o none")
        XCTAssertEqual(
            try kd("audit --query \"[?operation=='KeyGet'].[key, result, count]\" -o tsv").stdout,
            "missing\tKeyNotFound\t2\nk1\tSuccess\t1\n")
        XCTAssertEqual(try kd("audit --vault-name kv2 --query \"[].key\" -o tsv").stdout, "k2\n")
        XCTAssertEqual(try kd("audit --since 2999-01-01").stdout, "[]\n")
        XCTAssertEqual(
            try kd("settings set coalesceKeyChecks false", "az keyvault key show --vault-name kv1 -n k1 -o none")
                .exitCode, 0)
        XCTAssertEqual(
            try kd("audit --query \"[?key=='k1' && operation=='KeyGet'].count\" -o tsv").stdout, "1\n1\n",
            "with coalescing off every operation is its own record")
        XCTAssertEqual(try kd("az audit").exitCode, 2, "keydrill's own commands are not az commands")
        XCTAssertTrue(try kd("audit -o table").stdout.hasPrefix("Caller"))
    }
}

final class RoleAssignmentEndToEndTests: BinaryTestCase {
    func testRBACVaultGrantsTakeEffectAfterPropagation() throws {
        XCTAssertEqual(
            try kd(
                "az group create -n rg -l westus -o none",
                "az keyvault create -n kv1 -g rg --enable-rbac-authorization true -o none"
            ).exitCode, 0)
        let vaultId = try kd("az keyvault show -n kv1 --query id -o tsv").stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        let denied = try kd("az keyvault key create --vault-name kv1 -n k1")
        XCTAssertTrue(denied.stderr.contains("\"code\": \"ForbiddenByRbac\""), denied.stderr)
        let a = try JSON.parse(
            try kd(
                "az role assignment create --assignee admin@contoso.com --role \"Key Vault Crypto Officer\" --scope "
                    + "\(vaultId)"
            ).stdout)
        XCTAssertEqual(
            a["roleDefinitionId"].stringValue?.hasSuffix("/roleDefinitions/14b46e9e-c2b7-41b4-b07b-48a6ebf60603"), true)
        XCTAssertEqual(a["principalType"], "User")
        XCTAssertEqual(a["resourceGroup"], "rg")
        XCTAssertEqual(try kd("az keyvault key create --vault-name kv1 -n k1").exitCode, 1, "not yet propagated")
        XCTAssertEqual(try kd("clock advance 10m", "az keyvault key create --vault-name kv1 -n k1 -o none").exitCode, 0)
        XCTAssertEqual(
            try kd(
                "az role assignment create --assignee admin@contoso.com --role \"Key Vault Crypto Officer\" --scope "
                    + "\(vaultId)"
            ).exitCode, 1, "duplicate")
        XCTAssertEqual(try kd("az role assignment list --scope \(vaultId) --query \"length(@)\"").stdout, "1\n")
        XCTAssertEqual(
            try kd(
                "az role assignment create --assignee-object-id 00000000-0000-0000-0000-00000000abcd --role \"Key "
                    + "Vault Reader\" --scope \(vaultId)"
            ).exitCode, 1, "unknown principal")
        XCTAssertTrue(
            try kd(
                "az role assignment create --assignee admin@contoso.com --role \"Storage Blob Data Reader\" --scope "
                    + vaultId
            ).stderr.contains("keydrill emulates these built-in roles only"))
        XCTAssertEqual(
            try kd(
                "az role assignment delete --assignee admin@contoso.com --scope \(vaultId)",
                "az role assignment list --all"
            ).stdout, "[]\n")
        XCTAssertEqual(try kd("az keyvault key show --vault-name kv1 -n k1").exitCode, 1, "removal applies at once")
    }

    func testVaultSoftDeleteDropsRoleAssignmentsForGood() throws {
        _ = try kd(
            "az group create -n rg -l westus -o none",
            "az keyvault create -n kv1 -g rg --enable-rbac-authorization true -o none")
        let vaultId = try kd("az keyvault show -n kv1 --query id -o tsv").stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        _ = try kd(
            "az role assignment create --assignee admin@contoso.com --role \"Key Vault Administrator\" --scope "
                + "\(vaultId) -o none"
        )
        XCTAssertEqual(
            try kd(
                "az keyvault delete -n kv1", "az keyvault recover -n kv1 -o none",
                "az role assignment list --all --query \"length(@)\""
            ).stdout, "0\n")
    }
}

final class PortalAccessPolicyEndToEndTests: BinaryTestCase {
    func testPrincipalIsPickedByNameAsInThePortal() throws {
        _ = try kd(
            "az group create -n rg -l westus -o none",
            "az keyvault create --enable-rbac-authorization false -n kv1 -g rg -o none",
            "az identity create -n uai1 -g rg -o none")
        let pid = try kd("az identity show -n uai1 -g rg --query principalId -o tsv").stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        let v = try JSON.parse(
            try kd(
                "portal keyvault access-policy add --vault-name kv1 --principal uai1 --key-permissions get wrapKey "
                    + "unwrapKey"
            ).stdout)
        XCTAssertEqual(v["properties"]["accessPolicies"][1]["objectId"].stringValue, pid)
        XCTAssertEqual(v["properties"]["accessPolicies"][1]["permissions"]["keys"], ["get", "wrapKey", "unwrapKey"])
        let missing = try kd("portal keyvault access-policy add --vault-name kv1 --principal pg1 --key-permissions get")
        XCTAssertEqual(missing.exitCode, 3)
        XCTAssertTrue(missing.stderr.contains("(PrincipalNotFound)"))
        XCTAssertEqual(
            try kd("az portal keyvault access-policy add --vault-name kv1 --principal uai1 --key-permissions get")
                .exitCode, 2)
        XCTAssertTrue(
            try kd("portal keyvault access-policy add -h").stdout.contains(
                "portal keyvault access-policy add : The portal's"))
    }
}
