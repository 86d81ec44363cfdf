import Foundation

/// Geo-disaster recovery: an alias pairs a primary with a secondary and replicates entities
/// (metadata only: no messages, identities or encryption settings).
extension World {
    /// Alias names are DNS names, shared with namespace names.
    func aliasNameTaken(_ name: String, except owner: String? = nil) -> Bool {
        serviceBusNamespaces.values.contains { ns in
            ns.name.lowercased() != owner?.lowercased() && ns.alias?.name.lowercased() == name.lowercased()
        }
    }

    func resolveServiceBusPartner(_ ref: String, resourceGroup: String) throws -> ServiceBusNamespace {
        if ref.hasPrefix("/"), let parts = ResourceID.parts(ref), let name = parts["name"],
            let rg = parts["resource_group"]
        {
            return try serviceBusNamespace(name, resourceGroup: rg)
        }
        return try serviceBusNamespace(ref, resourceGroup: resourceGroup)
    }

    /// `georecovery-alias set | create`, run on the primary.
    @discardableResult
    public mutating func pairServiceBusNamespaces(
        primary: String, resourceGroup: String, alias: String, partner: String, alternateName: String?
    ) throws -> ServiceBusNamespace {
        var p = try serviceBusNamespace(primary, resourceGroup: resourceGroup)
        var s = try resolveServiceBusPartner(partner, resourceGroup: resourceGroup)
        let correlation = correlationID()
        guard p.name.lowercased() != s.name.lowercased() else {
            throw CloudError.badRequest(
                "BadRequest", "A namespace cannot be paired with itself. CorrelationId: \(correlation)")
        }
        guard p.sku == "Premium", s.sku == "Premium" else {
            throw CloudError.badRequest(
                "BadRequest",
                "Geo-disaster recovery pairs Premium namespaces only ('\(p.name)' is \(p.sku), '\(s.name)' is "
                    + "\(s.sku)). CorrelationId: \(correlation)"
            )
        }
        if let a = p.alias {
            guard a.role == "PrimaryNotReplicating", a.name.lowercased() == alias.lowercased() else {
                throw CloudError.conflict(
                    "Conflict",
                    "The namespace '\(p.name)' already has the geo-DR alias '\(a.name)' (\(a.role)). CorrelationId: "
                        + "\(correlation)"
                )
            }
        }
        if let a = s.alias {
            throw CloudError.conflict(
                "Conflict",
                "Unable to freeze secondary namespace: '\(s.name)' already has the geo-DR alias '\(a.name)' "
                    + "(\(a.role)). CorrelationId: \(correlation)"
            )
        }
        guard !aliasNameTaken(alias, except: p.name), serviceBusNamespaces[alias.lowercased()] == nil else {
            throw CloudError.conflict(
                "Conflict", "The alias name '\(alias)' is not available. CorrelationId: \(correlation)")
        }
        // Pairing needs a new, empty secondary; the documented CMK procedure re-pairs the former
        // secondary after a break, so that one may keep its replicated entities.
        if !s.queues.isEmpty, !s.formerPrimaries.contains(p.name.lowercased()) {
            throw CloudError.badRequest(
                "BadRequest",
                "The secondary namespace '\(s.name)' must be new and empty: it has \(s.queues.count) queue(s) or "
                    + "topic(s). CorrelationId: \(correlation)"
            )
        }
        if let encryption = p.encryption {
            try checkSecondaryCanUseKeys(primary: p, secondary: s, encryption: encryption, correlation: correlation)
        }
        let settled = now.addingTimeInterval(settings.serviceBusGeoDRSettleSeconds)
        p.alias = GeoDRAlias(
            name: alias, role: "Primary", partner: s.name, alternateName: alternateName, settledAt: settled)
        s.alias = GeoDRAlias(
            name: alias, role: "Secondary", partner: p.name, alternateName: alternateName, settledAt: settled)
        for (k, q) in p.queues where s.queues[k] == nil {
            s.queues[k] = ServiceBusQueue(name: q.name, createdAt: now, updatedAt: now, messages: [])
        }
        serviceBusNamespaces[p.name.lowercased()] = p
        serviceBusNamespaces[s.name.lowercased()] = s
        return p
    }

