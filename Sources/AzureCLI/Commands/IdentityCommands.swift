import Cloud
import JMESPath

/// `az identity ...` (AAZ: only returned fields, properties flattened).
enum IdentityCommands {
    static func group(_ args: Arguments) throws -> String {
        guard let rg = args[P.resourceGroup], !rg.isEmpty else {
            throw CLIError("InvalidArgumentValue: Missing required field: --resource-group")
        }
        return rg
    }

    static let handlers: [String: Handler] = [
        "identity create": Handler(reads: [P.resourceName, P.resourceGroup, P.location, P.tags]) { world, args in
            render(
                try world.createIdentity(
                    name: try args.require(P.resourceName), resourceGroup: try group(args),
                    location: args[P.location], tags: args[P.tags]), world)
        },
        "identity show": Handler(reads: [P.resourceName, P.resourceGroup]) { world, args in
            render(try world.identity(try args.require(P.resourceName), resourceGroup: try group(args)), world)
        },
        "identity list": Handler(reads: [P.resourceGroup]) { world, args in
            let rg = args[P.resourceGroup]
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
        "identity delete": Handler(reads: [P.resourceName, P.resourceGroup]) { world, args in
            try world.deleteIdentity(name: try args.require(P.resourceName), resourceGroup: try group(args))
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
