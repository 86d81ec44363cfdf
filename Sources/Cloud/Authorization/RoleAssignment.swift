import Foundation

/// The built-in Key Vault data-plane roles keydrill knows, with the key operations each allows.
public struct RoleDefinition: Sendable, Equatable {
    public let name: String
    public let id: String
    let operations: Set<KeyOperation>

    public func allows(_ op: KeyOperation) -> Bool { operations.contains(op) }

    static let read: Set<KeyOperation> = [.get, .list, .listVersions, .getRotationPolicy, .listDeleted, .getDeleted]
    static let crypto: Set<KeyOperation> = [.encrypt, .decrypt, .wrapKey, .unwrapKey, .sign, .verify]

    public static let builtIn: [RoleDefinition] = [
        RoleDefinition(name: "Key Vault Administrator", id: "00482a5a-887f-4fb3-b363-3b7fe8e74483", operations: Set(KeyOperation.allCases)),
        RoleDefinition(name: "Key Vault Crypto Officer", id: "14b46e9e-c2b7-41b4-b07b-48a6ebf60603", operations: Set(KeyOperation.allCases)),
        RoleDefinition(name: "Key Vault Crypto User", id: "12338af0-0e69-4776-bea7-57ae8d297424", operations: read.union(crypto).union([.update])),
        RoleDefinition(name: "Key Vault Crypto Service Encryption User", id: "e147488a-f6f5-4113-8e2d-b22465e65bf6", operations: [.get, .wrapKey, .unwrapKey]),
        RoleDefinition(name: "Key Vault Reader", id: "21090545-7ca7-4776-b22c-e363652d74d2", operations: read),
    ]

    public static func named(_ nameOrId: String) -> RoleDefinition? {
        builtIn.first { $0.name.lowercased() == nameOrId.lowercased() || $0.id == nameOrId.lowercased() || nameOrId.lowercased().hasSuffix("/roledefinitions/\($0.id)") }
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
        let vaultScope = vaultID(vault).lowercased()
        let scopes = [vaultScope, resourceGroupID(vault.resourceGroup).lowercased(), subscriptionPath.lowercased()]
        return roleAssignments.filter { a in
            a.principalId.lowercased() == principal.lowercased() && scopes.contains(a.scope.lowercased()) && a.effectiveFrom <= now
        }.compactMap { RoleDefinition.named($0.roleDefinitionId) }
    }
}
