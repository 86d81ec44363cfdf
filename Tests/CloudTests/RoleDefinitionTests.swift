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
    ]

    func testEveryRoleAllowsWhatItsDataActionsCover() {
        XCTAssertEqual(Set(RoleDefinition.builtIn.map(\.name)), Set(Self.expected.keys))
        for role in RoleDefinition.builtIn {
            for op in KeyOperation.allCases {
                XCTAssertEqual(
                    role.allows(op), Self.expected[role.name]!.contains(op), "\(role.name) \(op) (\(op.rbacDataAction))"
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
    }
}
