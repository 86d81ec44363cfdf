import Foundation
import XCTest
import JMESPath

/// Keys through the binary: real key material, the recovery rehearsal, denials and their audit.
final class KeyEndToEndTests: BinaryTestCase {
    func testDeleteConflictPurgeRefusedRecoverThenCryptoWorksAgain() throws {
        XCTAssertEqual(
            try kd(
                "az group create -n rg -l westus -o none",
                "az keyvault create --enable-rbac-authorization false -n kv1 -g rg"
                    + " --enable-purge-protection true -o none",
                "az keyvault set-policy -n kv1 --upn admin@contoso.com --key-permissions all purge -o none"
            ).exitCode, 0)
        let created = try JSON.parse(try kd("az keyvault key create --vault-name kv1 -n key1").stdout)
        XCTAssertEqual(created["key"]["n"].stringValue?.count, 344, "RSA-2048 modulus, standard base64")
        XCTAssertEqual(created["key"]["e"], "AQAB")
        XCTAssertEqual(created["attributes"]["recoveryLevel"], "Recoverable")
        XCTAssertNotNil(
            created["key"]["kid"].stringValue?.wholeMatch(
                of: /https:\/\/kv1\.vault\.azure\.net\/keys\/key1\/[0-9a-f]{32}/))

        let ct = try kd(
            "az keyvault key encrypt --vault-name kv1 -n key1 -a RSA-OAEP-256 --value secret --data-type plaintext "
                + "--query result -o tsv"
        )
        XCTAssertEqual(ct.exitCode, 0, ct.stderr)
        let ciphertext = ct.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(Data(base64Encoded: ciphertext)?.count, 256)

        XCTAssertEqual(try kd("az keyvault key delete --vault-name kv1 -n key1 -o none").exitCode, 0)
        let conflict = try kd("az keyvault key create --vault-name kv1 -n key1")
        XCTAssertEqual(conflict.exitCode, 1)
        XCTAssertTrue(conflict.stderr.contains("\"code\": \"ObjectIsDeletedButRecoverable\""))
        let purge = try kd("az keyvault key purge --vault-name kv1 -n key1")
        XCTAssertEqual(purge.exitCode, 1)
        XCTAssertTrue(
            purge.stderr.hasPrefix(
                "ERROR: (Forbidden) Operation \"purge\" is not allowed because purge protection is enabled for this "
                    + "vault."
            ))
        XCTAssertEqual(
            try kd("az keyvault key recover --vault-name kv1 -n key1 --query key.kid -o tsv").stdout,
            created["key"]["kid"].stringValue! + "\n")
        let plain = try kd(
            "az keyvault key decrypt --vault-name kv1 -n key1 -a RSA-OAEP-256 --value \(ciphertext) --data-type "
                + "plaintext --query result -o tsv"
        )
        XCTAssertEqual(plain.stdout, "secret\n")
    }

    func testDeniedOperationsAreRefusedAndAudited() throws {
        _ = try kd(
            "az group create -n rg -l westus -o none",
            "az keyvault create --enable-rbac-authorization false -n kv1 -g rg -o none",
            "az keyvault key create --vault-name kv1 -n key1 -o none",
            "az keyvault set-policy -n kv1 --upn admin@contoso.com --key-permissions get -o none")
        for (line, permission) in [
            ("az keyvault key list --vault-name kv1", "list"),
            ("az keyvault key rotate --vault-name kv1 -n key1", "rotate"),
            ("az keyvault key encrypt --vault-name kv1 -n key1 -a RSA-OAEP --value aGk=", "encrypt"),
            ("az keyvault key delete --vault-name kv1 -n key1", "delete"),
        ] {
            let r = try kd(line)
            XCTAssertEqual(r.exitCode, 1, line)
            XCTAssertTrue(
                r.stderr.contains("does not have keys \(permission) permission on key vault 'kv1;location=westus'"),
                r.stderr)
        }
        XCTAssertEqual(try kd("az keyvault key show --vault-name kv1 -n key1 -o none").exitCode, 0)
        // Permission is checked before the request itself: no "premium only" answer to a caller
        // who may not create keys at all.
        XCTAssertTrue(
            try kd("az keyvault key create --vault-name kv1 -n hsm --kty RSA-HSM").stderr.contains(
                "does not have keys create permission"))
        let audit = try JSON.parse(try kd("audit --vault-name kv1").stdout)
        let results = audit.arrayValue!.suffix(6).map { "\($0["operation"].stringValue!):\($0["result"].stringValue!)" }
        XCTAssertEqual(
            results,
            [
                "KeyList:AccessDenied", "KeyRotate:AccessDenied", "KeyEncrypt:AccessDenied", "KeyDelete:AccessDenied",
                "KeyGet:Success", "KeyCreate:AccessDenied",
            ])
    }

