import Foundation

public struct ServiceBusNamespaceSpec: Sendable {
    public var location: String?
    public var sku = "Standard"
    public var capacity: Int?
    public var tags: [String: String] = [:]
    public var minimumTlsVersion = "1.2"
    public var publicNetworkAccess = "Enabled"
    public var disableLocalAuth = false
    public var zoneRedundant = false
    public var systemAssigned = false
    public var userAssigned: [String] = []
    public var encryption: [KeyVaultProperty] = []
    public var requireInfrastructureEncryption: Bool?

    public init() {}
}

public struct ServiceBusNamespaceUpdate: Sendable {
    public var sku: String?
    public var capacity: Int?
    public var tags: [String: String]?
    public var minimumTlsVersion: String?
    public var publicNetworkAccess: String?
    public var disableLocalAuth: Bool?

    public init() {}
}

/// Namespaces, their identities and their queues.
extension World {
    public func serviceBusNamespaceID(_ ns: ServiceBusNamespace) -> String {
        "\(subscriptionPath)/resourceGroups/\(ns.resourceGroup)/providers/Microsoft.ServiceBus/namespaces/\(ns.name)"
    }

    public func serviceBusNamespace(_ name: String, resourceGroup: String) throws -> ServiceBusNamespace {
        _ = try self.resourceGroup(resourceGroup)
        guard let ns = serviceBusNamespaces[name.lowercased()],
            ns.resourceGroup.lowercased() == resourceGroup.lowercased()
        else {
            throw CloudError.notFound(
                "ResourceNotFound",
                "The Resource 'Microsoft.ServiceBus/namespaces/\(name)' under resource group '\(resourceGroup)' was "
                    + "not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"
            )
        }
        return ns
    }

    public func listServiceBusNamespaces(resourceGroup: String?) throws -> [ServiceBusNamespace] {
        if let rg = resourceGroup { _ = try self.resourceGroup(rg) }
        return serviceBusNamespaces.values.filter {
            resourceGroup == nil || $0.resourceGroup.lowercased() == resourceGroup!.lowercased()
        }
        .sorted { $0.name < $1.name }
    }

    mutating func correlationID() -> String { ids.guid() }

    @discardableResult
    public mutating func createServiceBusNamespace(
        name: String, resourceGroup rgName: String, spec: ServiceBusNamespaceSpec
    ) throws -> ServiceBusNamespace {
        let rg = try resourceGroup(rgName)
        try ServiceBusRules.validateNamespaceName(name)
        guard serviceBusNamespaces[name.lowercased()] == nil, !aliasNameTaken(name) else {
            throw CloudError.conflict(
                "Conflict",
                "Namespace name '\(name)' is not available: namespace names are global. CorrelationId: "
                    + "\(correlationID())"
            )
        }
        let region = try Locations.resolve(spec.location ?? rg.location)
        try ServiceBusRules.validateCapacity(spec.capacity, sku: spec.sku)
        for id in spec.userAssigned { _ = try userAssignedIdentity(byID: id) }
        var ns = ServiceBusNamespace(
            name: name, resourceGroup: rg.name, location: region.displayName, sku: spec.sku,
            capacity: spec.sku == "Premium" ? (spec.capacity ?? 1) : nil, createdAt: now, updatedAt: now,
            tags: spec.tags,
            minimumTlsVersion: spec.minimumTlsVersion, publicNetworkAccess: spec.publicNetworkAccess,
            disableLocalAuth: spec.disableLocalAuth, zoneRedundant: spec.zoneRedundant,
            systemPrincipalId: spec.systemAssigned ? ids.guid() : nil, userAssignedIdentities: spec.userAssigned,
            encryption: nil, activeDataKey: DataKey.generate(), queues: [:], alias: nil)
        if !spec.encryption.isEmpty {
            // A new namespace enables encryption in the same request: the same checks as `encryption
            // add`. A refusal leaves no namespace, but the key operations it tried stay audited.
            serviceBusNamespaces[name.lowercased()] = ns
            do {
                ns = try addServiceBusEncryption(
                    namespace: name, resourceGroup: rg.name, keys: spec.encryption,
                    requireInfrastructureEncryption: spec.requireInfrastructureEncryption)
            } catch {
                serviceBusNamespaces[name.lowercased()] = nil
                throw error
            }
        } else {
            if spec.requireInfrastructureEncryption == true {
                throw CloudError.badRequest(
                    "BadRequest",
                    "Infrastructure encryption needs customer-managed key encryption: give --encryption-config too.")
            }
            serviceBusNamespaces[name.lowercased()] = ns
        }
        return ns
    }

