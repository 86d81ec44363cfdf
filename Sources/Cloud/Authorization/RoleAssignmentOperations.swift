import Foundation

extension World {
    public func roleDefinitionID(_ role: RoleDefinition) -> String {
        "\(subscriptionPath)/providers/Microsoft.Authorization/roleDefinitions/\(role.id)"
    }

    /// A scope keydrill can assign at: the subscription, a resource group or a key vault.
    func validateScope(_ scope: String) throws -> String {
        let s = scope.hasSuffix("/") ? String(scope.dropLast()) : scope
        guard let p = ResourceID.parts(s), p["subscription"]?.lowercased() == subscription.id.lowercased() else {
            throw CloudError.badRequest(
                "InvalidScope", "The scope '\(scope)' is not valid in subscription '\(subscription.id)'.")
        }
        if let rg = p["resource_group"] {
            let group = try resourceGroup(rg)
            guard let type = p["type"], let name = p["name"] else { return resourceGroupID(group.name) }
            guard p["namespace"]?.lowercased() == "microsoft.keyvault", type.lowercased() == "vaults",
                p["child_type_1"] == nil
            else {
                throw CloudError(
                    "NotEmulated",
                    "keydrill emulates role assignments at a subscription, resource group or key vault scope; "
                        + "'\(scope)' is none of those.",
                    status: 400)
            }
            return vaultID(try vault(name, resourceGroup: rg))
        }
        return subscriptionPath
    }

    @discardableResult
    public mutating func createRoleAssignment(
        principalId: String, principalType: String, role roleName: String, scope: String, name: String?
    ) throws -> RoleAssignment {
        guard let role = RoleDefinition.named(roleName) else {
            throw CloudError(
                "NotEmulated",
                "keydrill emulates these built-in roles only "
                    + "(\(RoleDefinition.builtIn.map(\.name).joined(separator: ", "))); '\(roleName)' is not one of "
                    + "them.",
                status: 400)
        }
        let scope = try validateScope(scope)
        guard principalExists(principalId) else {
            throw CloudError.badRequest(
                "PrincipalNotFound",
                "Principal \(principalId.replacingOccurrences(of: "-", with: "")) does not exist in the directory "
                    + "\(subscription.tenantId). Check that you have the correct principal ID. If you are creating "
                    + "this principal and then immediately assigning a role, this error might be related to a "
                    + "replication delay. In this case, set the role assignment principalType property to a "
                    + "value, such as ServicePrincipal, User, or Group.  See "
                    + "https://aka.ms/docs-principaltype"
            )
        }
        if roleAssignments.contains(where: {
            $0.principalId.lowercased() == principalId.lowercased() && $0.scope.lowercased() == scope.lowercased()
                && $0.roleDefinitionId.hasSuffix(role.id)
        }) {
            throw CloudError.conflict("RoleAssignmentExists", "The role assignment already exists.")
        }
        let a = RoleAssignment(
            name: name ?? ids.guid(), principalId: principalId, principalType: principalType,
            roleDefinitionId: roleDefinitionID(role), scope: scope, createdOn: now,
            effectiveFrom: now.addingTimeInterval(settings.roleAssignmentPropagationSeconds))
        roleAssignments.append(a)
        return a
    }

    public mutating func deleteRoleAssignments(_ matching: (RoleAssignment) -> Bool) -> [RoleAssignment] {
        let removed = roleAssignments.filter(matching)
        roleAssignments.removeAll(where: matching)
        return removed
    }
}
