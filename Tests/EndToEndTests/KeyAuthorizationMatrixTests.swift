import Foundation
import XCTest
import JMESPath

/// Every key command, run by a principal that lacks exactly the permission it needs, is refused
/// and leaves an audit record with the refusal, in both of a vault's authorization modes.
final class KeyAuthorizationMatrixTests: BinaryTestCase {
    static let allPermissions = [
        "encrypt", "decrypt", "wrapKey", "unwrapKey", "sign", "verify", "get", "list", "create", "update", "import",
        "delete", "backup", "restore", "recover", "purge", "release", "rotate", "getrotationpolicy",
        "setrotationpolicy",
    ]

    /// (command, permission it needs, AuditEvent operation name)
    static let matrix: [(String, String, String)] = [
        ("az keyvault key create --vault-name kv1 -n new1", "create", "KeyCreate"),
        ("az keyvault key show --vault-name kv1 -n key1", "get", "KeyGet"),
        ("az keyvault key list --vault-name kv1", "list", "KeyList"),
        ("az keyvault key list-versions --vault-name kv1 -n key1", "list", "KeyListVersions"),
        ("az keyvault key set-attributes --vault-name kv1 -n key1 --enabled false", "update", "KeyUpdate"),
        ("az keyvault key delete --vault-name kv1 -n key1", "delete", "KeyDelete"),
        ("az keyvault key list-deleted --vault-name kv1", "list", "KeyListDeleted"),
        ("az keyvault key show-deleted --vault-name kv1 -n gone", "get", "KeyGetDeleted"),
        ("az keyvault key recover --vault-name kv1 -n gone", "recover", "KeyRecover"),
        ("az keyvault key purge --vault-name kv1 -n gone", "purge", "KeyPurge"),
        ("az keyvault key rotate --vault-name kv1 -n key1", "rotate", "KeyRotate"),
        ("az keyvault key encrypt --vault-name kv1 -n key1 -a RSA-OAEP --value aGk=", "encrypt", "KeyEncrypt"),
        ("az keyvault key decrypt --vault-name kv1 -n key1 -a RSA-OAEP --value aGk=", "decrypt", "KeyDecrypt"),
        ("az keyvault key rotation-policy show --vault-name kv1 -n key1", "getrotationpolicy", "KeyGetRotationPolicy"),
        (
            "az keyvault key rotation-policy update --vault-name kv1 -n key1 --value {}", "setrotationpolicy",
            "KeySetRotationPolicy"
        ),
    ]

    private func lastAudit() throws -> JSON {
        let r = try kd("audit --vault-name kv1 --query [-1]")
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        return try JSON.parse(r.stdout)
    }

    func testAccessPolicyVaultRefusesEachOperationWithoutItsPermission() throws {
        XCTAssertEqual(
            try kd(
                "az group create -n rg -l westus -o none",
                "az keyvault create --enable-rbac-authorization false -n kv1 -g rg -o none",
                "az keyvault set-policy -n kv1 --upn admin@contoso.com --key-permissions all purge -o none",
                "az keyvault key create --vault-name kv1 -n key1 -o none",
                "az keyvault key create --vault-name kv1 -n gone -o none",
                "az keyvault key delete --vault-name kv1 -n gone -o none"
            ).exitCode, 0)
        for (command, permission, operation) in Self.matrix {
            let others = Self.allPermissions.filter { $0 != permission }.joined(separator: " ")
            XCTAssertEqual(
                try kd("az keyvault set-policy -n kv1 --upn admin@contoso.com --key-permissions \(others) -o none")
                    .exitCode, 0)
            let r = try kd(command)
            XCTAssertEqual(r.exitCode, 1, command)
            XCTAssertTrue(
                r.stderr.contains("does not have keys \(permission) permission on key vault 'kv1;location=westus'"),
                "\(command): \(r.stderr)")
            let record = try lastAudit()
            XCTAssertEqual(record["operation"].stringValue, operation, command)
            XCTAssertEqual(record["result"], "AccessDenied", command)
            XCTAssertEqual(record["caller"], "admin@contoso.com", command)
        }
        // Nothing a refused command asked for happened.
        XCTAssertEqual(
            try kd("az keyvault set-policy -n kv1 --upn admin@contoso.com --key-permissions all -o none").exitCode, 0)
        let versions = try JSON.parse(
            try kd("az keyvault key list-versions --vault-name kv1 -n key1 --query length(@)").stdout)
        XCTAssertEqual(versions, 1)
        XCTAssertEqual(
            try kd("az keyvault key show --vault-name kv1 -n key1 --query attributes.enabled").stdout, "true\n")
        XCTAssertEqual(try kd("az keyvault key list-deleted --vault-name kv1 --query [].name -o tsv").stdout, "gone\n")
    }

    func testRbacVaultRefusesEachOperationWithoutARole() throws {
        let me = try kd(
            "az group create -n rg -l westus -o none",
            "az keyvault create -n kv1 -g rg --enable-rbac-authorization true --query id -o tsv"
        ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(
            try kd(
                "az role assignment create --assignee admin@contoso.com --role \"Key Vault Administrator\" --scope "
                    + "\(me) -o none",
                "clock advance 10m",
                "az keyvault key create --vault-name kv1 -n key1 -o none",
                "az keyvault key create --vault-name kv1 -n gone -o none",
                "az keyvault key delete --vault-name kv1 -n gone -o none",
                "az role assignment delete --assignee admin@contoso.com --scope \(me)"
            ).exitCode, 0)
        for (command, _, operation) in Self.matrix {
            let r = try kd(command)
            XCTAssertEqual(r.exitCode, 1, command)
            XCTAssertTrue(
                r.stderr.contains("Caller is not authorized to perform action on resource."), "\(command): \(r.stderr)")
            let record = try lastAudit()
            XCTAssertEqual(record["operation"].stringValue, operation, command)
            XCTAssertEqual(record["result"], "ForbiddenByRbac", command)
        }
        // A read-only role lets reads through and still refuses every change.
        XCTAssertEqual(
            try kd(
                "az role assignment create --assignee admin@contoso.com --role \"Key Vault Reader\" --scope \(me) -o "
                    + "none",
                "clock advance 10m"
            ).exitCode, 0)
        for (command, permission, operation) in Self.matrix
        where !["get", "list", "getrotationpolicy"].contains(permission) {
            let r = try kd(command)
            XCTAssertEqual(r.exitCode, 1, command)
            XCTAssertEqual(try lastAudit()["result"], "ForbiddenByRbac", "\(command) \(operation)")
        }
        XCTAssertEqual(try kd("az keyvault key show --vault-name kv1 -n key1 -o none").exitCode, 0)
    }
}
