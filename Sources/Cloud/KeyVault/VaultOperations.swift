import Foundation

/// Vault lifecycle rules (azure-behaviour.md §1.1): soft delete always on, retention fixed at
/// creation, purge protection one-way, names reserved while deleted, purge refused under purge
/// protection, recovery bringing access policies back.
public struct VaultSettings: Sendable {
    public var sku: String?
    public var retentionDays: Int?
    public var enablePurgeProtection: Bool?
    public var enableRbacAuthorization: Bool?
    public var enabledForDeployment: Bool?
    public var enabledForDiskEncryption: Bool?
    public var enabledForTemplateDeployment: Bool?
    public var publicNetworkAccess: String?
    public var bypass: String?
    public var defaultAction: String?
    public var tags: [String: String]?

    public init(enableRbacAuthorization: Bool? = nil) {
        self.enableRbacAuthorization = enableRbacAuthorization
    }
}

extension World {
    public func vaultID(_ v: Vault) -> String {
        "\(subscriptionPath)/resourceGroups/\(v.resourceGroup)/providers/Microsoft.KeyVault/vaults/\(v.name)"
    }

    /// A vault that exists and is not deleted; `resourceGroup` narrows the search as ARM does.
    public func vault(_ name: String, resourceGroup: String? = nil) throws -> Vault {
        guard let v = vaults[name.lowercased()],
            resourceGroup == nil || v.resourceGroup.lowercased() == resourceGroup!.lowercased()
        else {
            if let rg = resourceGroup {
                _ = try self.resourceGroup(rg)
                throw CloudError.notFound(
                    "ResourceNotFound",
                    "The Resource 'Microsoft.KeyVault/vaults/\(name)' under resource group '\(rg)' was not found. "
                        + "For more details please go to https://aka.ms/ARMResourceNotFoundFix"
                )
            }
            throw CloudError.notFound(
                "ResourceNotFound",
                "The Resource 'Microsoft.KeyVault/vaults/\(name)' was not found. For more details please go to "
                    + "https://aka.ms/ARMResourceNotFoundFix"
            )
        }
        return v
    }

    @discardableResult
    public mutating func createVault(
        name: String, resourceGroup rgName: String, location: String?, settings s: VaultSettings, selfPermissions: Bool
    ) throws -> Vault {
        let rg = try resourceGroup(rgName)
        try Vault.validateName(name)
        if deletedVaults[name.lowercased()] != nil {
            throw CloudError.conflict(
                "ConflictError",
                "A vault with the same name already exists in deleted state. You need to either recover or purge "
                    + "existing key vault. Follow this link https://go.microsoft.com/fwlink/?linkid=2149745 for more "
                        + "information on soft delete."
            )
        }
        if let existing = vaults[name.lowercased()] {
            guard existing.resourceGroup.lowercased() == rgName.lowercased() else {
                throw CloudError.conflict(
                    "VaultAlreadyExists",
                    "The vault name '\(name)' is already in use. Vault names are globally unique so it is possible "
                        + "that the name is already taken."
                )
            }
            throw CloudError.badRequest("VaultAlreadyExists", "The specified vault: \(name) already exists")
        }
        let region = try Locations.resolve(location ?? rg.location)
        let sku = (s.sku ?? "standard").lowercased()
        guard ["standard", "premium"].contains(sku) else {
            throw CloudError.badRequest(
                "BadRequest", "The sku '\(s.sku ?? "")' is invalid. Allowed values are 'standard' and 'premium'.")
        }
        let retention = s.retentionDays ?? 90
        guard (7...90).contains(retention) else {
            throw CloudError.badRequest(
                "BadRequest",
                "The specified softDeleteRetentionInDays '\(retention)' is invalid. It must be between 7 and 90 "
                    + "(inclusive)."
            )
        }
        if s.enablePurgeProtection == false {
            throw CloudError.badRequest(
                "BadRequest",
                "The property \"enablePurgeProtection\" cannot be set to false. Enabling the purge protection for a "
                    + "vault is an irreversible action."
            )
        }
        let rbac = s.enableRbacAuthorization ?? Vault.rbacAuthorizationByDefault
        var policies = [AccessPolicy]()
        // The caller decides (az adds one for its user unless RBAC was asked for); on an RBAC vault
        // the entry is kept and ignored, as Azure keeps it.
        if selfPermissions {
            policies.append(
                AccessPolicy(
                    tenantId: subscription.tenantId, objectId: signedInUser.objectId, applicationId: nil,
                    keys: ["all"], secrets: ["all"], certificates: ["all"], storage: ["all"]))
        }
        var acls: NetworkAcls?
        if s.bypass != nil || s.defaultAction != nil {
            acls = NetworkAcls(
                bypass: s.bypass ?? "AzureServices", defaultAction: s.defaultAction ?? "Allow", ipRules: [],
                virtualNetworkRules: [])
        }
        let v = Vault(
            name: name, resourceGroup: rg.name, location: region.name, sku: sku, tenantId: subscription.tenantId,
            softDeleteRetentionInDays: retention, enablePurgeProtection: s.enablePurgeProtection,
            enableRbacAuthorization: rbac,
            enabledForDeployment: s.enabledForDeployment ?? false, enabledForDiskEncryption: s.enabledForDiskEncryption,
            enabledForTemplateDeployment: s.enabledForTemplateDeployment,
            publicNetworkAccess: s.publicNetworkAccess ?? "Enabled",
            networkAcls: acls, accessPolicies: policies, tags: s.tags ?? [:], createdAt: now, updatedAt: now,
            createdBy: signedInUser.userPrincipalName)
        vaults[name.lowercased()] = v
        return v
    }

