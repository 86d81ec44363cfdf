import Cloud
import JMESPath

/// `az group ...`: resource groups, shaped as az's SDK model prints them.
enum GroupCommands {
    static let handlers: [String: Handler] = [
        "group create": Handler(reads: [P.rgName, P.location, P.tags, P.managedBy]) { world, args in
            let g = try world.createResourceGroup(
                name: try args.require(P.rgName), location: try args.require(P.location),
                tags: args[P.tags], managedBy: args[P.managedBy])
            return render(g, world)
        },
        "group show": Handler(reads: [P.resourceGroupName]) { world, args in
            render(try world.resourceGroup(try args.require(P.resourceGroupName)), world)
        },
        "group exists": Handler(reads: [P.resourceGroupName]) { world, args in
            .bool(world.resourceGroups[try args.require(P.resourceGroupName).lowercased()] != nil)
        },
        "group list": Handler(reads: [P.tag], table: TableTransformers.resourceGroupList) { world, args in
            var groups = world.resourceGroups.values.sorted { $0.name.lowercased() < $1.name.lowercased() }
            if let filter = args[P.tag], !filter.isEmpty {
                let parts = filter.split(separator: "=", maxSplits: 1).map(String.init)
                groups = groups.filter { g in
                    guard let value = g.tags?[parts[0]] else { return false }
                    return parts.count == 1 || value == parts[1]
                }
            }
            return .array(groups.map { render($0, world) })
        },
        // az 2.91's group update still declares its own (deprecated) --add and --remove beside the
        // generic update's, and its generic handler then refuses any value they hold; --set works.
        "group update": Handler(
            reads: [P.resourceGroupName, P.tags, P.propertiesToAdd, P.propertiesToRemove],
            checks: { args, _ in
                for (p, dest) in [
                    (P.propertiesToAdd, "properties_to_add"), (P.propertiesToRemove, "properties_to_remove"),
                ]
                where args.isGiven(p) {
                    args.warn("Argument '\(dest)' has been deprecated and will be removed in a future release.")
                    if !(args[p] ?? []).isEmpty { throw CLIError("Unexpected '\(dest)' was not empty.") }
                }
            }
        ) { world, args in
            let name = try args.require(P.resourceGroupName)
            guard let tags = args[P.tags] else { return render(try world.resourceGroup(name), world) }
            return render(try world.updateResourceGroupTags(name: name, tags: tags), world)
        },
        "group delete": Handler(reads: [P.resourceGroupName]) { world, args in
            try world.deleteResourceGroup(
                name: try args.require(P.resourceGroupName), wait: args[P.noWait] != true)
            return nil
        },
    ]

    static func render(_ g: ResourceGroup, _ world: World) -> JSON {
        .object([
            ("id", .string(world.resourceGroupID(g.name))),
            ("location", .string(g.location)),
            ("managedBy", .string(g.managedBy)),
            ("name", .string(g.name)),
            ("properties", ["provisioningState": .string(g.provisioningState)]),
            ("tags", g.tags.map(JSON.tags) ?? .null),
            ("type", "Microsoft.Resources/resourceGroups"),
        ])
    }
}
