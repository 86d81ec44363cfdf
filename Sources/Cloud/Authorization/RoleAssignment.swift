import Foundation

/// The built-in roles keydrill knows, each with the actions, not-actions and data actions Azure's
/// built-in role definition lists (wildcards as Azure writes them): what a role allows, on the
/// control plane (ARM) and on a vault's keys, is read off those, never written per operation.
public struct RoleDefinition: Sendable, Equatable {
    public let name: String
    public let id: String
    /// Azure's description of the built-in role.
    public let description: String
    public var actions: [String] = []
    public var notActions: [String] = []
    public var dataActions: [String] = []

    public func allows(_ op: KeyOperation) -> Bool {
        dataActions.contains { Self.matches($0, op.rbacDataAction) }
    }

    /// Whether the role grants a control-plane action: one of its actions matches and none of
    /// its not-actions does.
    public func allowsAction(_ action: String) -> Bool {
        actions.contains { Self.matches($0, action) } && !notActions.contains { Self.matches($0, action) }
    }

    /// Azure's action patterns, case-insensitively: `*` matches any run of characters, and a
    /// `/*/` segment also none (`userAssignedIdentities/*/assign/action` grants
    /// `userAssignedIdentities/assign/action`, as Managed Identity Operator does).
    static func matches(_ pattern: String, _ action: String) -> Bool {
        let p = Array(pattern.lowercased()), a = Array(action.lowercased())
        func match(_ i: Int, _ j: Int) -> Bool {
            if i == p.count { return j == a.count }
            if p[i] == "*" {
                if i > 0, p[i - 1] == "/", i + 1 < p.count, p[i + 1] == "/", match(i + 2, j) { return true }
                return (j...a.count).contains { match(i + 1, $0) }
            }
            return j < a.count && p[i] == a[j] && match(i + 1, j + 1)
        }
        return match(0, 0)
    }

    static let rbacOnly = " Only works for key vaults that use the 'Azure role-based access control' permission model."
    /// The control-plane reads Key Vault's data roles carry (the vault's children, not the vault).
    static let keyVaultReads = [
        "Microsoft.Authorization/*/read", "Microsoft.Insights/alertRules/*", "Microsoft.Resources/deployments/*",
        "Microsoft.Resources/subscriptions/resourceGroups/read", "Microsoft.Support/*",
        "Microsoft.KeyVault/checkNameAvailability/read", "Microsoft.KeyVault/deletedVaults/read",
        "Microsoft.KeyVault/locations/*/read", "Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/operations/read",
    ]
    /// What the narrower built-in roles add to reach their resources.
    static let resourceReads = [
        "Microsoft.Authorization/*/read", "Microsoft.Insights/alertRules/*",
        "Microsoft.Resources/subscriptions/resourceGroups/read", "Microsoft.Resources/deployments/*",
        "Microsoft.Support/*",
    ]

