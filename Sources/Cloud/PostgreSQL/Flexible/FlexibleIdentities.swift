import Foundation

/// `az postgres flexible-server identity ...`: the server's list of user-assigned identities
/// and its system-assigned one. Removing an identity a key is used with is az's refusal, made
/// before the call; the service refuses it too.
extension World {
    @discardableResult
    public mutating func assignFlexibleIdentities(
        server name: String, resourceGroup: String, identities ids: [String]
    ) throws -> FlexibleServer {
        var s = try flexibleServer(name, resourceGroup: resourceGroup)
        s.identities = World.adding(try resolveFlexibleIdentities(ids), to: s.identities)
        flexibleServers[name.lowercased()] = s
        return s
    }

    @discardableResult
    public mutating func removeFlexibleIdentities(
        server name: String, resourceGroup: String, identities ids: [String]
    ) throws -> FlexibleServer {
        var s = try flexibleServer(name, resourceGroup: resourceGroup)
        for id in ids {
            if let use = s.encryptionUse(of: id) {
                throw CloudError.badRequest(
                    "IdentityInUse", "Cannot remove identity \(id) because it's used for \(use).")
            }
        }
        s.identities.removeAll { a in ids.contains { $0.lowercased() == a.id.lowercased() } }
        flexibleServers[name.lowercased()] = s
        return s
    }

    @discardableResult
    public mutating func setFlexibleSystemAssignedIdentity(
        server name: String, resourceGroup: String, enabled: Bool
    ) throws -> FlexibleServer {
        var s = try flexibleServer(name, resourceGroup: resourceGroup)
        if enabled, s.systemAssignedPrincipalId == nil { s.systemAssignedPrincipalId = ids.guid() }
        if !enabled { s.systemAssignedPrincipalId = nil }
        flexibleServers[name.lowercased()] = s
        return s
    }
}