    public mutating func updateVault(name: String, resourceGroup: String?, settings s: VaultSettings) throws -> Vault {
        var v = try vault(name, resourceGroup: resourceGroup)
        if s.retentionDays != nil, s.retentionDays != v.softDeleteRetentionInDays {
            throw CloudError.badRequest(
                "BadRequest", "softDeleteRetentionInDays has been set already and it can't be modified.")
        }
        if let p = s.enablePurgeProtection {
            guard p else {
                throw CloudError.badRequest(
                    "BadRequest",
                    "The property \"enablePurgeProtection\" cannot be set to false. Enabling the purge protection "
                        + "for a vault is an irreversible action."
                )
            }
            v.enablePurgeProtection = true
        }
        if let sku = s.sku {
            guard ["standard", "premium"].contains(sku.lowercased()) else {
                throw CloudError.badRequest(
                    "BadRequest", "The sku '\(sku)' is invalid. Allowed values are 'standard' and 'premium'.")
            }
            v.sku = sku.lowercased()
        }
        if let r = s.enableRbacAuthorization { v.enableRbacAuthorization = r }
        if let d = s.enabledForDeployment { v.enabledForDeployment = d }
        if let d = s.enabledForDiskEncryption { v.enabledForDiskEncryption = d }
        if let d = s.enabledForTemplateDeployment { v.enabledForTemplateDeployment = d }
        if let p = s.publicNetworkAccess { v.publicNetworkAccess = p }
        if s.bypass != nil || s.defaultAction != nil {
            var acls = v.networkAcls ?? .open
            if let b = s.bypass { acls.bypass = b }
            if let d = s.defaultAction { acls.defaultAction = d }
            v.networkAcls = acls
        }
        if let t = s.tags { v.tags = t }
        v.updatedAt = now
        vaults[name.lowercased()] = v
        return v
    }

    /// Soft delete: the vault (with its keys and access policies) waits for recovery until its
    /// scheduled purge date, when the clock purges it.
    public mutating func deleteVault(name: String, resourceGroup: String?) throws {
        let v = try vault(name, resourceGroup: resourceGroup)
        vaults[name.lowercased()] = nil
        // Soft delete removes the vault's role assignments, and recovery does not bring them back.
        let scope = vaultID(v).lowercased()
        roleAssignments.removeAll { $0.scope.lowercased() == scope }
        let purgeDate = now.addingTimeInterval(Double(v.softDeleteRetentionInDays) * 86400)
        deletedVaults[name.lowercased()] = DeletedVault(vault: v, deletionDate: now, scheduledPurgeDate: purgeDate)
        scheduler.schedule(.purgeDeletedVault(name: v.name, deletionDate: now), at: purgeDate)
    }

    public func deletedVault(_ name: String) throws -> DeletedVault {
        guard let d = deletedVaults[name.lowercased()] else {
            throw CloudError.notFound(
                "ResourceNotFound", "The Resource 'Microsoft.KeyVault/deletedVaults/\(name)' was not found.")
        }
        return d
    }

