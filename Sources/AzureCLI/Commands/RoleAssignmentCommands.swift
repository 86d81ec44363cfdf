import Cloud
import JMESPath

/// `az role assignment create | list | delete` for the Key Vault roles.
enum RoleAssignmentCommands {
    static let assigneeUsage = "usage error: --assignee STRING | --assignee-object-id GUID"

    /// list_role_assignments and delete_role_assignments refuse both, before they sign in.
    static func onlyOneAssignee(_ args: Arguments) throws {
        if args.truthy("assignee"), args.truthy("assignee_object_id") {
            throw CLIError("Usage error: Provide only one of --assignee or --assignee-object-id.")
        }
    }

    /// `--assignee` (object id or the operator's UPN) or `--assignee-object-id`.
    static func assignee(_ args: Arguments, _ world: World) throws -> String? {
        if let oid = args[P.assigneeObjectId] { return oid }
        guard let a = args[P.assignee] else { return nil }
        if a.lowercased() == world.signedInUser.userPrincipalName.lowercased() { return world.signedInUser.objectId }
        if a.wholeMatch(of: /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/) != nil {
            return a
        }
        throw CLIError(
            "Cannot find user or service principal in graph database for '\(a)'. If the assignee is an appId, make "
                + "sure the corresponding service principal is created with 'az ad sp create --id \(a)'."
        )
    }

    static let handlers: [String: Handler] = [
        "role definition list": Handler(
            reads: [P.name, P.customRoleOnly, P.scope, P.resourceGroupName], table: TableTransformers.roleDefinitionList
        ) { world, args in
            if args[P.customRoleOnly] == true { return .array([]) }
            let name = args[P.name]?.lowercased()
            return .array(
                RoleDefinition.builtIn.filter { name == nil || $0.name.lowercased() == name || $0.id == name }
                    .map { renderDefinition($0, world) })
        },
        "role assignment create": Handler(
            reads: [P.assignee, P.assigneeObjectId, P.assigneePrincipalType, P.role, P.scope, P.assignmentName],
            checks: { args, _ in
                if (args[P.assignee] ?? "").isEmpty == (args[P.assigneeObjectId] ?? "").isEmpty {
                    throw CLIError(assigneeUsage)
                }
                if args[P.assigneePrincipalType] != nil, (args[P.assigneeObjectId] ?? "").isEmpty {
                    throw CLIError("usage error: --assignee-object-id GUID --assignee-principal-type TYPE")
                }
                if args.truthy("condition_version"), !args.truthy("condition") {
                    throw CLIError("usage error: When --condition-version is set, --condition must be set as well.")
                }
            }
        ) { world, args in
            guard let principal = try assignee(args, world) else { throw CLIError(assigneeUsage) }
            let type =
                args[P.assigneePrincipalType]
                ?? (principal == world.signedInUser.objectId ? "User" : "ServicePrincipal")
            let a = try world.createRoleAssignment(
                principalId: principal, principalType: type, role: try args.require(P.role),
                scope: try args.require(P.scope), name: args[P.assignmentName])
            return render(a, world)
        },
        "role assignment list": Handler(
            reads: [
                P.assignee, P.assigneeObjectId, P.role, P.scope, P.resourceGroupName, P.showAll, P.includeInherited,
            ], table: TableTransformers.roleAssignmentList, checks: { args, _ in try onlyOneAssignee(args) }
        ) { world, args in
            .array(try matching(args, world, listing: true).map { listed($0, world) })
        },
        "role assignment delete": Handler(
            reads: [P.assignee, P.assigneeObjectId, P.role, P.scope, P.resourceGroupName, P.includeInherited],
            checks: { args, _ in
                // `not any(...)`: an empty value counts as none, as Python tests it.
                if !["ids", "assignee", "assignee_object_id", "role", "resource_group_name", "scope"].contains(
                    where: args.truthy)
                {
                    throw CLIError(
                        "Please provide at least one of these arguments: --ids, --assignee, --assignee-object-id, "
                            + "--role, --resource-group, --scope"
                    )
                }
                try onlyOneAssignee(args)
            }
        ) { world, args in
            let ids = args.isGiven(P.ids) ? Set((args[P.ids] ?? []).map { $0.lowercased() }) : nil
            let targets = try matching(args, world, listing: false).filter {
                ids == nil || ids!.contains(assignmentID($0).lowercased())
            }
            guard !targets.isEmpty else { throw CLIError("No matched assignments were found to delete") }
            let names = Set(targets.map(\.name))
            _ = world.deleteRoleAssignments { names.contains($0.name) }
            return nil
        },
    ]

