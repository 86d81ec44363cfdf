import Foundation

/// Key Vault firewall rules (management plane; they guard the data plane). Public IPv4 addresses
/// or ranges only: private (RFC 1918) ranges are refused, as Key Vault does.
extension World {
    static func normalizeIPRule(_ rule: String) throws -> String {
        let parts = rule.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let base = IPRange.parse(String(parts[0])),
            parts.count == 1 || (Int(parts[1]).map { (0...32).contains($0) } ?? false)
        else {
            throw CloudError.badRequest(
                "BadRequest",
                "Invalid IP address or range '\(rule)'. Use an IPv4 address (1.2.3.4) or a CIDR range (1.2.3.0/24).")
        }
        let privateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]
        if privateRanges.contains(where: { IPRange.contains($0, String(parts[0])) }) {
            throw CloudError.badRequest(
                "BadRequest",
                "IP rule '\(rule)' is a private address range; Key Vault firewall rules accept public IPv4 addresses "
                    + "only."
            )
        }
        _ = base
        return parts.count == 1 ? "\(rule)/32" : rule
    }

    public mutating func addNetworkRules(
        vault name: String, resourceGroup: String?, ipRules: [String], subnets: [String]
    ) throws -> Vault {
        var v = try vault(name, resourceGroup: resourceGroup)
        var acls = v.networkAcls ?? .open
        for s in subnets where !acls.virtualNetworkRules.contains(where: { $0.lowercased() == s.lowercased() }) {
            try checkVaultSubnet(s)
        }
        guard acls.ipRules.count + ipRules.count <= 1000, acls.virtualNetworkRules.count + subnets.count <= 200 else {
            throw CloudError.badRequest(
                "BadRequest", "A key vault allows at most 1000 IP rules and 200 virtual network rules.")
        }
        for r in try ipRules.map(World.normalizeIPRule) where !acls.ipRules.contains(r) { acls.ipRules.append(r) }
        for s in subnets where !acls.virtualNetworkRules.contains(where: { $0.lowercased() == s.lowercased() }) {
            acls.virtualNetworkRules.append(s)
        }
        v.networkAcls = acls
        v.updatedAt = now
        vaults[name.lowercased()] = v
        return v
    }

    public mutating func removeNetworkRules(
        vault name: String, resourceGroup: String?, ipRules: [String], subnets: [String]
    ) throws -> Vault {
        var v = try vault(name, resourceGroup: resourceGroup)
        guard var acls = v.networkAcls else { return v }
        let ips = Set(try ipRules.map(World.normalizeIPRule))
        acls.ipRules.removeAll { ips.contains($0) }
        let nets = Set(subnets.map { $0.lowercased() })
        acls.virtualNetworkRules.removeAll { nets.contains($0.lowercased()) }
        v.networkAcls = acls
        v.updatedAt = now
        vaults[name.lowercased()] = v
        return v
    }
}
