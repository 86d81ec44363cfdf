import Foundation

/// What Flexible Server requires of a customer-managed key, its vault and its identity
/// (flexible-server-cmk.md §1.4), and how Key Vault's refusals read when the service reports them.
enum FlexibleKeyRequirements {
    /// RSA or RSA-HSM of these sizes; EC keys cannot wrap.
    static let keySizes = [2048, 3072, 4096]

    enum Role {
        case primary, geoBackup
        var label: String { self == .primary ? "primary" : "geo-backup" }
    }

    /// The primary key's vault is in the server's region; the geo-backup key's in the paired
    /// region, where the geo-backups are kept. Soft delete and purge protection are on.
    static func checkVault(_ v: Vault, server s: FlexibleServer, role: Role) throws {
        // A geo-backup key exists only where geo-redundant backup does (`requireGeoBackupSupport`).
        let wanted = role == .primary ? s.location : Locations.pairs[s.location] ?? s.location
        guard v.location.lowercased() == wanted else {
            throw CloudError.badRequest(
                "AzureKeyVaultRegionMismatch",
                "The key vault '\(v.name)' is in '\(v.location)'; the \(role.label) key of the server '\(s.name)' "
                    + "must be in a key vault in '\(wanted)'"
                    + (role == .primary
                        ? ", the server's region."
                        : ", the region paired with the server's, where geo-backups are kept.")
            )
        }
        try PostgresKeyRequirements.requirePurgeProtection(v, server: s.name)
    }

    static func checkKey(_ kv: KeyVersion, kid: String) throws {
        guard kv.kty == "RSA" || kv.kty == "RSA-HSM", let size = kv.material.keySize, keySizes.contains(size) else {
            throw CloudError.badRequest(
                "AzureKeyVaultUnsupportedKey",
                "The key '\(kid)' is \(kv.kty)\(kv.material.keySize.map { " \($0)" } ?? ""); data encryption "
                    + "supports RSA and RSA-HSM keys of 2048, 3072 or 4096 bits."
            )
        }
    }

    static func identityNotFound(_ id: String) -> CloudError {
        CloudError.badRequest(
            "UserAssignedIdentityNotFound",
            "The user-assigned identity '\(id)' could not be found (it does not exist, or was deleted). Create or "
                + "pick an identity, grant it access to the key, and update the server to use it.")
    }

    /// The geo-backup key is reached with an identity of its own (Learn: a different UAI). az
    /// refuses the same identity before it sends anything; any other client meets this.
    static func requireDistinctIdentities(primary: String, geoBackup: String?) throws {
        guard let geoBackup, geoBackup.lowercased() == primary.lowercased() else { return }
        throw CloudError.badRequest(
            "CMKInvalidEncryptionParameters",
            "The primary key and the geo-backup key need different user-assigned identities: '\(primary)' is "
                + "given for both.")
    }

    /// Azure's words do not say which of the two it was; the refused key operation in `audit`
    /// does (KeyNotFound, AccessDenied, ForbiddenByRbac, ...).
    static func keyNameNotFound(_ kid: String) -> CloudError {
        CloudError(
            "AzureKeyVaultKeyNameNotFound",
            "The operation could not be completed because the Azure Key Vault Key name '\(kid)' does not exist or "
                + "User Assigned Identity does not have Get access to the Key.",
            status: 400)
    }

    /// Key Vault's refusal as the service reports it. A key that does not exist and an identity
    /// without access read the same, as Azure documents for `update`.
    static func serviceError(_ e: CloudError, kid: String) -> CloudError {
        let cause = e.innerCode ?? e.code
        switch cause {
        case "AccessDenied", "ForbiddenByRbac", "KeyNotFound", "VaultNotFound":
            return keyNameNotFound(kid)
        case "KeyDisabled":
            return CloudError(
                "AzureKeyVaultKeyDisabled",
                "The operation could not be completed because the Azure Key Vault key '\(kid)' is disabled.",
                status: 400)
        case "KeyExpired":
            return CloudError(
                "AzureKeyVaultKeyExpired",
                "The operation could not be completed because the Azure Key Vault key '\(kid)' is expired.",
                status: 400)
        case "KeyNotYetValid":
            return CloudError(
                "AzureKeyVaultKeyNotYetActive",
                "The operation could not be completed because the Azure Key Vault key '\(kid)' is not yet active "
                    + "(its activation date is in the future).",
                status: 400)
        case "ForbiddenByFirewall", "ForbiddenByConnection":
            return CloudError(
                "AzureKeyVaultConnectionFailed",
                "The operation could not be completed because attempts to connect to Azure Key Vault have failed "
                    + "(\(cause)): allow trusted Microsoft services to bypass the vault's firewall.",
                status: 400)
        case "OperationNotAllowed":
            return CloudError(
                "AzureKeyVaultKeyOperationsNotAllowed",
                "The Azure Key Vault key '\(kid)' does not allow the wrapKey and unwrapKey operations data "
                    + "encryption needs (its key_ops).",
                status: 400)
        default:
            return e
        }
    }
}
