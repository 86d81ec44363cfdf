import Foundation

extension World {
    /// The id of an existing resource of an ARM type, by its name (and group, where names are
    /// only unique inside one); nil when there is none.
    public func resourceID(type: String, name: String, resourceGroup: String?) -> String? {
        let n = name.lowercased()
        switch type.lowercased() {
        case "microsoft.keyvault/vaults": return vaults[n].map(vaultID)
        case "microsoft.dbforpostgresql/servers": return postgresServers[n].map(postgresServerID)
        case "microsoft.dbforpostgresql/flexibleservers": return flexibleServers[n].map(flexibleServerID)
        case "microsoft.servicebus/namespaces": return serviceBusNamespaces[n].map(serviceBusNamespaceID)
        case "microsoft.managedidentity/userassignedidentities":
            return resourceGroup.flatMap { identities[World.identityKey($0, name)] }.map(identityID)
        case "microsoft.network/virtualnetworks":
            return resourceGroup.flatMap { virtualNetworks[World.networkKey($0, name)] }.map(virtualNetworkID)
        default: return nil
        }
    }
}
