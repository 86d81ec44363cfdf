import Foundation

/// The built-in Key Vault data-plane roles keydrill knows, each with the data actions Azure's
/// built-in role definition lists (wildcards as Azure writes them): what a role allows is read
/// off those, never written per operation.
public struct RoleDefinition: Sendable, Equatable {
    public let name: String
    public let id: String
    public let dataActions: [String]

    /// Azure's description of the built-in role.
    public var description: String {
        let rbacOnly = " Only works for key vaults that use the 'Azure role-based access control' permission model."
        switch name {
        case "Key Vault Administrator":
            return "Perform all data plane operations on a key vault and all objects in it, including certificates, "
                + "keys, and secrets. Cannot manage key vault resources or manage role assignments." + rbacOnly
        case "Key Vault Crypto Officer":
            return "Perform any action on the keys of a key vault, except manage permissions." + rbacOnly
        case "Key Vault Crypto User":
            return "Perform cryptographic operations using keys." + rbacOnly
        case "Key Vault Crypto Service Encryption User":
            return "Read metadata of keys and perform wrap/unwrap operations." + rbacOnly
        default:
            return "Read metadata of key vaults and its certificates, keys, and secrets. Cannot read sensitive values "
                + "such as secret contents or key material." + rbacOnly
        }
    }

    public func allows(_ op: KeyOperation) -> Bool {
        dataActions.contains { Self.matches($0, op.rbacDataAction) }
    }

    /// Azure's action patterns: `*` matches any run of characters, case-insensitively.
    static func matches(_ pattern: String, _ action: String) -> Bool {
        let p = Array(pattern.lowercased()), a = Array(action.lowercased())
        func match(_ i: Int, _ j: Int) -> Bool {
            if i == p.count { return j == a.count }
            if p[i] == "*" { return (j...a.count).contains { match(i + 1, $0) } }
            return j < a.count && p[i] == a[j] && match(i + 1, j + 1)
        }
        return match(0, 0)
    }

    public static let builtIn: [RoleDefinition] = [
        RoleDefinition(
            name: "Key Vault Administrator", id: "00482a5a-887f-4fb3-b363-3b7fe8e74483",
            dataActions: ["Microsoft.KeyVault/vaults/*"]),
        RoleDefinition(
            name: "Key Vault Crypto Officer", id: "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
            dataActions: ["Microsoft.KeyVault/vaults/keys/*", "Microsoft.KeyVault/vaults/keyrotationpolicies/*"]),
        RoleDefinition(
            name: "Key Vault Crypto User", id: "12338af0-0e69-4776-bea7-57ae8d297424",
            dataActions: [
                "Microsoft.KeyVault/vaults/keys/read", "Microsoft.KeyVault/vaults/keys/update/action",
                "Microsoft.KeyVault/vaults/keys/backup/action", "Microsoft.KeyVault/vaults/keys/encrypt/action",
                "Microsoft.KeyVault/vaults/keys/decrypt/action", "Microsoft.KeyVault/vaults/keys/wrap/action",
                "Microsoft.KeyVault/vaults/keys/unwrap/action", "Microsoft.KeyVault/vaults/keys/sign/action",
                "Microsoft.KeyVault/vaults/keys/verify/action",
            ]),
        RoleDefinition(
            name: "Key Vault Crypto Service Encryption User", id: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
            dataActions: [
                "Microsoft.KeyVault/vaults/keys/read", "Microsoft.KeyVault/vaults/keys/wrap/action",
                "Microsoft.KeyVault/vaults/keys/unwrap/action",
            ]),
        RoleDefinition(
            name: "Key Vault Reader", id: "21090545-7ca7-4776-b22c-e363652d74d2",
            dataActions: ["Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"]),
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