    /// An encrypted primary pairs only with a secondary whose identity can use its keys: the
    /// same user-assigned identity with encryption already on, or a granted system identity. The
    /// probes are real key operations, so they stay in the audit log whatever the outcome.
    mutating func checkSecondaryCanUseKeys(
        primary p: ServiceBusNamespace, secondary s: ServiceBusNamespace, encryption: NamespaceEncryption,
        correlation: String
    ) throws {
        for entry in encryption.keys {
            if entry.userAssignedIdentity != nil, s.encryption == nil {
                throw CloudError.badRequest(
                    "BadRequest",
                    "The primary '\(p.name)' uses customer-managed keys with a user-assigned identity: enable "
                        + "encryption with that identity on the secondary '\(s.name)' before pairing. CorrelationId: "
                            + "\(correlation)"
                )
            }
            do {
                _ = try probeServiceBusKey(s, entry, dataKey: s.activeDataKey ?? DataKey.generate())
            } catch let e as CloudError {
                throw CloudError(
                    "BadRequest",
                    "The secondary '\(s.name)' cannot use the primary's key '\(entry.keyName)' in "
                        + "\(entry.keyVaultUri): \(e.message) Grant the secondary's identity get, wrapKey and "
                            + "unwrapKey before pairing. CorrelationId: \(correlation)",
                    status: 400, innerCode: e.innerCode ?? e.code)
            }
        }
    }

    public func serviceBusAlias(
        namespace: String, resourceGroup: String, alias: String
    ) throws -> (ServiceBusNamespace, GeoDRAlias) {
        let ns = try serviceBusNamespace(namespace, resourceGroup: resourceGroup)
        guard let a = ns.alias, a.name.lowercased() == alias.lowercased() else {
            throw CloudError.notFound(
                "NotFound",
                "The requested resource \(alias) does not exist. CorrelationId: \(UUID().uuidString.lowercased())")
        }
        return (ns, a)
    }

    /// Run on the primary: both become independent; the former secondary keeps its entities.
    public mutating func breakServiceBusPairing(namespace: String, resourceGroup: String, alias: String) throws {
        var (p, a) = try serviceBusAlias(namespace: namespace, resourceGroup: resourceGroup, alias: alias)
        guard a.role == "Primary" else {
            throw CloudError.badRequest(
                "BadRequest",
                "Break pairing runs on the primary namespace; '\(p.name)' is \(a.role) for alias '\(a.name)'. "
                    + "CorrelationId: \(correlationID())"
            )
        }
        if var s = serviceBusNamespaces[a.partner.lowercased()] {
            s.alias = nil
            if !s.formerPrimaries.contains(p.name.lowercased()) { s.formerPrimaries.append(p.name.lowercased()) }
            serviceBusNamespaces[s.name.lowercased()] = s
        }
        p.alias = GeoDRAlias(
            name: a.name, role: "PrimaryNotReplicating", partner: "", alternateName: a.alternateName,
            settledAt: now.addingTimeInterval(settings.serviceBusGeoDRSettleSeconds))
        serviceBusNamespaces[p.name.lowercased()] = p
    }

    /// Run on the secondary: it becomes the primary (not replicating); the old primary is left
    /// standalone. There is no failback.
    public mutating func failOverServiceBusAlias(namespace: String, resourceGroup: String, alias: String) throws {
        var (s, a) = try serviceBusAlias(namespace: namespace, resourceGroup: resourceGroup, alias: alias)
        guard a.role == "Secondary" else {
            throw CloudError.badRequest(
                "BadRequest",
                "Fail-over runs on the secondary namespace; '\(s.name)' is \(a.role) for alias '\(a.name)'. "
                    + "CorrelationId: \(correlationID())"
            )
        }
        serviceBusNamespaces[a.partner.lowercased()]?.alias = nil
        s.alias = GeoDRAlias(
            name: a.name, role: "PrimaryNotReplicating", partner: "", alternateName: a.alternateName,
            settledAt: now.addingTimeInterval(settings.serviceBusGeoDRSettleSeconds))
        serviceBusNamespaces[s.name.lowercased()] = s
    }

    public mutating func deleteServiceBusAlias(namespace: String, resourceGroup: String, alias: String) throws {
        let (ns, a) = try serviceBusAlias(namespace: namespace, resourceGroup: resourceGroup, alias: alias)
        guard a.partner.isEmpty else {
            throw CloudError.badRequest(
                "BadRequest",
                "The alias '\(a.name)' still pairs '\(ns.name)' with '\(a.partner)': break the pairing before "
                    + "deleting it. CorrelationId: \(correlationID())"
            )
        }
        serviceBusNamespaces[ns.name.lowercased()]!.alias = nil
    }
}
