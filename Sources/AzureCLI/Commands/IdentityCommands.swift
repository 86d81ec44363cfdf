import Cloud
import JMESPath

/// `az identity ...` (AAZ: only returned fields, properties flattened).
enum IdentityCommands {
    static func group(_ args: Arguments) throws -> String {
        guard let rg = args.string("resource_group"), !rg.isEmpty else {
            throw CLIError("InvalidArgumentValue: Missing required field: --resource-group")
        }
        return rg
    }

    static let handlers: [String: Handler] = [
        "identity create": Handler(supports: ["resource_name", "resource_group", "location", "tags"]) { world, args in
            render(
                try world.createIdentity(
                    name: try args.require("resource_name"), resourceGroup: try group(args),
                    location: args.string("location"), tags: args.tags()), world)
        },
        "identity show": Handler(supports: ["resource_name", "resource_group"]) { world, args in
            render(try world.identity(try args.require("resource_name"), resourceGroup: try group(args)), world)
        },
        "identity list": Handler(supports: ["resource_group"]) { world, args in
            let rg = args.string("resource_group")
            if let rg { _ = try world.resourceGroup(rg) }
            return .array(
                world.identities.values.filter { rg == nil || $0.resourceGroup.lowercased() == rg!.lowercased() }
                    .sorted {
                        ($0.resourceGroup.lowercased(), $0.name.lowercased()) < (
                            $1.resourceGroup.lowercased(), $1.name.lowercased()
                        )
                    }
                    .map { render($0, world) })
        },
        "identity delete": Handler(supports: ["resource_name", "resource_group"]) { world, args in
            try world.deleteIdentity(name: try args.require("resource_name"), resourceGroup: try group(args))
            return nil
        },
    ]

    static func render(_ i: UserAssignedIdentity, _ world: World) -> JSON {
        .object([
            ("clientId", .string(i.clientId)), ("id", .string(world.identityID(i))), ("isolationScope", "None"),
            ("location", .string(i.location)), ("name", .string(i.name)), ("principalId", .string(i.principalId)),
            ("resourceGroup", .string(i.resourceGroup)),
            ("tags", JSON.tags(i.tags)),
            ("tenantId", .string(i.tenantId)), ("type", "Microsoft.ManagedIdentity/userAssignedIdentities"),
        ])
    }
}