    public static let builtIn: [RoleDefinition] = [
        RoleDefinition(
            name: "Owner", id: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
            description: "Grants full access to manage all resources, including the ability to assign roles in Azure "
                + "RBAC.",
            actions: ["*"]),
        RoleDefinition(
            name: "Contributor", id: "b24988ac-6180-42a0-ab88-20f7382dd24c",
            description: "Grants full access to manage all resources, but does not allow you to assign roles in Azure "
                + "RBAC, manage assignments in Azure Blueprints, or share image galleries.",
            actions: ["*"],
            notActions: [
                "Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write",
                "Microsoft.Authorization/elevateAccess/Action", "Microsoft.Blueprint/blueprintAssignments/write",
                "Microsoft.Blueprint/blueprintAssignments/delete", "Microsoft.Compute/galleries/share/action",
                "Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete",
                "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
                "Microsoft.Subscription/cancel/action", "Microsoft.Subscription/enable/action",
            ]),
        RoleDefinition(
            name: "Reader", id: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
            description: "View all resources, but does not allow you to make any changes.", actions: ["*/read"]),
        RoleDefinition(
            name: "User Access Administrator", id: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
            description: "Lets you manage user access to Azure resources.",
            actions: ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"]),
        RoleDefinition(
            name: "Role Based Access Control Administrator", id: "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
            description: "Manage access to Azure resources by assigning roles using Azure RBAC. This role does not "
                + "allow you to manage access using other ways, such as Azure Policy.",
            actions: [
                "Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/roleAssignments/delete",
                "*/read", "Microsoft.Support/*",
            ]),
        RoleDefinition(
            name: "Key Vault Contributor", id: "f25e0fa2-a7c8-4377-a976-54943a77a395",
            description: "Lets you manage key vaults, but not access to them.",
            actions: [
                "Microsoft.Authorization/*/read", "Microsoft.Insights/alertRules/*", "Microsoft.KeyVault/*",
                "Microsoft.Resources/deployments/*", "Microsoft.Resources/subscriptions/resourceGroups/read",
                "Microsoft.Support/*",
            ],
            notActions: [
                "Microsoft.KeyVault/locations/deletedVaults/purge/action", "Microsoft.KeyVault/hsmPools/*",
                "Microsoft.KeyVault/managedHsms/*",
            ]),
        RoleDefinition(
            name: "Key Vault Administrator", id: "00482a5a-887f-4fb3-b363-3b7fe8e74483",
            description: "Perform all data plane operations on a key vault and all objects in it, including "
                + "certificates, keys, and secrets. Cannot manage key vault resources or manage role assignments."
                + rbacOnly,
            actions: keyVaultReads, dataActions: ["Microsoft.KeyVault/vaults/*"]),
        RoleDefinition(
            name: "Key Vault Crypto Officer", id: "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
            description: "Perform any action on the keys of a key vault, except manage permissions." + rbacOnly,
            actions: keyVaultReads,
            dataActions: ["Microsoft.KeyVault/vaults/keys/*", "Microsoft.KeyVault/vaults/keyrotationpolicies/*"]),
        RoleDefinition(
            name: "Key Vault Crypto User", id: "12338af0-0e69-4776-bea7-57ae8d297424",
            description: "Perform cryptographic operations using keys." + rbacOnly,
            dataActions: [
                "Microsoft.KeyVault/vaults/keys/read", "Microsoft.KeyVault/vaults/keys/update/action",
                "Microsoft.KeyVault/vaults/keys/backup/action", "Microsoft.KeyVault/vaults/keys/encrypt/action",
                "Microsoft.KeyVault/vaults/keys/decrypt/action", "Microsoft.KeyVault/vaults/keys/wrap/action",
                "Microsoft.KeyVault/vaults/keys/unwrap/action", "Microsoft.KeyVault/vaults/keys/sign/action",
                "Microsoft.KeyVault/vaults/keys/verify/action",
            ]),
        RoleDefinition(
            name: "Key Vault Crypto Service Encryption User", id: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
            description: "Read metadata of keys and perform wrap/unwrap operations." + rbacOnly,
            actions: [
                "Microsoft.EventGrid/eventSubscriptions/write", "Microsoft.EventGrid/eventSubscriptions/read",
                "Microsoft.EventGrid/eventSubscriptions/delete",
            ],
            dataActions: [
                "Microsoft.KeyVault/vaults/keys/read", "Microsoft.KeyVault/vaults/keys/wrap/action",
                "Microsoft.KeyVault/vaults/keys/unwrap/action",
            ]),
        RoleDefinition(
            name: "Key Vault Reader", id: "21090545-7ca7-4776-b22c-e363652d74d2",
            description: "Read metadata of key vaults and its certificates, keys, and secrets. Cannot read sensitive "
                + "values such as secret contents or key material." + rbacOnly,
            actions: keyVaultReads,
            dataActions: ["Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"]),
        RoleDefinition(
            name: "Managed Identity Operator", id: "f1a07417-d97a-45cb-824c-7a7467783830",
            description: "Read and Assign User Assigned Identity",
            actions: [
                "Microsoft.ManagedIdentity/userAssignedIdentities/*/read",
                "Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action",
            ] + resourceReads),
        RoleDefinition(
            name: "Managed Identity Contributor", id: "e40ec5ca-96e0-45a2-b4ff-59039f2c2b59",
            description: "Create, Read, Update, and Delete User Assigned Identity",
            actions: [
                "Microsoft.ManagedIdentity/userAssignedIdentities/read",
                "Microsoft.ManagedIdentity/userAssignedIdentities/write",
                "Microsoft.ManagedIdentity/userAssignedIdentities/delete",
            ] + resourceReads),
        RoleDefinition(
            name: "Azure Service Bus Data Owner", id: "090c5cfd-751d-490a-894a-3ce6f1109419",
            description: "Allows for full access to Azure Service Bus resources.", actions: ["Microsoft.ServiceBus/*"],
            dataActions: ["Microsoft.ServiceBus/*"]),
    ]

    public static func named(_ nameOrId: String) -> RoleDefinition? {
        builtIn.first {
            $0.name.lowercased() == nameOrId.lowercased() || $0.id == nameOrId.lowercased()
                || nameOrId.lowercased().hasSuffix("/roledefinitions/\($0.id)")
        }
    }
}

public struct RoleAssignment: Codable, Sendable, Equatable {
    public let name: String
    public let principalId: String
    public let principalType: String
    public let roleDefinitionId: String
    public let scope: String
    public let createdOn: Date
    /// Role assignments take a while to apply (Azure: up to 10 minutes); this one counts from
    /// this time on.
    public let effectiveFrom: Date
}

extension World {
    /// The roles that apply to a principal on a vault now: assignments at the vault, its resource
    /// group or the subscription, once propagated.
    func effectiveRoleActions(principal: String, vault: Vault) -> [RoleDefinition] {
        let scopes = [vaultID(vault), resourceGroupID(vault.resourceGroup), subscriptionPath]
        return roleAssignments.filter { a in
            a.principalId.equalsIgnoringCase(principal) && scopes.contains(where: a.scope.equalsIgnoringCase)
                && a.effectiveFrom <= now
        }.compactMap { RoleDefinition.named($0.roleDefinitionId) }
    }
}
