import Foundation

/// A virtual network and its subnets, as far as Key Vault's firewall needs them: a vault's
/// virtual-network rule names a subnet, which must exist and carry the `Microsoft.KeyVault`
/// service endpoint (azure-behaviour.md: network rules).
public struct VirtualNetwork: Codable, Sendable, Equatable {
    public let name: String
    public let resourceGroup: String
    public let location: String
    public var addressPrefixes: [String]
    public var subnets: [Subnet]
    public var tags: [String: String]
    public let resourceGuid: String
    public var etag: String
}

public struct Subnet: Codable, Sendable, Equatable {
    public let name: String
    public var addressPrefix: String
    public var serviceEndpoints: [String]
}

/// IPv4 CIDR blocks, for address spaces and subnets.
public struct CIDR: Sendable, Equatable {
    public let base: UInt32
    public let bits: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let b = Int(parts[1]), (0...32).contains(b), let addr = IPRange.parse(String(parts[0]))
        else { return nil }
        let mask: UInt32 = b == 0 ? 0 : ~UInt32(0) << (32 - UInt32(b))
        base = addr & mask
        bits = b
    }

    var last: UInt32 { bits == 0 ? UInt32.max : base | ~(~UInt32(0) << (32 - UInt32(bits))) }
    func contains(_ other: CIDR) -> Bool { other.bits >= bits && other.base >= base && other.last <= last }
    func overlaps(_ other: CIDR) -> Bool { base <= other.last && other.base <= last }
}

extension World {
    static func networkKey(_ rg: String, _ name: String) -> String { "\(rg.lowercased())/\(name.lowercased())" }

    public func virtualNetworkID(_ n: VirtualNetwork) -> String {
        "\(subscriptionPath)/resourceGroups/\(n.resourceGroup)/providers/Microsoft.Network/virtualNetworks/\(n.name)"
    }

    public func virtualNetwork(_ name: String, resourceGroup: String) throws -> VirtualNetwork {
        _ = try self.resourceGroup(resourceGroup)
        guard let n = virtualNetworks[World.networkKey(resourceGroup, name)] else {
            throw CloudError.notFound(
                "ResourceNotFound",
                "The Resource 'Microsoft.Network/virtualNetworks/\(name)' under resource group '\(resourceGroup)' was "
                    + "not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix")
        }
        return n
    }

    static func cidr(_ text: String) throws -> CIDR {
        guard let c = CIDR(text) else {
            throw CloudError.badRequest(
                "InvalidAddressPrefixFormat", "Address prefix \(text) does not have a valid format.")
        }
        return c
    }

    @discardableResult
    public mutating func createVirtualNetwork(
        name: String, resourceGroup rgName: String, location: String?, addressPrefixes: [String],
        subnet: (name: String, prefix: String)?, tags: [String: String]
    ) throws -> VirtualNetwork {
        let rg = try resourceGroup(rgName)
        let spaces = try addressPrefixes.map(World.cidr)
        var n = VirtualNetwork(
            name: name, resourceGroup: rg.name, location: try Locations.resolve(location ?? rg.location).name,
            addressPrefixes: addressPrefixes, subnets: [], tags: tags, resourceGuid: ids.guid(), etag: ids.guid())
        if let s = subnet {
            try World.checkSubnet(s.name, s.prefix, in: n, spaces: spaces)
            n.subnets.append(Subnet(name: s.name, addressPrefix: s.prefix, serviceEndpoints: []))
        }
        virtualNetworks[World.networkKey(rg.name, name)] = n
        return n
    }

    /// Azure's subnet rules: inside the network's address space, not overlapping a sibling.
    static func checkSubnet(_ name: String, _ prefix: String, in n: VirtualNetwork, spaces: [CIDR]) throws {
        let c = try cidr(prefix)
        guard spaces.contains(where: { $0.contains(c) }) else {
            throw CloudError.badRequest(
                "NetcfgSubnetRangeOutsideVnet",
                "Subnet '\(name)' is not valid because its IP address range is outside the IP address range of "
                    + "virtual network '\(n.name)'.")
        }
        if let other = n.subnets.first(where: { $0.name != name && (CIDR($0.addressPrefix)?.overlaps(c) ?? false) }) {
            throw CloudError.badRequest(
                "NetcfgSubnetRangesOverlap",
                "Subnet '\(name)' is not valid in virtual network '\(n.name)' because its IP address range overlaps "
                    + "with that of an existing subnet '\(other.name)'.")
        }
    }

    /// Creates a subnet, or (`update`) changes an existing one's prefix and service endpoints.
    @discardableResult
    public mutating func putSubnet(
        network: String, resourceGroup: String, name: String, addressPrefix: String?, serviceEndpoints: [String]?,
        update: Bool
    ) throws -> (VirtualNetwork, Subnet) {
        var n = try virtualNetwork(network, resourceGroup: resourceGroup)
        let existing = n.subnets.firstIndex { $0.name.lowercased() == name.lowercased() }
        if update, existing == nil { throw subnetNotFound(n, name) }
        var s = existing.map { n.subnets[$0] } ?? Subnet(name: name, addressPrefix: "", serviceEndpoints: [])
        if let p = addressPrefix { s.addressPrefix = p }
        guard !s.addressPrefix.isEmpty else {
            throw CloudError.badRequest("InvalidRequestFormat", "Subnet '\(name)' needs an address prefix.")
        }
        try World.checkSubnet(s.name, s.addressPrefix, in: n, spaces: try n.addressPrefixes.map(World.cidr))
        if let e = serviceEndpoints { s.serviceEndpoints = e }
        if let i = existing { n.subnets[i] = s } else { n.subnets.append(s) }
        n.etag = ids.guid()
        virtualNetworks[World.networkKey(n.resourceGroup, n.name)] = n
        return (n, s)
    }

    func subnetNotFound(_ n: VirtualNetwork, _ name: String) -> CloudError {
        CloudError.notFound(
            "NotFound", "Resource '\(name)' not found in virtual network '\(n.name)'.")
    }

    /// A vault's virtual-network rule needs the subnet to exist and to carry Microsoft.KeyVault.
    func checkVaultSubnet(_ id: String) throws {
        guard let p = ResourceID.parts(id), let rg = p["resource_group"], let vnet = p["name"],
            p["type"]?.lowercased() == "virtualnetworks", p["child_type_1"]?.lowercased() == "subnets",
            let subnet = p["child_name_1"]
        else {
            throw CloudError.badRequest("InvalidRequestFormat", "'\(id)' is not a subnet resource id.")
        }
        guard let n = virtualNetworks[World.networkKey(rg, vnet)],
            let s = n.subnets.first(where: { $0.name.lowercased() == subnet.lowercased() })
        else {
            throw CloudError.badRequest(
                "InvalidResourceReference",
                "Resource \(id) referenced by resource vault was not found. Please make sure that the referenced "
                    + "resource exists, and that both resources are in the same region.")
        }
        guard s.serviceEndpoints.contains(where: { $0.lowercased() == "microsoft.keyvault" }) else {
            throw CloudError.badRequest(
                "SubnetsHaveNoServiceEndpointsConfigured",
                "Subnets \(s.name) of virtual network \(virtualNetworkID(n)) do not have ServiceEndpoints for "
                    + "Microsoft.KeyVault resources configured. Add Microsoft.KeyVault to subnet's ServiceEndpoints "
                    + "collection before trying to ACL Microsoft.KeyVault resources to these subnets.")
        }
    }
}
