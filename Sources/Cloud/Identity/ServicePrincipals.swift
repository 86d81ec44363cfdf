import Crypto
import Foundation

/// A managed identity's service principal in Entra ID, as Microsoft Graph returns it: user-
/// assigned identities are explicit (their client id is the appId); a resource's system-assigned
/// identity is implicit and goes with the resource.
public struct ManagedServicePrincipal: Sendable, Equatable {
    public let objectId: String
    public let appId: String
    public let displayName: String
    /// The resource the identity belongs to (the identity itself, or the server or namespace).
    public let resourceId: String
    public let isExplicit: Bool
}

extension World {
    public var managedServicePrincipals: [ManagedServicePrincipal] {
        var out = identities.values.sorted { $0.name < $1.name }.map { i in
            ManagedServicePrincipal(
                objectId: i.principalId, appId: i.clientId, displayName: i.name, resourceId: identityID(i),
                isExplicit: true)
        }
        for s in postgresServers.values.sorted(by: { $0.name < $1.name }) {
            if let id = s.principalId {
                out.append(
                    ManagedServicePrincipal(
                        objectId: id, appId: Self.implicitAppId(id), displayName: s.name,
                        resourceId: postgresServerID(s), isExplicit: false))
            }
        }
        for ns in serviceBusNamespaces.values.sorted(by: { $0.name < $1.name }) {
            if let id = ns.systemPrincipalId {
                out.append(
                    ManagedServicePrincipal(
                        objectId: id, appId: Self.implicitAppId(id), displayName: ns.name,
                        resourceId: serviceBusNamespaceID(ns), isExplicit: false))
            }
        }
        return out
    }

    /// Graph finds a service principal by one of its names (the appId) first, then by object id.
    public func managedServicePrincipal(_ identifier: String) -> ManagedServicePrincipal? {
        let key = identifier.lowercased()
        return managedServicePrincipals.first { $0.appId.lowercased() == key }
            ?? managedServicePrincipals.first { $0.objectId.lowercased() == key }
    }

    /// A system-assigned identity's application id, derived from its principal id so it is the
    /// same every time it is shown (the world keeps no separate record of it).
    static func implicitAppId(_ principalId: String) -> String {
        let h = Array(SHA256.hash(data: Data(("appId:" + principalId.lowercased()).utf8)))
        var b = Array(h.prefix(16))
        b[6] = (b[6] & 0x0f) | 0x40
        b[8] = (b[8] & 0x3f) | 0x80
        let hex = b.map { String(format: "%02x", $0) }.joined()
        let c = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(c[$0]) }.joined(separator: "-")
    }
}
