import Crypto
import _CryptoExtras
import Foundation
import JMESPath
import XCTest

/// The commands real CMK scripts use beside the core ones: directory lookups, role definitions,
/// name checks, key import / download / backup / restore, and waits on the virtual clock.
final class ScriptCommandsEndToEndTests: BinaryTestCase {
    func setUpVault() throws {
        let r = try kd(
            "az group create -n rg -l westus -o none",
            "az keyvault create -n kv1 -g rg --enable-rbac-authorization false -o none",
            "az keyvault set-policy -n kv1 --upn admin@contoso.com --key-permissions all purge -o none")
        XCTAssertEqual(r.exitCode, 0, r.stderr)
    }

    func testImportedKeysAreTheKeysGivenAndDownloadGivesTheirPublicPart() throws {
        try setUpVault()
        let rsa = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
        let pem = state + "/rsa.pem", pub = state + "/pub.pem", der = state + "/pub.der"
        try rsa.pemRepresentation.write(toFile: pem, atomically: true, encoding: .utf8)
        let imported = try kd("az keyvault key import --vault-name kv1 -n imp --pem-file \(pem) --query key.n -o tsv")
        XCTAssertEqual(imported.exitCode, 0, imported.stderr)
        let n = try rsa.publicKey.getKeyPrimitives().modulus.drop { $0 == 0 }
        let printed = Data(base64Encoded: imported.stdout.trimmingCharacters(in: .newlines))?.drop { $0 == 0 }
        XCTAssertEqual(printed.map { Data($0) }, Data(n), "the modulus imported")
        XCTAssertEqual(try kd("az keyvault key download --vault-name kv1 -n imp -f \(pub)").exitCode, 0)
        XCTAssertEqual(try String(contentsOfFile: pub, encoding: .utf8), rsa.publicKey.pemRepresentation + "\n")
        XCTAssertEqual(try kd("az keyvault key download --vault-name kv1 -n imp -f \(der) -e DER").exitCode, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: der)), rsa.publicKey.derRepresentation)
        let again = try kd("az keyvault key download --vault-name kv1 -n imp -f \(pub)")
        XCTAssertEqual(again.stderr, "ERROR: File or directory named '\(pub)' already exists.\n")
        let both = try kd("az keyvault key import --vault-name kv1 -n x --pem-file \(pem) --pem-string y")
        XCTAssertEqual(both.exitCode, 2)
        XCTAssertEqual(both.stderr, "ERROR: supply exactly one: --byok-file, --byok-string, --pem-file, --pem-string\n")
        let ec = P256.Signing.PrivateKey()
        let ecPem = state + "/ec.pem"
        try ec.pemRepresentation.write(toFile: ecPem, atomically: true, encoding: .utf8)
        let ecKey = try kd("az keyvault key import --vault-name kv1 -n ec --pem-file \(ecPem) --kty EC --curve P-256")
        XCTAssertEqual(try JSON.parse(ecKey.stdout)["key"]["crv"], "P-256", ecKey.stderr)
    }

    func testABackupRestoresAfterThePurgeWithEveryVersionAndNotOverALiveKey() throws {
        try setUpVault()
        let blob = state + "/k.blob"
        let r = try kd(
            "az keyvault key create --vault-name kv1 -n k -o none",
            "az keyvault key rotate --vault-name kv1 -n k -o none",
            "az keyvault key backup --vault-name kv1 -n k -f \(blob)")
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let conflict = try kd("az keyvault key restore --vault-name kv1 -f \(blob)")
        XCTAssertEqual(conflict.exitCode, 1)
        XCTAssertTrue(conflict.stderr.contains("(Conflict) There was a conflict restoring the key"), conflict.stderr)
        XCTAssertEqual(
            try kd(
                "az keyvault key delete --vault-name kv1 -n k -o none", "az keyvault key purge --vault-name kv1 -n k"
            ).exitCode, 0)
        let restored = try kd("az keyvault key restore --vault-name kv1 -f \(blob) -o none")
        XCTAssertEqual(restored.exitCode, 0, restored.stderr)
        XCTAssertEqual(try kd("az keyvault key list-versions --vault-name kv1 -n k --query length(@)").stdout, "2\n")
        var damaged = try Data(contentsOf: URL(fileURLWithPath: blob))
        damaged[damaged.count - 1] ^= 1
        try damaged.write(to: URL(fileURLWithPath: blob))
        let bad = try kd("az keyvault key restore --vault-name kv1 -f \(blob)")
        XCTAssertTrue(bad.stderr.contains("(BadParameter) Backup blob contains invalid or corrupt version"), bad.stderr)
        let audit = try kd(
            "audit --vault-name kv1 --query \"[?operation=='KeyBackup' || operation=='KeyRestore'].result\"")
        XCTAssertEqual(try JSON.parse(audit.stdout), ["Success", "Conflict", "Success"])
    }

    func testDirectoryRoleDefinitionsAndNameChecks() throws {
        XCTAssertEqual(
            try kd("az group create -n rg -l westus -o none", "az identity create -g rg -n id1 -o none").exitCode, 0)
        let me = try JSON.parse(try kd("az ad signed-in-user show").stdout)
        XCTAssertEqual(me["userPrincipalName"], "admin@contoso.com")
        let clientId = try kd("az identity show -g rg -n id1 --query clientId -o tsv").stdout.trimmingCharacters(
            in: .newlines)
        let principalId = try kd("az identity show -g rg -n id1 --query principalId -o tsv").stdout
            .trimmingCharacters(in: .newlines)
        let sp = try JSON.parse(try kd("az ad sp show --id \(clientId)").stdout)
        XCTAssertEqual(sp["id"].stringValue, principalId)
        XCTAssertEqual(sp["servicePrincipalType"], "ManagedIdentity")
        XCTAssertEqual(try kd("az ad sp show --id \(principalId) --query appId -o tsv").stdout, clientId + "\n")
        let missing = try kd("az ad sp show --id not-a-principal")
        XCTAssertEqual(missing.exitCode, 3)
        XCTAssertEqual(missing.stderr, "ERROR: Service principal 'not-a-principal' doesn't exist\n")
        let role = try kd(
            "az role definition list --name \"Key Vault Crypto Service Encryption User\" --query [0].name -o tsv")
        XCTAssertEqual(role.stdout, "e147488a-f6f5-4113-8e2d-b22465e65bf6\n")
        XCTAssertEqual(try kd("az role definition list --custom-role-only true").stdout, "[]\n")
        XCTAssertEqual(
            try kd("az servicebus namespace exists --name sb-free-name --query nameAvailable").stdout, "true\n")
        XCTAssertEqual(try kd("az keyvault key get-policy-template --query version -o tsv").stdout, "1.0.0\n")
        XCTAssertEqual(try kd("az login -o none", "az logout").exitCode, 0)
        let out = try kd("az ad signed-in-user show")
        XCTAssertEqual(out.stderr, "ERROR: Please run 'az login' to setup account.\n")
    }

    func testWaitsMoveTheVirtualClockUntilTheConditionOrTheTimeout() throws {
        XCTAssertEqual(
            try kd(
                "az group create -n rg -l westus -o none", "settings set resourceGroupDeletionSeconds 600",
                "clock set 2030-01-01T00:00:00Z", "az group delete -n rg --yes --no-wait"
            ).exitCode, 0)
        XCTAssertEqual(try kd("az group wait -n rg --deleted", "clock now").stdout, "2030-01-01T00:10:00Z\n")
        let timedOut = try kd("az group wait -n rg --created --timeout 90", "clock now")
        XCTAssertEqual(timedOut.stdout, "{}\n2030-01-01T00:11:30Z\n", "az returns its timeout error: {} and exit 0")
        let usage = try kd("az keyvault wait -n kv1 -g rg2")
        XCTAssertEqual(
            usage.stderr, "ERROR: incorrect usage: --created | --updated | --deleted | --exists | --custom JMESPATH\n")
        XCTAssertEqual(try kd("az group create -n rg2 -l westus -o none", "az group wait -n rg2 --exists").exitCode, 0)
        let custom = try kd("az group wait -n rg2 --custom \"tags.ready=='yes'\" --timeout 60 --interval 30 -o none")
        XCTAssertEqual(custom.exitCode, 0)
    }

    func testResourceUpdateGoesThroughTheSameRulesAsTheResourcesOwnCommands() throws {
        try setUpVault()
        let id = try kd("az keyvault show -n kv1 --query id -o tsv").stdout.trimmingCharacters(in: .newlines)
        let seed = try kd(
            "az resource update --id \(id) --set properties.enableSoftDelete=true --query properties.enableSoftDelete")
        XCTAssertEqual(seed.stdout, "true\n", seed.stderr)
        XCTAssertEqual(
            try kd("az resource update --ids \(id) --set properties.enablePurgeProtection=true -o none").exitCode, 0)
        let back = try kd("az resource update --ids \(id) --set properties.enablePurgeProtection=false")
        XCTAssertEqual(back.exitCode, 1)
        XCTAssertTrue(
            back.stderr.hasPrefix("ERROR: (BadRequest) The property \"enablePurgeProtection\" cannot be set to false."))
        let off = try kd("az resource update --ids \(id) --set properties.enableSoftDelete=false")
        XCTAssertTrue(off.stderr.contains("\"enableSoftDelete\" cannot be set to false"), off.stderr)
        let sku = try kd(
            "az resource update -g rg -n kv1 --resource-type Microsoft.KeyVault/vaults "
                + "--set properties.sku.name=premium")
        XCTAssertEqual(sku.exitCode, 1)
        XCTAssertTrue(sku.stderr.contains("keydrill does not emulate changing 'properties.sku.name'"), sku.stderr)
        let tagged = try kd(
            "az resource update -g rg -n kv1 --namespace Microsoft.KeyVault --resource-type vaults "
                + "--set tags.env=drill",
            "az resource list -g rg --tag env=drill --query [].name -o tsv")
        XCTAssertEqual(tagged.stdout.split(separator: "\n").last, "kv1", tagged.stderr)
        let missing = try kd("az resource show -g rg -n nope --resource-type Microsoft.KeyVault/vaults")
        XCTAssertEqual(missing.exitCode, 3)
        XCTAssertEqual(
            try kd("az resource show -g rg -n kv1 --resource-type vaults").stderr, "ERROR: --namespace is required\n")
    }

    func testAVaultNetworkRuleNeedsASubnetWithTheKeyVaultServiceEndpoint() throws {
        try setUpVault()
        let created = try kd(
            "az network vnet create -g rg -n vnet1 --address-prefixes 10.1.0.0/16 --subnet-name apps "
                + "--subnet-prefixes 10.1.1.0/24 --query newVNet.subnets[0].addressPrefix -o tsv")
        XCTAssertEqual(created.stdout, "10.1.1.0/24\n", created.stderr)
        let bare = try kd("az keyvault network-rule add -n kv1 --vnet-name vnet1 --subnet apps")
        XCTAssertEqual(bare.exitCode, 1)
        XCTAssertTrue(
            bare.stderr.hasPrefix("ERROR: (SubnetsHaveNoServiceEndpointsConfigured) Subnets apps"), bare.stderr)
        let endpoint = try kd(
            "az network vnet subnet update -g rg --vnet-name vnet1 -n apps --service-endpoints Microsoft.KeyVault "
                + "--query serviceEndpoints[0].locations[0] -o tsv")
        XCTAssertEqual(endpoint.stdout, "*\n", endpoint.stderr)
        let rule = try kd(
            "az keyvault network-rule add -n kv1 --vnet-name vnet1 --subnet apps "
                + "--query length(properties.networkAcls.virtualNetworkRules)")
        XCTAssertEqual(rule.stdout, "1\n", rule.stderr)
        XCTAssertEqual(try kd("az network vnet show -g rg -n vnet1 --query length(subnets)").stdout, "1\n")
        XCTAssertEqual(try kd("az network vnet subnet show -g rg --vnet-name vnet1 -n nope").exitCode, 3)
    }

    func testAQueryThatFailsWhenItRunsIsAzsErrorAfterTheCommandRan() throws {
        let r = try kd("az group create -n rg -l westus --query \"unknown(@)\"")
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertEqual(
            r.stderr,
            "ERROR: Invalid jmespath query supplied for `--query`: Unknown function: unknown()\n"
                + "To learn more about --query, please visit: 'https://learn.microsoft.com/cli/azure/query-azure-cli'\n"
        )
        XCTAssertEqual(try kd("az group exists -n rg").stdout, "true\n", "the command itself ran")
    }
}
