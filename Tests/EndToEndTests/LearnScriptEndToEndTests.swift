import Foundation
import XCTest

/// A team's bash script, written from Microsoft Learn's CLI steps for Service Bus customer-managed
/// keys as az 2.91 runs them today, runs unchanged through the az shim: sign-in, subscription,
/// an RBAC vault, roles for the operator and the namespace's identity, the key, the namespace,
/// its encryption, `jq` and `awk` pipes, and `az ... wait` where the page would sleep.
final class LearnScriptEndToEndTests: BinaryTestCase {
    static let script = #"""
        set -euo pipefail
        az login --output none
        SUBSCRIPTION=$(az account list --query "[?isDefault].id" --output tsv)
        az account set --subscription "$SUBSCRIPTION"
        RG=contoso-cmk-rg
        LOCATION=westus
        VAULT=contoso-cmk-kv
        NS=contoso-cmk-sb
        az group create --name "$RG" --location "$LOCATION" --output none
        az group wait --name "$RG" --created
        # az 2.61+ creates an RBAC vault: access is granted with roles.
        az keyvault create --name "$VAULT" --resource-group "$RG" --location "$LOCATION" \
          --enable-purge-protection true --output none
        VAULT_ID=$(az keyvault show --name "$VAULT" --query id --output tsv)
        ME=$(az ad signed-in-user show | jq -r .id)
        az role assignment create --role "Key Vault Crypto Officer" --assignee-object-id "$ME" \
          --assignee-principal-type User --scope "$VAULT_ID" --output none
        az identity create --resource-group "$RG" --name sb-identity --output none
        IDENTITY_ID=$(az identity show --resource-group "$RG" --name sb-identity --query id --output tsv)
        PRINCIPAL=$(az identity show --resource-group "$RG" --name sb-identity | jq -r .principalId)
        az ad sp show --id "$PRINCIPAL" --query servicePrincipalType --output tsv
        az role assignment create --role "Key Vault Crypto Service Encryption User" \
          --assignee-object-id "$PRINCIPAL" --assignee-principal-type ServicePrincipal \
          --scope "$VAULT_ID" --output none
        # Role assignments take up to ten minutes: wait them out (virtual time, in keydrill).
        az group wait --name "$RG" --deleted --timeout 660 --interval 60 --output none
        az keyvault key create --vault-name "$VAULT" --name sb-key --kty RSA --size 2048 --output none
        az servicebus namespace create --resource-group "$RG" --name "$NS" --location "$LOCATION" \
          --sku Premium --capacity 1 --mi-user-assigned "$IDENTITY_ID" --output none
        az servicebus namespace encryption add --resource-group "$RG" --namespace-name "$NS" \
          --encryption-config key-name=sb-key key-vault-uri="https://$VAULT.vault.azure.net" \
          user-assigned-identity="$IDENTITY_ID" --output none
        az servicebus namespace show --resource-group "$RG" --name "$NS" \
          | jq -r '.encryption.keyVaultProperties[0].keyName' | awk '{ print "encrypted with " $1 }'
        az role assignment list --scope "$VAULT_ID" --query "[].roleDefinitionName" --output tsv | sort
        az group delete --name "$RG" --yes --no-wait
        az group wait --name "$RG" --deleted
        az group exists --name "$RG"
        # The group (and the vault with it) is gone; the vault waits in soft delete for 90 days.
        az keyvault list-deleted --query "[].name" --output tsv
        """#

    func testALearnStyleCMKScriptRunsUnchangedThroughTheShim() throws {
        XCTAssertGreaterThanOrEqual(Self.script.split(separator: "\n").count, 40)
        let dir = state + "-bin"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertEqual(try Binary.run(["shim", dir]).exitCode, 0)
        let r = try bash(Self.script, path: dir)
        let stderr = r.stderr
        XCTAssertEqual(r.exitCode, 0, stderr)
        XCTAssertEqual(
            r.stdout,
            "ManagedIdentity\nencrypted with sb-key\nKey Vault Crypto Officer\n"
                + "Key Vault Crypto Service Encryption User\nfalse\ncontoso-cmk-kv\n", stderr)
    }
}