    @discardableResult
    public mutating func updateServiceBusNamespace(
        name: String, resourceGroup: String, update u: ServiceBusNamespaceUpdate
    ) throws -> ServiceBusNamespace {
        var ns = try serviceBusNamespace(name, resourceGroup: resourceGroup)
        try ServiceBusRules.requireNotSecondary(ns, correlation: correlationID())
        if let sku = u.sku, sku != ns.sku {
            if sku == "Premium" || ns.sku == "Premium" {
                throw CloudError.badRequest(
                    "BadRequest",
                    "Changing the tier to or from Premium is not supported in place: migrate the namespace (az "
                        + "servicebus migration) instead."
                )
            }
            if ns.encryption != nil {
                throw CloudError.badRequest(
                    "BadRequest", "A namespace with customer-managed key encryption must stay Premium.")
            }
            ns.sku = sku
        }
        if let c = u.capacity {
            try ServiceBusRules.validateCapacity(c, sku: ns.sku)
            ns.capacity = c
        }
        if let t = u.tags { ns.tags = t }
        if let v = u.minimumTlsVersion { ns.minimumTlsVersion = v }
        if let v = u.publicNetworkAccess { ns.publicNetworkAccess = v }
        if let v = u.disableLocalAuth { ns.disableLocalAuth = v }
        ns.updatedAt = now
        serviceBusNamespaces[name.lowercased()] = ns
        return ns
    }

    public mutating func deleteServiceBusNamespace(name: String, resourceGroup: String) throws {
        let ns = try serviceBusNamespace(name, resourceGroup: resourceGroup)
        if let a = ns.alias, !a.partner.isEmpty {
            throw CloudError.badRequest(
                "BadRequest",
                "The namespace '\(ns.name)' has a geo-DR pairing (alias '\(a.name)'). Break the pairing first. "
                    + "CorrelationId: \(correlationID())"
            )
        }
        serviceBusNamespaces[name.lowercased()] = nil
        scheduler.cancel(.serviceBusKeyPoll(namespace: name.lowercased()))
    }

    /// `identity assign`: a system-assigned identity is a new principal each time it is created.
    @discardableResult
    public mutating func assignServiceBusIdentity(
        namespace: String, resourceGroup: String, systemAssigned: Bool, userAssigned: [String]
    ) throws -> ServiceBusNamespace {
        var ns = try serviceBusNamespace(namespace, resourceGroup: resourceGroup)
        for id in userAssigned { _ = try userAssignedIdentity(byID: id) }
        if systemAssigned, ns.systemPrincipalId == nil { ns.systemPrincipalId = ids.guid() }
        for id in userAssigned where !ns.userAssignedIdentities.contains(where: { $0.lowercased() == id.lowercased() })
        {
            ns.userAssignedIdentities.append(id)
        }
        guard ns.userAssignedIdentities.count <= 4 else {
            throw CloudError.badRequest("BadRequest", "A namespace can have at most 4 user-assigned identities.")
        }
        ns.updatedAt = now
        serviceBusNamespaces[namespace.lowercased()] = ns
        return ns
    }

