import Foundation

extension World {
    /// The id of an existing resource of an ARM type, by its name (and group, where names are
    /// only unique inside one); nil when there is none.
    public func resourceID(type: String, name: String, resourceGroup: String?) -> String? {
        let n = name.lowercased()
        if let kind = ConsumerKind.of(type: type) { return kind.resourceID(self, name) }
        switch type.lowercased() {
        case ResourceType.vault.lowercased(): return vaults[n].map(vaultID)
        case ResourceType.identity.lowercased():
            return resourceGroup.flatMap { identities[World.identityKey($0, name)] }.map(identityID)
        case ResourceType.virtualNetwork.lowercased():
            return resourceGroup.flatMap { virtualNetworks[World.networkKey($0, name)] }.map(virtualNetworkID)
        default: return nil
        }
    }
}
