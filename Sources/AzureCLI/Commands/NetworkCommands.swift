import Cloud
import Foundation
import JMESPath

/// `az network vnet ...` and `az network vnet subnet ...`: the networks and subnets a vault's
/// virtual-network rules name, with their service endpoints, shaped as az 2.91 prints them.
enum NetworkCommands {
    static func render(_ s: Subnet, _ n: VirtualNetwork, _ world: World) -> JSON {
        let endpoints: [JSON] = s.serviceEndpoints.map { service in
            // Key Vault's endpoint serves every region; others the network's own.
            let locations: [JSON] = service.lowercased() == "microsoft.keyvault" ? ["*"] : [.string(n.location)]
            return .object([
                ("locations", .array(locations)), ("provisioningState", "Succeeded"), ("service", .string(service)),
            ])
        }
        return .object([
            ("addressPrefix", .string(s.addressPrefix)), ("delegations", []), ("etag", .string("W/\"\(n.etag)\"")),
            ("id", .string("\(world.virtualNetworkID(n))/subnets/\(s.name)")), ("name", .string(s.name)),
            ("privateEndpointNetworkPolicies", "Disabled"), ("privateLinkServiceNetworkPolicies", "Enabled"),
            ("provisioningState", "Succeeded"), ("resourceGroup", .string(n.resourceGroup)),
            ("serviceEndpoints", .array(endpoints)), ("type", "Microsoft.Network/virtualNetworks/subnets"),
        ])
    }

    static func render(_ n: VirtualNetwork, _ world: World) -> JSON {
        var fields: [(String, JSON)] = [
            ("addressSpace", .object([("addressPrefixes", .array(n.addressPrefixes.map { .string($0) }))])),
            ("enableDdosProtection", false), ("etag", .string("W/\"\(n.etag)\"")),
            ("id", .string(world.virtualNetworkID(n))), ("location", .string(n.location)), ("name", .string(n.name)),
            ("privateEndpointVNetPolicies", "Disabled"), ("provisioningState", "Succeeded"),
            ("resourceGroup", .string(n.resourceGroup)), ("resourceGuid", .string(n.resourceGuid)),
            ("subnets", .array(n.subnets.map { render($0, n, world) })),
        ]
        if !n.tags.isEmpty {
            fields.append(
                (
                    "tags",
                    .object(
                        .init(
                            uniqueKeysWithValues: n.tags.sorted { $0.key < $1.key }.map {
                                ($0.key, JSON.string($0.value))
                            }))
                ))
        }
        fields += [("type", "Microsoft.Network/virtualNetworks"), ("virtualNetworkPeerings", [])]
        return .object(.init(uniqueKeysWithValues: fields))
    }

    /// az's `key=value` words for a network's tags.
    static func subnet(_ args: Arguments, _ world: World) throws -> (VirtualNetwork, Subnet) {
        let n = try world.virtualNetwork(try args.require(P.vnetName), resourceGroup: try args.require(P.resourceGroup))
        let name = try args.require(P.name)
        guard let s = n.subnets.first(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw CloudError.notFound("NotFound", "Resource '\(name)' not found in virtual network '\(n.name)'.")
        }
        return (n, s)
    }

    /// The subnet commands' pre_operations, after AAZ's field checks and before any request
    /// (`--endpoints` is refused later, as keydrill does not emulate it).
    static func oneEndpointForm(_ args: Arguments) throws {
        if args.invocation.isGiven("endpoints"), args.invocation.isGiven("service_endpoints") {
            throw CLIError(
                "usage error: `--endpoints` and `--service-endpoints` cannot be used together, we prefer to use "
                    + "`endpoints` instead")
        }
    }

    static let handlers: [String: Handler] = [
        "network vnet create": Handler(reads: [
            P.name, P.resourceGroup, P.location, P.addressPrefixes, P.subnetName, P.subnetPrefixes, P.tags,
        ]) { world, args in
            let subnetName = args[P.subnetName]
            if subnetName == nil, args.isGiven(P.subnetPrefixes) {
                throw CLIError("usage error: --subnet-name NAME [--subnet-prefixes PREFIXES]")
            }
            let n = try world.createVirtualNetwork(
                name: try args.require(P.name), resourceGroup: try args.require(P.resourceGroup),
                location: args[P.location], addressPrefixes: args[P.addressPrefixes] ?? ["10.0.0.0/16"],
                subnet: subnetName.map { ($0, args[P.subnetPrefixes]?.first ?? "10.0.0.0/24") },
                tags: args[P.tags] ?? [:])
            return .object([("newVNet", render(n, world))])
        },
        "network vnet show": Handler(reads: [P.name, P.resourceGroup]) { world, args in
            render(
                try world.virtualNetwork(try args.require(P.name), resourceGroup: try args.require(P.resourceGroup)),
                world)
        },
        "network vnet subnet create": Handler(
            reads: [P.name, P.resourceGroup, P.vnetName, P.addressPrefixes, P.serviceEndpoints],
            checks: { args, _ in try oneEndpointForm(args) }
        ) { world, args in
            let (n, s) = try world.putSubnet(
                network: try args.require(P.vnetName), resourceGroup: try args.require(P.resourceGroup),
                name: try args.require(P.name), addressPrefix: args[P.addressPrefixes]?.first,
                serviceEndpoints: args[P.serviceEndpoints] ?? [], update: false)
            return render(s, n, world)
        },
        "network vnet subnet update": Handler(
            reads: [P.name, P.resourceGroup, P.vnetName, P.addressPrefixes, P.serviceEndpoints],
            checks: { args, _ in try oneEndpointForm(args) }
        ) { world, args in
            let (n, s) = try world.putSubnet(
                network: try args.required(P.vnetName), resourceGroup: try args.required(P.resourceGroup),
                name: try args.required(P.name), addressPrefix: args[P.addressPrefixes]?.first,
                serviceEndpoints: args[P.serviceEndpoints], update: true)
            return render(s, n, world)
        },
        "network vnet subnet show": Handler(reads: [P.name, P.resourceGroup, P.vnetName]) { world, args in
            let (n, s) = try subnet(args, world)
            return render(s, n, world)
        },
    ]
}