    /// `identity remove`. Removing the identity encryption uses is allowed, as in Azure: the keys
    /// then drop out at the next poll.
    @discardableResult
    public mutating func removeServiceBusIdentity(
        namespace: String, resourceGroup: String, systemAssigned: Bool, userAssigned: [String]
    ) throws -> ServiceBusNamespace {
        var ns = try serviceBusNamespace(namespace, resourceGroup: resourceGroup)
        if systemAssigned { ns.systemPrincipalId = nil }
        for id in userAssigned {
            guard let i = ns.userAssignedIdentities.firstIndex(where: { $0.lowercased() == id.lowercased() }) else {
                throw CloudError.badRequest(
                    "BadRequest", "The user-assigned identity '\(id)' is not assigned to the namespace '\(ns.name)'.")
            }
            ns.userAssignedIdentities.remove(at: i)
        }
        ns.updatedAt = now
        serviceBusNamespaces[namespace.lowercased()] = ns
        return ns
    }

    /// A user-assigned identity by its resource id.
    public func userAssignedIdentity(byID id: String) throws -> UserAssignedIdentity {
        guard let parts = ResourceID.parts(id), let rg = parts["resource_group"], let name = parts["name"],
            parts["type"]?.lowercased() == "userassignedidentities"
        else {
            throw CloudError.badRequest("BadRequest", "'\(id)' is not the resource id of a user-assigned identity.")
        }
        guard let i = identities[World.identityKey(rg, name)] else {
            throw CloudError.notFound("ResourceNotFound", "The user-assigned identity '\(id)' was not found.")
        }
        return i
    }

    public func serviceBusQueue(
        namespace: String, resourceGroup: String, name: String
    ) throws -> (ServiceBusNamespace, ServiceBusQueue) {
        let ns = try serviceBusNamespace(namespace, resourceGroup: resourceGroup)
        guard let q = ns.queues[name.lowercased()] else {
            throw CloudError.notFound(
                "NotFound",
                "The requested resource \(name) does not exist. CorrelationId: \(UUID().uuidString.lowercased())")
        }
        return (ns, q)
    }

    /// Creating a queue on a paired primary creates it on the secondary too (metadata
    /// replication; messages are not replicated).
    @discardableResult
    public mutating func createServiceBusQueue(
        namespace: String, resourceGroup: String, name: String
    ) throws -> (ServiceBusNamespace, ServiceBusQueue) {
        var ns = try serviceBusNamespace(namespace, resourceGroup: resourceGroup)
        try ServiceBusRules.requireNotSecondary(ns, correlation: correlationID())
        try ServiceBusRules.validateEntityName(name)
        let q =
            ns.queues[name.lowercased()].map { existing -> ServiceBusQueue in
                var e = existing
                e.updatedAt = now
                return e
            } ?? ServiceBusQueue(name: name, createdAt: now, updatedAt: now, messages: [])
        ns.queues[name.lowercased()] = q
        serviceBusNamespaces[namespace.lowercased()] = ns
        if let a = ns.alias, a.role == "Primary", var secondary = serviceBusNamespaces[a.partner.lowercased()],
            secondary.queues[name.lowercased()] == nil
        {
            secondary.queues[name.lowercased()] = ServiceBusQueue(
                name: name, createdAt: now, updatedAt: now, messages: [])
            serviceBusNamespaces[a.partner.lowercased()] = secondary
        }
        return (ns, q)
    }

    public mutating func deleteServiceBusQueue(namespace: String, resourceGroup: String, name: String) throws {
        var (ns, _) = try serviceBusQueue(namespace: namespace, resourceGroup: resourceGroup, name: name)
        try ServiceBusRules.requireNotSecondary(ns, correlation: correlationID())
        ns.queues[name.lowercased()] = nil
        serviceBusNamespaces[namespace.lowercased()] = ns
        if let a = ns.alias, a.role == "Primary" {
            serviceBusNamespaces[a.partner.lowercased()]?.queues[name.lowercased()] = nil
        }
    }
}