    public mutating func recoverVault(name: String, location: String?) throws -> Vault {
        let d = try deletedVault(name)
        if let location, try Locations.resolve(location).name != d.vault.location {
            throw CloudError.notFound(
                "ResourceNotFound",
                "The Resource 'Microsoft.KeyVault/deletedVaults/\(name)' was not found in location '\(location)'.")
        }
        guard resourceGroups[d.vault.resourceGroup.lowercased()] != nil else {
            throw CloudError.notFound(
                "ResourceGroupNotFound", "Resource group '\(d.vault.resourceGroup)' could not be found.")
        }
        deletedVaults[name.lowercased()] = nil
        scheduler.cancel {
            if case .purgeDeletedVault(let n, _) = $0 {
                return n.lowercased() == name.lowercased()
            } else {
                return false
            }
        }
        var v = d.vault
        v.updatedAt = now
        vaults[name.lowercased()] = v
        return v
    }

    public mutating func purgeVault(name: String, location: String?) throws {
        let d = try deletedVault(name)
        if let location, try Locations.resolve(location).name != d.vault.location {
            throw CloudError.notFound(
                "ResourceNotFound",
                "The Resource 'Microsoft.KeyVault/deletedVaults/\(name)' was not found in location '\(location)'.")
        }
        if d.vault.purgeProtected {
            throw CloudError.conflict("ConflictError", "Operation 'DeletedVaultPurge' is not allowed.")
        }
        deletedVaults[name.lowercased()] = nil
        scheduler.cancel {
            if case .purgeDeletedVault(let n, _) = $0 {
                return n.lowercased() == name.lowercased()
            } else {
                return false
            }
        }
    }

    mutating func finishVaultPurge(_ name: String, deletionDate: Date) {
        guard let d = deletedVaults[name.lowercased()], d.deletionDate == deletionDate else { return }
        deletedVaults[name.lowercased()] = nil
    }

    /// `az keyvault set-policy`: adds an entry, or replaces the given categories of the entry for
    /// the same object (and application) id.
    public mutating func setAccessPolicy(
        vault name: String, resourceGroup: String?, objectId: String, applicationId: String?,
        keys: [String]?, secrets: [String]?, certificates: [String]?, storage: [String]?
    ) throws -> Vault {
        var v = try vault(name, resourceGroup: resourceGroup)
        if let i = v.accessPolicies.firstIndex(where: {
            $0.objectId.equalsIgnoringCase(objectId) && $0.applicationId == applicationId
        }) {
            if let keys { v.accessPolicies[i].keys = keys }
            if let secrets { v.accessPolicies[i].secrets = secrets }
            if let certificates { v.accessPolicies[i].certificates = certificates }
            if let storage { v.accessPolicies[i].storage = storage }
        } else {
            guard v.accessPolicies.count < 1024 else {
                throw CloudError.badRequest("BadRequest", "The number of access policies exceeds the maximum of 1024.")
            }
            v.accessPolicies.append(
                AccessPolicy(
                    tenantId: subscription.tenantId, objectId: objectId, applicationId: applicationId,
                    keys: keys, secrets: secrets, certificates: certificates, storage: storage))
        }
        v.updatedAt = now
        vaults[name.lowercased()] = v
        return v
    }

    public mutating func deleteAccessPolicy(
        vault name: String, resourceGroup: String?, objectId: String, applicationId: String?
    ) throws -> Vault {
        var v = try vault(name, resourceGroup: resourceGroup)
        v.accessPolicies.removeAll {
            $0.objectId.equalsIgnoringCase(objectId) && $0.applicationId == applicationId
        }
        v.updatedAt = now
        vaults[name.lowercased()] = v
        return v
    }
}

extension Vault {
    /// Key Vault: 3-24 characters, letters, digits and hyphens, starting with a letter, no
    /// consecutive hyphens, not ending with a hyphen.
    static func validateName(_ name: String) throws {
        let ok =
            name.count >= 3 && name.count <= 24 && name.first!.isLetter && name.last != "-" && !name.contains("--")
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        guard ok else {
            throw CloudError.badRequest(
                "VaultNameNotValid",
                "The vault name '\(name)' is invalid. A vault's name must be between 3-24 alphanumeric characters. "
                    + "The name must begin with a letter, end with a letter or digit, and not contain consecutive "
                        + "hyphens. Follow this link for more information: "
                            + "https://go.microsoft.com/fwlink/?linkid=2147742"
            )
        }
    }
}