    /// az's filters: --scope (or -g) names one scope (its parents too with --include-inherited);
    /// with an assignee and no scope, every scope; with neither, the subscription scope; --all
    /// lists everything.
    static func matching(_ args: Arguments, _ world: World, listing: Bool) throws -> [RoleAssignment] {
        let principal = try assignee(args, world)?.lowercased()
        let role = try args[P.role].map { r -> RoleDefinition in
            guard let d = RoleDefinition.named(r) else { throw CLIError("Role '\(r)' doesn't exist.") }
            return d
        }
        var scope = args[P.scope].map {
            $0.lowercased().hasSuffix("/") ? String($0.lowercased().dropLast()) : $0.lowercased()
        }
        if scope == nil, let rg = args[P.resourceGroupName] {
            scope = world.resourceGroupID(try world.resourceGroup(rg).name).lowercased()
        }
        let all = args[P.showAll] == true || (scope == nil && principal != nil) || (!listing && scope == nil)
        let inherited = args[P.includeInherited] == true
        return world.roleAssignments.filter { a in
            if let principal, a.principalId.lowercased() != principal { return false }
            if let role, !a.roleDefinitionId.hasSuffix(role.id) { return false }
            if all { return true }
            let target = scope ?? world.subscriptionPath.lowercased()
            return a.scope.lowercased() == target || (inherited && target.hasPrefix(a.scope.lowercased() + "/"))
        }
    }

    /// az's list fills in names it looks up: the role's name, and the principal's displayable
    /// name from Graph (a user's UPN, a service principal's first name, its appId; '' if unknown).
    static func listed(_ a: RoleAssignment, _ world: World) -> JSON {
        guard case .object(var o) = render(a, world) else { return render(a, world) }
        o["roleDefinitionName"] = RoleDefinition.named(a.roleDefinitionId).map { .string($0.name) } ?? .null
        let principal: String
        if a.principalId.lowercased() == world.signedInUser.objectId.lowercased() {
            principal = world.signedInUser.userPrincipalName
        } else {
            principal = world.managedServicePrincipal(a.principalId)?.appId ?? ""
        }
        o["principalName"] = .string(principal)
        return .object(o)
    }

    static func assignmentID(_ a: RoleAssignment) -> String {
        "\(a.scope)/providers/Microsoft.Authorization/roleAssignments/\(a.name)"
    }

    static func render(_ a: RoleAssignment, _ world: World) -> JSON {
        var pairs: [(String, JSON?)] = [
            ("condition", nil), ("conditionVersion", nil), ("createdBy", nil),
            ("createdOn", .string(AzDate.sdk(a.createdOn))),
            ("delegatedManagedIdentityResourceId", nil), ("description", nil), ("id", .string(assignmentID(a))),
            ("name", .string(a.name)),
            ("principalId", .string(a.principalId)), ("principalType", .string(a.principalType)),
        ]
        if let rg = ResourceID.parts(a.scope)?["resource_group"] { pairs.append(("resourceGroup", .string(rg))) }
        pairs += [
            ("roleDefinitionId", .string(a.roleDefinitionId)), ("scope", .string(a.scope)), ("systemData", nil),
            ("type", "Microsoft.Authorization/roleAssignments"), ("updatedBy", .string(world.signedInUser.objectId)),
            ("updatedOn", .string(AzDate.sdk(a.createdOn))),
        ]
        return .object(pairs)
    }
}

extension RoleAssignmentCommands {
    /// A built-in role as `az role definition list` prints it. keydrill knows each role's data
    /// actions (what it emulates); the control-plane actions are not emulated and listed empty.
    static func renderDefinition(_ r: RoleDefinition, _ world: World) -> JSON {
        .object([
            ("assignableScopes", ["/"]), ("createdBy", nil), ("createdOn", nil),
            ("description", .string(r.description)),
            ("id", .string("\(world.subscriptionPath)/providers/Microsoft.Authorization/roleDefinitions/\(r.id)")),
            ("name", .string(r.id)),
            (
                "permissions",
                .array([
                    .object([
                        ("actions", .array(r.actions.map { .string($0) })), ("condition", nil),
                        ("conditionVersion", nil), ("dataActions", .array(r.dataActions.map { .string($0) })),
                        ("notActions", .array(r.notActions.map { .string($0) })), ("notDataActions", []),
                    ])
                ])
            ),
            ("roleName", .string(r.name)), ("roleType", "BuiltInRole"),
            ("type", "Microsoft.Authorization/roleDefinitions"), ("updatedBy", nil),
            ("updatedOn", nil),
        ])
    }
}
