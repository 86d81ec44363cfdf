import Foundation

/// What Single Server requires of a customer-managed key and its vault (azure-behaviour.md §1.4),
/// and how Key Vault's refusals read when the PostgreSQL service reports them.
enum PostgresKeyRequirements {
    static func checkVault(_ v: Vault, server s: PostgresServer) throws {
        guard v.softDeleteRetentionInDays == 90 else {
            throw CloudError.badRequest(
                "AzureKeyVaultSoftDeleteRetentionInvalid",
                "The key vault '\(v.name)' keeps deleted vaults for \(v.softDeleteRetentionInDays) days; data "
                    + "encryption for '\(s.name)' needs soft delete with a 90-day retention. Retention cannot be "
                    + "changed once set: use another vault."
            )
        }
        try requirePurgeProtection(v, server: s.name)
    }

    /// Both deployment options require purge protection on the vault of a data-encryption key.
    static func requirePurgeProtection(_ v: Vault, server: String) throws {
        guard v.purgeProtected else {
            throw CloudError.badRequest(
                "AzureKeyVaultPurgeProtectionDisabled",
                "The key vault '\(v.name)' does not have purge protection enabled; data encryption for '\(server)' "
                    + "requires it. Enable it with 'az keyvault update --name \(v.name) --enable-purge-protection "
                    + "true'."
            )
        }
    }

    static func checkKey(_ kv: KeyVersion, kid: String) throws {
        guard kv.kty == "RSA" || kv.kty == "RSA-HSM", kv.material.keySize == 2048 else {
            throw CloudError.badRequest(
                "AzureKeyVaultUnsupportedKey",
                "The key '\(kid)' is \(kv.kty)\(kv.material.keySize.map { " \($0)" } ?? ""); data encryption "
                    + "supports only RSA 2048 keys."
            )
        }
    }

    static func serviceError(_ e: CloudError, server s: PostgresServer, principal: String) -> CloudError {
        let cause = e.innerCode ?? e.code
        switch cause {
        case "AccessDenied", "ForbiddenByRbac":
            return CloudError(
                "AzureKeyVaultMissingPermissions",
                "The server '\(s.name)' requires the following Azure Key Vault permissions: 'Get, WrapKey, "
                    + "UnwrapKey'. Please grant any missing permissions to the service principal with ID "
                    + "'\(principal)'.",
                status: 400)
        case "KeyDisabled":
            return CloudError(
                "AzureKeyVaultKeyDisabled",
                "The operation could not be completed on the server because the Azure Key Vault key is disabled.",
                status: 400)
        case "KeyExpired":
            return CloudError(
                "AzureKeyVaultKeyExpired",
                "The operation could not be completed on the server because the Azure Key Vault key is expired.",
                status: 400)
        case "KeyNotYetValid":
            return CloudError(
                "AzureKeyVaultKeyNotYetActive",
                "The operation could not be completed on the server because the Azure Key Vault key is not yet "
                    + "active (its activation date is in the future).",
                status: 400)
        case "KeyNotFound":
            return CloudError(
                "AzureKeyVaultKeyNotFound",
                "The operation could not be completed on the server because the Azure Key Vault key was not found "
                    + "(it does not exist, or is deleted).",
                status: 400)
        case "VaultNotFound", "ForbiddenByFirewall", "ForbiddenByConnection":
            return CloudError(
                "AzureKeyVaultConnectionFailed",
                "The operation could not be completed on the server because attempts to connect to Azure Key Vault "
                    + "have failed (\(cause)).",
                status: 400)
        case "OperationNotAllowed":
            return CloudError(
                "AzureKeyVaultKeyOperationsNotAllowed",
                "The Azure Key Vault key does not allow the wrapKey and unwrapKey operations the server needs (its "
                    + "key_ops).",
                status: 400)
        default:
            return e
        }
    }
}
