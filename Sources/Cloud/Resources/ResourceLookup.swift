import Foundation

/// The ARM resource types keydrill emulates, as ARM spells them (ids compare them
/// case-insensitively).
public enum ARMType {
    public static let vaults = "Microsoft.KeyVault/vaults"
    public static let postgresServers = "Microsoft.DBforPostgreSQL/servers"
    public static let flexibleServers = "Microsoft.DBforPostgreSQL/flexibleServers"
    public static let serviceBusNamespaces = "Microsoft.ServiceBus/namespaces"
    public static let userAssignedIdentities = "Microsoft.ManagedIdentity/userAssignedIdentities"
    public static let virtualNetworks = "Microsoft.Network/virtualNetworks"
}

extension World {
    /// The id of an existing resource of an ARM type, by its name (and group, where names are
    /// only unique inside one); nil when there is none.
    public func resourceID(type: String, name: String, resourceGroup: String?) -> String? {
        let n = name.lowercased()
        switch type.lowercased() {
        case ARMType.vaults.lowercased(): return vaults[n].map(vaultID)
        case ARMType.postgresServers.lowercased(): return postgresServers[n].map(postgresServerID)
        case ARMType.flexibleServers.lowercased(): return flexibleServers[n].map(flexibleServerID)
        case ARMType.serviceBusNamespaces.lowercased(): return serviceBusNamespaces[n].map(serviceBusNamespaceID)
        case ARMType.userAssignedIdentities.lowercased():
            return resourceGroup.flatMap { identities[World.identityKey($0, name)] }.map(identityID)
        case ARMType.virtualNetworks.lowercased():
            return resourceGroup.flatMap { virtualNetworks[World.networkKey($0, name)] }.map(virtualNetworkID)
        default: return nil
        }
    }
}
