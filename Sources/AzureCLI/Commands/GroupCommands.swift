import Cloud
import JMESPath

/// `az group ...`: resource groups, shaped as az's SDK model prints them.
enum GroupCommands {
    static let handlers: [String: Handler] = [
        "group create": Handler(supports: ["rg_name", "location", "tags", "managed_by"]) { world, args in
            let g = try world.createResourceGroup(
                name: try args.require("rg_name"), location: try args.require("location"),
                tags: args.tags(), managedBy: args.string("managed_by"))
            return render(g, world)
        },
        "group show": Handler(supports: ["resource_group_name"]) { world, args in
            render(try world.resourceGroup(try args.require("resource_group_name")), world)
        },
        "group exists": Handler(supports: ["resource_group_name"]) { world, args in
            .bool(world.resourceGroups[try args.require("resource_group_name").lowercased()] != nil)
        },
        "group list": Handler(supports: ["tag"]) { world, args in
            var groups = world.resourceGroups.values.sorted { $0.name.lowercased() < $1.name.lowercased() }
            if let filter = args.string("tag"), !filter.isEmpty {
                let parts = filter.split(separator: "=", maxSplits: 1).map(String.init)
                groups = groups.filter { g in
                    guard let value = g.tags?[parts[0]] else { return false }
                    return parts.count == 1 || value == parts[1]
                }
            }
            return .array(groups.map { render($0, world) })
        },
        "group update": Handler(supports: ["resource_group_name", "tags"]) { world, args in
            let name = try args.require("resource_group_name")
            guard let tags = args.tags() else { return render(try world.resourceGroup(name), world) }
            return render(try world.updateResourceGroupTags(name: name, tags: tags), world)
        },
        "group delete": Handler(supports: ["resource_group_name"]) { world, args in
            try world.deleteResourceGroup(
                name: try args.require("resource_group_name"), wait: args.bool("no_wait") != true)
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
