import XCTest
@testable import Cloud

/// Each built-in role allows exactly the key operations its documented data actions cover.
final class RoleDefinitionTests: XCTestCase {
    /// The documented table, written out per role: what the role's description promises.
    static let expected: [String: Set<KeyOperation>] = [
        "Key Vault Administrator": Set(KeyOperation.allCases),
        "Key Vault Crypto Officer": Set(KeyOperation.allCases),
        "Key Vault Crypto User": [
            .get, .list, .listVersions, .listDeleted, .getDeleted, .update,
            .encrypt, .decrypt, .wrapKey, .unwrapKey, .sign, .verify, .backup,
        ],
        "Key Vault Crypto Service Encryption User": [
            .get, .list, .listVersions, .listDeleted, .getDeleted, .wrapKey, .unwrapKey,
        ],
        "Key Vault Reader": [.get, .list, .listVersions, .listDeleted, .getDeleted, .getRotationPolicy],
        // Control-plane roles reach no key: Owner of a subscription cannot read a key in an RBAC vault.
        "Owner": [], "Contributor": [], "Reader": [], "User Access Administrator": [],
        "Role Based Access Control Administrator": [], "Key Vault Contributor": [], "Managed Identity Operator": [],
        "Managed Identity Contributor": [], "Azure Service Bus Data Owner": [],
    ]

    /// The control-plane actions each role's description promises, and the ones it withholds.
    static let actions: [(role: String, allowed: [String], refused: [String])] = [
        ("Owner", ["Microsoft.Authorization/roleAssignments/write", "Microsoft.KeyVault/vaults/delete"], []),
        (
            "Contributor", ["Microsoft.KeyVault/vaults/write", "Microsoft.DBforPostgreSQL/flexibleServers/delete"],
            ["Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/roleAssignments/delete"]
        ),
        ("Reader", ["Microsoft.KeyVault/vaults/read"], ["Microsoft.KeyVault/vaults/write"]),
        (
            "User Access Administrator", ["Microsoft.Authorization/roleAssignments/write"],
            ["Microsoft.KeyVault/vaults/delete"]
        ),
        (
            "Key Vault Contributor", ["Microsoft.KeyVault/vaults/write", "Microsoft.KeyVault/vaults/delete"],
            [
                "Microsoft.KeyVault/locations/deletedVaults/purge/action",
                "Microsoft.Authorization/roleAssignments/write",
            ]
        ),
        // Key Vault's data roles read a vault and its children's metadata, and change nothing.
        (
            "Key Vault Administrator", ["Microsoft.KeyVault/vaults/keys/read", "Microsoft.KeyVault/vaults/read"],
            ["Microsoft.KeyVault/vaults/write", "Microsoft.KeyVault/vaults/delete"]
        ),
        (
            "Managed Identity Operator", ["Microsoft.ManagedIdentity/userAssignedIdentities/assign/action"],
            ["Microsoft.ManagedIdentity/userAssignedIdentities/delete"]
        ),
        ("Azure Service Bus Data Owner", ["Microsoft.ServiceBus/namespaces/write"], ["Microsoft.KeyVault/vaults/read"]),
    ]

    func testEveryRoleGrantsTheActionsItsDefinitionListsAndNoneItsNotActionsWithhold() {
        for (name, allowed, refused) in Self.actions {
            let role = RoleDefinition.named(name)!
            for a in allowed { XCTAssertTrue(role.allowsAction(a), "\(name) \(a)") }
            for a in refused { XCTAssertFalse(role.allowsAction(a), "\(name) \(a)") }
        }
    }

    func testEveryRoleAllowsWhatItsDataActionsCover() {
        XCTAssertEqual(Set(RoleDefinition.builtIn.map(\.name)), Set(Self.expected.keys))
        for role in RoleDefinition.builtIn {
            for op in KeyOperation.allCases {
                XCTAssertEqual(
                    role.allows(op), Self.expected[role.name]?.contains(op) == true,
                    "\(role.name) \(op) (\(op.rbacDataAction))"
                )
            }
        }
    }

    func testActionPatternsMatchAsAzureWildcards() {
        XCTAssertTrue(RoleDefinition.matches("Microsoft.KeyVault/vaults/*/read", "microsoft.keyvault/vaults/keys/read"))
        XCTAssertFalse(
            RoleDefinition.matches("Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/vaults/keys/wrap/action"))
        XCTAssertTrue(
            RoleDefinition.matches("Microsoft.KeyVault/vaults/keys/*", "Microsoft.KeyVault/vaults/keys/purge/action"))
        XCTAssertFalse(
            RoleDefinition.matches("Microsoft.KeyVault/vaults/keys/read", "Microsoft.KeyVault/vaults/keys/readX"))
        XCTAssertTrue(RoleDefinition.matches("Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/vaults/read"))
        XCTAssertFalse(RoleDefinition.matches("Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/vaultsread"))
    }
}
