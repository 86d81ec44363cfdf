import Foundation
import XCTest
import JMESPath

/// Acting as another principal: az login --identity or --service-principal with a federated
/// token makes a user-assigned identity the caller; every key operation is then checked and
/// audited as it, in both vault modes; az login brings the operator back; az logout leaves nobody.
final class SignInEndToEndTests: BinaryTestCase {
    func json(_ r: Binary.Result) throws -> JSON { try JSON.parse(r.stdout) }

    func setUpPipelineIdentity() throws -> (clientId: String, principalId: String) {
        let r = try kd(
            "az group create -n rg -l westus -o none", "az identity create -g rg -n pipeline -o none",
            "az identity show -g rg -n pipeline --query \"[clientId, principalId]\" -o tsv")
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let ids = r.stdout.split(separator: "\n").map(String.init)
        return (ids[0], ids[1])
    }

    func testAnIdentityWithTheServiceEncryptionRoleListsAndWrapsButCannotCreateOrPurge() throws {
        let (clientId, pid) = try setUpPipelineIdentity()
        XCTAssertEqual(
            try kd(
                "az keyvault create -n kv-rbac -g rg --enable-rbac-authorization true --enable-purge-protection true "
                    + "-o none"
            ).exitCode, 0)
        let vaultId = try kd("az keyvault show -n kv-rbac --query id -o tsv").stdout.trimmingCharacters(in: .newlines)
        var r = try kd(
            "az role assignment create --role \"Key Vault Crypto Service Encryption User\" --assignee-object-id "
                + "\(pid) --assignee-principal-type ServicePrincipal --scope \(vaultId) -o none",
            "clock advance 10m")
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        r = try kd("az login --identity --client-id \(clientId) --query \"[0].user\"")
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(
            try json(r),
            try JSON.parse(
                #"{"assignedIdentityInfo": "MSIClient-\#(clientId)", "name": "userAssignedIdentity", "#
                    + #""type": "servicePrincipal"}"#
            ))
        // The operator cannot create keys in an RBAC vault without a role either: sign back in
        // to give it Crypto Officer, create a key, then act as the pipeline again.
        r = try kd(
            "az login -o none",
            "az role assignment create --role \"Key Vault Crypto Officer\" --assignee admin@contoso.com --scope "
                + "\(vaultId) -o none",
            "clock advance 10m", "az keyvault key create --vault-name kv-rbac -n k1 -o none",
            "az login --service-principal -u \(clientId) --tenant $(az account show --query tenantId -o tsv) "
                + "--federated-token eyJ.token -o none"
        )
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        r = try kd("az keyvault key list --vault-name kv-rbac --query [].name -o tsv")
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(r.stdout, "k1\n")
        r = try kd("az keyvault key create --vault-name kv-rbac -n k2")
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(
            r.stderr.contains("Caller is not authorized") && r.stderr.contains("keys/create/action"), r.stderr)
        // Audited as the identity.
        r = try kd("audit --principal \(pid) --query \"[].[operation, result, caller]\" -o tsv")
        XCTAssertTrue(r.stdout.contains("KeyList\tSuccess\tpipeline"), r.stdout)
        XCTAssertTrue(
            r.stdout.contains("KeyCreate\tForbidden\tpipeline")
                || r.stdout.contains("KeyCreate\tForbiddenByRbac\tpipeline"), r.stdout)
        XCTAssertEqual(try kd("az account show --query user.name -o tsv").stdout, "\(clientId)\n")
        // Back to the operator, then nobody.
        XCTAssertEqual(try kd("az login --query [0].user.name -o tsv").stdout, "admin@contoso.com\n")
        XCTAssertEqual(try kd("az logout").exitCode, 0)
        r = try kd("az group list")
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertEqual(r.stderr, "ERROR: Please run 'az login' to setup account.\n")
        XCTAssertEqual(try kd("az logout").stderr, "ERROR: There are no active accounts.\n")
    }

    func testSignInsThatEntraIDWouldRefuseAreRefused() throws {
        let (clientId, _) = try setUpPipelineIdentity()
        var r = try kd("az login --service-principal -u \(clientId) -p hunter2 --tenant x")
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(r.stderr.hasPrefix("ERROR: AADSTS90002"), r.stderr)
        r = try kd("az login --service-principal -u \(clientId) -p hunter2")
        XCTAssertTrue(r.stderr.hasPrefix("ERROR: AADSTS7000215"), r.stderr)
        r = try kd("az login --service-principal -u 00000000-0000-0000-0000-000000000000 --federated-token t")
        XCTAssertTrue(r.stderr.hasPrefix("ERROR: AADSTS700016"), r.stderr)
        r = try kd("az login --identity")
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertEqual(
            try kd("az account show --query user.type -o tsv").stdout, "user\n", "a refused sign-in changes nothing")
    }

    /// As az 2.91's login_with_managed_identity: no subscription found is an error, unless
    /// --allow-no-subscriptions, which keeps a tenant-level account; Resource Manager then knows no
    /// such subscription, and Key Vault's data plane still answers as its access policies say.
    func testAnIdentityWithNoRoleCannotSignInUnlessTenantLevel() throws {
        let (clientId, pid) = try setUpPipelineIdentity()
        let setup = try kd(
            "az keyvault create -n kv-tenant -g rg --enable-rbac-authorization false -o none",
            "az keyvault key create --vault-name kv-tenant -n k1 -o none",
            "az keyvault set-policy -n kv-tenant --object-id \(pid) --key-permissions get -o none")
        XCTAssertEqual(setup.exitCode, 0, setup.stderr)
        var r = try kd("az login --identity --client-id \(clientId)")
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertEqual(
            r.stderr,
            "ERROR: No access was configured for the managed identity, hence no subscriptions were found. If this is "
                + "expected, use '--allow-no-subscriptions' to have tenant level access.\n")
        XCTAssertEqual(try kd("az account show --query user.type -o tsv").stdout, "user\n", "still the operator")
        r = try kd(
            "az login --identity --client-id \(clientId) --allow-no-subscriptions --query \"[0].[id, name]\" -o tsv")
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let tenant = try kd("az account show --query tenantId -o tsv").stdout.trimmingCharacters(in: .newlines)
        XCTAssertEqual(r.stdout, "\(tenant)\nN/A(tenant level account)\n")
        r = try kd("az group show -n rg")
        XCTAssertEqual(r.exitCode, 3)
        XCTAssertTrue(
            r.stderr.contains("(SubscriptionNotFound) The subscription '\(tenant)' could not be found."), r.stderr)
        r = try kd("az keyvault key show --vault-name kv-tenant -n k1 --query key.kty -o tsv")
        XCTAssertEqual(r.stdout, "RSA\n", r.stderr)
    }
}
