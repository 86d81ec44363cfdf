import Foundation

/// A user-assigned managed identity: a standalone resource whose principal survives the resources
/// that use it. (System-assigned identities live on their resource and die with it.)
public struct UserAssignedIdentity: Codable, Sendable, Equatable {
    public let name: String
    public let resourceGroup: String
    public let location: String
    public let principalId: String
    public let clientId: String
    public let tenantId: String
    public var tags: [String: String]
}

extension World {
    static func identityKey(_ rg: String, _ name: String) -> String { "\(rg.lowercased())/\(name.lowercased())" }

    /// The managed identity service spells the id with a lowercase `resourcegroups`.
    public func identityID(_ i: UserAssignedIdentity) -> String {
        "\(subscriptionPath)/resourcegroups/\(i.resourceGroup)/providers/Microsoft.ManagedIdentity/"
            + "userAssignedIdentities/\(i.name)"
    }

    public func identity(_ name: String, resourceGroup: String) throws -> UserAssignedIdentity {
        guard let i = identities[World.identityKey(resourceGroup, name)] else {
            _ = try self.resourceGroup(resourceGroup)
            throw CloudError.notFound(
                "ResourceNotFound",
                "The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/\(name)' under resource group "
                    + "'\(resourceGroup)' was not found. For more details please go to "
                    + "https://aka.ms/ARMResourceNotFoundFix"
            )
        }
        return i
    }

    /// ARM PUT: creates the identity, or updates the tags of an existing one (same principal).
    public mutating func createIdentity(
        name: String, resourceGroup rgName: String, location: String?, tags: [String: String]?
    ) throws -> UserAssignedIdentity {
        let rg = try resourceGroup(rgName)
        let validName =
            (3...128).contains(name.count) && (name.first?.isLetter == true || name.first?.isNumber == true)
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        guard validName else {
            throw CloudError.badRequest(
                "InvalidResourceName",
                "Resource name \(name) is invalid. The name can be 3-128 characters long and must start with a "
                    + "letter or number; it can contain letters, numbers, hyphens and underscores."
            )
        }
        let region = try Locations.resolve(location ?? rg.location)
        let key = World.identityKey(rg.name, name)
        if var existing = identities[key] {
            if let tags { existing.tags = tags }
            identities[key] = existing
            return existing
        }
        let i = UserAssignedIdentity(
            name: name, resourceGroup: rg.name, location: region.name, principalId: ids.guid(),
            clientId: ids.guid(), tenantId: subscription.tenantId, tags: tags ?? [:])
        identities[key] = i
        return i
    }

    public mutating func deleteIdentity(name: String, resourceGroup: String) throws {
        _ = try self.resourceGroup(resourceGroup)
        let key = World.identityKey(resourceGroup, name)
        if let i = identities[key] { removeIdentity(key, i) }
    }

    /// An identity goes; a caller signed in as it keeps the token it holds until it expires.
    /// Tokens are issued for a day from sign-in and renewed each day while the identity lives.
    mutating func removeIdentity(_ key: String, _ i: UserAssignedIdentity) {
        identities[key] = nil
        guard signIn.kind == .servicePrincipal, signIn.objectId.equalsIgnoringCase(i.principalId) else { return }
        let life = World.managedIdentityTokenLifetime
        let since = signIn.signedInAt ?? now
        let renewals = (now.timeIntervalSince(since) / life).rounded(.down)
        signIn.tokenExpires = since.addingTimeInterval((renewals + 1) * life)
    }

    /// Whether the directory (see `directory`) holds this object id.
    public func principalExists(_ objectId: String) -> Bool {
        directory.contains { $0.objectId.lowercased() == objectId.lowercased() }
    }
}
