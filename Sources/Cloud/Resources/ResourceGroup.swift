import Foundation

public struct ResourceGroup: Codable, Sendable, Equatable {
    public let name: String
    public let location: String
    public var tags: [String: String]?
    public var managedBy: String?
    public var provisioningState: String
}

extension World {
    public func resourceGroupID(_ name: String) -> String { "\(subscriptionPath)/resourceGroups/\(name)" }

    public func resourceGroup(_ name: String) throws -> ResourceGroup {
        guard let g = resourceGroups[name.lowercased()] else {
            throw CloudError.notFound("ResourceGroupNotFound", "Resource group '\(name)' could not be found.")
        }
        return g
    }

    /// ARM's PUT on a resource group: creates it, or updates tags of an existing one in the same
    /// location.
    @discardableResult
    public mutating func createResourceGroup(
        name: String, location: String, tags: [String: String]?, managedBy: String?
    ) throws -> ResourceGroup {
        try ResourceGroup.validateName(name)
        let region = try Locations.resolve(location, forResourceGroup: true)
        if var existing = resourceGroups[name.lowercased()] {
            guard existing.location == region.name else {
                throw CloudError(
                    "InvalidResourceGroupLocation",
                    "Invalid resource group location '\(region.name)'. The Resource group already exists in location "
                        + "'\(existing.location)'.",
                    status: 409)
            }
            guard existing.provisioningState != "Deleting" else {
                throw CloudError.conflict(
                    "ResourceGroupBeingDeleted",
                    "The resource group '\(existing.name)' is in deprovisioning state and cannot perform this "
                        + "operation."
                )
            }
            if let tags { existing.tags = tags }
            if let managedBy { existing.managedBy = managedBy }
            resourceGroups[name.lowercased()] = existing
            return existing
        }
        let g = ResourceGroup(
            name: name, location: region.name, tags: tags, managedBy: managedBy, provisioningState: "Succeeded")
        resourceGroups[name.lowercased()] = g
        return g
    }

    public mutating func updateResourceGroupTags(name: String, tags: [String: String]) throws -> ResourceGroup {
        var g = try resourceGroup(name)
        g.tags = tags
        resourceGroups[name.lowercased()] = g
        return g
    }

    /// Deleting a group deletes everything in it. With `wait` false (az's `--no-wait`) the group
    /// shows `Deleting` until the clock passes the deletion time.
    public mutating func deleteResourceGroup(name: String, wait: Bool) throws {
        var g = try resourceGroup(name)
        if wait {
            finishResourceGroupDeletion(g.name)
            return
        }
        guard g.provisioningState != "Deleting" else { return }
        g.provisioningState = "Deleting"
        resourceGroups[name.lowercased()] = g
        scheduler.schedule(
            .completeResourceGroupDeletion(name: g.name),
            at: now.addingTimeInterval(settings.resourceGroupDeletionSeconds))
    }

    /// Deleting a group soft-deletes the vaults in it and deletes its other resources, as ARM
    /// deletes each resource.
    mutating func finishResourceGroupDeletion(_ name: String) {
        for v in vaults.values where v.resourceGroup.lowercased() == name.lowercased() {
            try? deleteVault(name: v.name, resourceGroup: nil)
        }
        for (key, i) in identities where i.resourceGroup.lowercased() == name.lowercased() {
            removeIdentity(key, i)
        }
        for kind in ConsumerKind.all { kind.deleteAll(&self, name) }
        resourceGroups[name.lowercased()] = nil
    }
}

extension ResourceGroup {
    /// ARM: 1-90 characters of letters, digits, underscores, hyphens, periods and parentheses, not
    /// ending in a period.
    static func validateName(_ name: String) throws {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "_-.()"))
        guard !name.isEmpty, name.count <= 90, !name.hasSuffix("."),
            name.unicodeScalars.allSatisfy({ allowed.contains($0) })
        else {
            throw CloudError.badRequest(
                "InvalidResourceGroup",
                "The provided resource group name '\(name)' has these invalid characters: "
                    + "'\(name.filter { !$0.unicodeScalars.allSatisfy { allowed.contains($0) } })'. The name can "
                    + "only be a letter, digit, '-', '.', '(', ')' or '_'."
            )
        }
    }
}