    func testKeyStatesAndDates() throws {
        _ = try kd(
            "az group create -n rg -l westus -o none",
            "az keyvault create --enable-rbac-authorization false -n kv1 -g rg -o none",
            "az keyvault key create --vault-name kv1 -n key1 -o none")
        let ct = try kd(
            "az keyvault key encrypt --vault-name kv1 -n key1 -a RSA-OAEP --value aGk= --query result -o tsv"
        ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(
            try kd("az keyvault key set-attributes --vault-name kv1 -n key1 --enabled false -o none").exitCode, 0)
        XCTAssertTrue(
            try kd("az keyvault key encrypt --vault-name kv1 -n key1 -a RSA-OAEP --value aGk=").stderr.contains(
                "KeyDisabled"))
        _ = try kd(
            "az keyvault key set-attributes --vault-name kv1 -n key1 --enabled true --expires 2000-01-01T00:00:00Z "
                + "-o none"
        )
        XCTAssertTrue(
            try kd("az keyvault key encrypt --vault-name kv1 -n key1 -a RSA-OAEP --value aGk=").stderr.contains(
                "KeyExpired"))
        XCTAssertEqual(
            try kd("az keyvault key decrypt --vault-name kv1 -n key1 -a RSA-OAEP --value \(ct) --query result -o tsv")
                .stdout, "aGk=\n", "decrypt still works after expiry")
        XCTAssertEqual(
            try kd("az keyvault key create --vault-name kv1 -n ec --kty EC --curve P-521 --query key.crv -o tsv")
                .stdout, "P-521\n")
        XCTAssertTrue(try kd("az keyvault key create --vault-name kv1 -n hsm --kty RSA-HSM").stderr.contains("Premium"))
        XCTAssertTrue(
            try kd("az keyvault key create --vault-name kv1 -n k --kty EC --curve P-256K").stderr.contains(
                "does not emulate P-256K"))
        XCTAssertEqual(
            try kd(
                "az keyvault key rotate --vault-name kv1 -n key1 -o none",
                "az keyvault key list-versions --vault-name kv1 -n key1 --query \"length(@)\""
            ).stdout, "2\n")
    }
}

final class NetworkRuleEndToEndTests: BinaryTestCase {
    func testFirewallGuardsTheDataPlaneOnly() throws {
        _ = try kd(
            "az group create -n rg -l westus -o none",
            "az keyvault create --enable-rbac-authorization false -n kv1 -g rg -o none",
            "az keyvault key create --vault-name kv1 -n k1 -o none")
        XCTAssertEqual(try kd("az keyvault network-rule list -n kv1").stdout, "", "no ACLs: nothing printed")
        XCTAssertEqual(
            try kd("az keyvault update -n kv1 -g rg --default-action deny --bypass azureservices -o none").exitCode, 0)
        let denied = try kd("az keyvault key show --vault-name kv1 -n k1")
        XCTAssertEqual(denied.exitCode, 1)
        XCTAssertTrue(denied.stderr.contains("Client address is not authorized and caller is not a trusted service."))
        XCTAssertTrue(denied.stderr.contains("\"code\": \"ForbiddenByFirewall\""))
        XCTAssertEqual(
            try kd("az keyvault show -n kv1 --query properties.networkAcls.defaultAction -o tsv").stdout, "Deny\n",
            "management plane unaffected")
        XCTAssertEqual(
            try kd("az keyvault network-rule add -n kv1 --ip-address 10.1.2.3").exitCode, 1, "private ranges refused")
        let acls = try JSON.parse(
            try kd(
                "az keyvault network-rule add -n kv1 --ip-address 203.0.113.0/24 198.51.100.7 -o none",
                "az keyvault network-rule list -n kv1"
            ).stdout)
        XCTAssertEqual(acls["ipRules"], [["value": "203.0.113.0/24"], ["value": "198.51.100.7/32"]])
        XCTAssertEqual(
            try kd("az keyvault key show --vault-name kv1 -n k1 -o none").exitCode, 0,
            "the operator's address (203.0.113.10) is now allowed")
        XCTAssertEqual(
            try kd(
                "az keyvault network-rule remove -n kv1 --ip-address 203.0.113.0/24 -o none",
                "az keyvault key show --vault-name kv1 -n k1 -o none"
            ).exitCode, 1)
    }
}
