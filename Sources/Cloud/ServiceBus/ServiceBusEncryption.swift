import Foundation

/// Customer-managed keys on a Premium namespace: `encryption add | remove` and the key poll.
/// Every use of a key goes through the one access path as the namespace's encryption identity.
extension World {
    /// The principal a key entry is used with: its user-assigned identity, else the namespace's
    /// system-assigned one. Nil when that identity is gone (the service cannot authenticate).
    func serviceBusCaller(_ ns: ServiceBusNamespace, _ entry: KeyVaultProperty) -> Caller? {
        if let uai = entry.userAssignedIdentity {
            guard ns.userAssignedIdentities.contains(where: { $0.lowercased() == uai.lowercased() }),
                let i = try? userAssignedIdentity(byID: uai)
            else { return nil }
            return Caller(
                objectId: i.principalId, name: "\(ns.name) (Service Bus namespace, identity \(i.name))",
                isTrustedService: true)
        }
        return ns.systemPrincipalId.map {
            Caller(objectId: $0, name: "\(ns.name) (Service Bus namespace)", isTrustedService: true)
        }
    }

    static func wrapSlot(_ vault: String, _ key: String, _ version: String) -> String {
        "\(vault.lowercased())/\(key.lowercased())/\(version.lowercased())"
    }

    /// One key entry, as the service polls it: read the key (the newest version when the entry
    /// has none), recover the data key if it is not in memory, wrap it with that version and
    /// unwrap the result. Returns the data key, the version and the new wrapped form.
    mutating func probeServiceBusKey(
        _ ns: ServiceBusNamespace, _ entry: KeyVaultProperty, dataKey known: Data?
    ) throws -> (Data, String, Data) {
        guard let vault = entry.vaultName else {
            throw CloudError.badRequest(
                "BadRequest", "'\(entry.keyVaultUri)' is not a Key Vault URI (https://{vault}.vault.azure.net).")
        }
        guard let caller = serviceBusCaller(ns, entry) else {
            throw CloudError(
                "Unauthorized",
                "The namespace '\(ns.name)' has no "
                    + (entry.userAssignedIdentity.map { "user-assigned identity '\($0)'" }
                        ?? "system-assigned identity")
                    + " to reach Key Vault with.",
                status: 401, innerCode: "IdentityNotFound")
        }
        let (_, _, kv) = try getKey(
            vault: vault, name: entry.keyName, version: entry.keyVersion.isEmpty ? nil : entry.keyVersion,
            caller: caller)
        var dataKey = known
        if dataKey == nil {
            // Any version of this key the data key was wrapped with can unwrap it.
            let slots =
                ns.encryption?.wrappedDataKeys.filter {
                    $0.key.hasPrefix("\(vault.lowercased())/\(entry.keyName.lowercased())/")
                } ?? [:]
            for (slot, wrapped) in slots.sorted(by: { $0.key < $1.key }) {
                let version = String(slot.split(separator: "/").last!)
                if let d = try? unwrapDataKey(
                    wrapped, vault: vault, key: entry.keyName, version: version, caller: caller)
                {
                    dataKey = d
                    break
                }
            }
        }
        guard let dataKey else {
            throw CloudError(
                "Forbidden",
                "The data key of '\(ns.name)' was never wrapped with the key '\(entry.keyName)', so that key cannot "
                    + "unwrap it.",
                status: 403, innerCode: "DataKeyNotWrapped")
        }
        return (
            dataKey, kv.version,
            try wrapDataKey(dataKey, vault: vault, key: entry.keyName, version: kv.version, caller: caller)
        )
    }

    /// `encryption add` (and create with `--encryption-config`): merges the new entries with the
    /// existing ones, as az does. Nothing changes unless every rule holds and every new key
    /// answers the namespace's identity.
    @discardableResult
    public mutating func addServiceBusEncryption(
        namespace: String, resourceGroup: String, keys new: [KeyVaultProperty], requireInfrastructureEncryption: Bool?
    ) throws -> ServiceBusNamespace {
        var ns = try serviceBusNamespace(namespace, resourceGroup: resourceGroup)
        try ServiceBusRules.requireNotSecondary(ns, correlation: correlationID())
        guard ns.sku == "Premium" else {
            throw CloudError.badRequest(
                "BadRequest",
                "Customer-managed key encryption is available only for Premium namespaces; '\(ns.name)' is \(ns.sku).")
        }
        if let a = ns.alias, !a.partner.isEmpty {
            throw CloudError.badRequest(
                "BadRequest",
                "Encryption cannot be enabled on '\(ns.name)' while it is paired (geo-DR alias '\(a.name)'): break "
                    + "the pairing, enable encryption, then pair again."
            )
        }
        let first = ns.encryption == nil
        if first, !ns.queues.isEmpty {
            throw CloudError.badRequest(
                "BadRequest",
                "Customer-managed key encryption can be enabled only on an empty namespace; '\(ns.name)' has "
                    + "\(ns.queues.count) queue(s) or topic(s)."
            )
        }
        if !first, let infra = requireInfrastructureEncryption, infra != ns.encryption!.requireInfrastructureEncryption
        {
            throw CloudError.badRequest(
                "BadRequest",
                "Infrastructure encryption is set when customer-managed key encryption is first enabled and cannot "
                    + "be changed afterwards."
            )
        }
        var merged = ns.encryption?.keys ?? []
        for k in new {
            guard !merged.contains(where: { $0.id == k.id }) else {
                throw CloudError.badRequest(
                    "BadRequest",
                    "The key '\(k.keyName)' of "
                        + "'\(k.keyVaultUri)'\(k.keyVersion.isEmpty ? "" : " version \(k.keyVersion)") is already in "
                        + "the namespace's encryption configuration."
                )
            }
            merged.append(k)
        }
        guard merged.count <= 3 else {
            throw CloudError.badRequest(
                "BadRequest", "A namespace can use at most 3 customer-managed keys; this would make \(merged.count).")
        }
        guard Set(merged.map { $0.userAssignedIdentity?.lowercased() ?? "" }).count == 1 else {
            throw CloudError.badRequest(
                "BadRequest",
                "All keys of a namespace must use the same identity: the configuration mixes "
                    + Set(merged.map { $0.userAssignedIdentity ?? "the system-assigned identity" }).sorted()
                    .joined(separator: " and ") + "."
            )
        }
        for k in new {
            if let vault = k.vaultName.flatMap({ vaults[$0.lowercased()] }), !vault.purgeProtected {
                throw CloudError.badRequest(
                    "BadRequest",
                    "The key vault '\(vault.name)' must have soft delete and purge protection enabled to hold a "
                        + "namespace's customer-managed key. Enable it with 'az keyvault update --name \(vault.name) "
                        + "--enable-purge-protection true'."
                )
            }
        }
        // With no key reachable the data key is not in memory; a new entry for a key that wrapped
        // it before (say, a newer version of an expired pinned key) can still unwrap it.
        var dataKey = ns.activeDataKey
        var encryption =
            ns.encryption
            ?? NamespaceEncryption(
                keys: [], requireInfrastructureEncryption: requireInfrastructureEncryption ?? false,
                wrappedDataKeys: [:], lastReachable: [:])
        for k in new {
            do {
                let (d, version, wrapped) = try probeServiceBusKey(ns, k, dataKey: dataKey)
                dataKey = d
                encryption.wrappedDataKeys[World.wrapSlot(k.vaultName!, k.keyName, version)] = wrapped
                encryption.lastReachable[k.id] = now
            } catch let e as CloudError {
                throw CloudError(
                    "BadRequest",
                    "The namespace '\(ns.name)' cannot use the key '\(k.keyName)' in \(k.keyVaultUri): \(e.message) "
                        + "Grant its identity get, wrapKey and unwrapKey on the vault, and check the key is enabled "
                        + "and current.",
                    status: 400, innerCode: e.innerCode ?? e.code)
            }
        }
        encryption.keys = merged
        ns.encryption = encryption
        ns.activeDataKey = dataKey
        ns.updatedAt = now
        serviceBusNamespaces[namespace.lowercased()] = ns
        scheduler.cancel(.serviceBusKeyPoll(namespace: ns.name.lowercased()))
        scheduler.schedule(
            .serviceBusKeyPoll(namespace: ns.name.lowercased()),
            at: now.addingTimeInterval(settings.serviceBusKeyPollSeconds))
        return ns
    }

    /// `encryption remove`: entries must match exactly; the last one cannot go (Azure: encryption
    /// with a customer-managed key is a one-time setup).
    @discardableResult
    public mutating func removeServiceBusEncryption(
        namespace: String, resourceGroup: String, keys: [KeyVaultProperty]
    ) throws -> ServiceBusNamespace {
        var ns = try serviceBusNamespace(namespace, resourceGroup: resourceGroup)
        try ServiceBusRules.requireNotSecondary(ns, correlation: correlationID())
        guard var encryption = ns.encryption else {
            throw CloudError.badRequest(
                "BadRequest", "The namespace '\(ns.name)' has no customer-managed key encryption to remove keys from.")
        }
        for k in keys {
            guard let i = encryption.keys.firstIndex(where: { $0.id == k.id }) else {
                throw CloudError.badRequest(
                    "BadRequest",
                    "The key '\(k.keyName)' of "
                        + "'\(k.keyVaultUri)'\(k.keyVersion.isEmpty ? "" : " version \(k.keyVersion)") is not in the "
                        + "namespace's encryption configuration (entries must match exactly)."
                )
            }
            encryption.keys.remove(at: i)
        }
        guard !encryption.keys.isEmpty else {
            throw CloudError.badRequest(
                "BadRequest",
                "Customer-managed key encryption cannot be turned off once enabled: at least one key must remain. To "
                    + "go back to Microsoft-managed keys, delete and recreate the namespace."
            )
        }
        ns.encryption = encryption
        ns.updatedAt = now
        serviceBusNamespaces[namespace.lowercased()] = ns
        return ns
    }

    /// The poll: each entry is probed; an entry that fails stays usable until its cache runs out
    /// (`serviceBusKeyCacheSeconds` after its last success). With no usable entry the data key
    /// leaves memory and messages cannot be sent or received, but every message stays stored,
    /// sealed; when a key answers again the next poll brings the data key back, by itself.
    mutating func pollServiceBusKeys(_ name: String) {
        guard var ns = serviceBusNamespaces[name], let keys = ns.encryption?.keys else { return }
        var dataKey = ns.activeDataKey
        var usable = false
        for entry in keys {
            if let (d, version, wrapped) = probeServiceBusEntry(&ns, entry, dataKey: dataKey) {
                dataKey = d
                if let wrapped {
                    ns.encryption!.wrappedDataKeys[World.wrapSlot(entry.vaultName!, entry.keyName, version)] = wrapped
                }
                ns.encryption!.lastReachable[entry.id] = now
                usable = true
            } else if let last = ns.encryption!.lastReachable[entry.id],
                now < last.addingTimeInterval(settings.serviceBusKeyCacheSeconds)
            {
                usable = true
            }
        }
        ns.activeDataKey = usable ? dataKey : nil
        serviceBusNamespaces[name] = ns
        scheduler.schedule(
            .serviceBusKeyPoll(namespace: name), at: now.addingTimeInterval(settings.serviceBusKeyPollSeconds))
    }

    /// What a probe's course depends on besides the access path's inputs: whether the data key is
    /// in memory, and if not, which wrapped forms of it the entry's key could unwrap.
    func serviceBusProbeContext(_ ns: ServiceBusNamespace, _ entry: KeyVaultProperty, known: Bool) -> [String] {
        guard !known, let vault = entry.vaultName else { return ["data key in memory"] }
        let prefix = "\(vault.lowercased())/\(entry.keyName.lowercased())/"
        return ["data key not in memory"]
            + (ns.encryption?.wrappedDataKeys.keys.filter { $0.hasPrefix(prefix) } ?? []).sorted()
    }

    /// One entry's probe, made once per change (`keyCheck`; the memo is kept with the entry).
    /// Returns the data key, the version used and, when the probe ran, the new wrapped form; nil
    /// when the entry failed. A remembered success stands only while the data key is in memory:
    /// only the probe itself can recover it.
    mutating func probeServiceBusEntry(
        _ ns: inout ServiceBusNamespace, _ entry: KeyVaultProperty, dataKey: Data?
    ) -> (Data, String, Data?)? {
        guard let vault = entry.vaultName, let caller = serviceBusCaller(ns, entry) else { return nil }
        var memos = ns.encryption?.checkMemos ?? [:]
        var memo = memos[entry.id]
        if dataKey == nil, memo?.succeeded == true { memo = nil }
        var probed: (Data, String, Data)?
        let snapshot = ns
        let outcome = keyCheck(
            memo: &memo, vault: vault, key: entry.keyName, caller: caller,
            context: serviceBusProbeContext(ns, entry, known: dataKey != nil)
        ) { world in
            let p = try world.probeServiceBusKey(snapshot, entry, dataKey: dataKey)
            probed = p
            return p.1
        }
        memos[entry.id] = memo
        ns.encryption?.checkMemos = memos.isEmpty ? nil : memos
        guard outcome.succeeded else { return nil }
        if let probed { return probed }
        return (dataKey!, outcome.version!, nil)
    }

    /// Whether the namespace's next polls would go as the last did, with nothing changed: until
    /// when (also before a failing entry's cache runs out, which changes what is usable), and how
    /// to take them (their audit records, and the entries that passed reached at the last one).
    func serviceBusKeyPollRepeats(
        _ name: String
    ) -> (limit: Date?, apply: (inout World, Date, Int, Date) -> Void)? {
        guard let ns = serviceBusNamespaces[name], let encryption = ns.encryption else { return nil }
        let known = ns.activeDataKey != nil
        var limit: Date?
        var passing = [String]()
        var records = [AuditRecord]()
        for entry in encryption.keys {
            var failing = true
            if let vault = entry.vaultName, let caller = serviceBusCaller(ns, entry) {
                guard let memo = encryption.checkMemos?[entry.id], !memo.succeeded || known,
                    keyCheckHolds(
                        memo, vault: vault, key: entry.keyName, caller: caller,
                        context: serviceBusProbeContext(ns, entry, known: known))
                else { return nil }
                limit = [limit, memo.validUntil].compactMap { $0 }.min()
                records += memo.records
                failing = !memo.succeeded
            }
            if !failing {
                passing.append(entry.id)
            } else if let last = encryption.lastReachable[entry.id] {
                let expiry = last.addingTimeInterval(settings.serviceBusKeyCacheSeconds)
                if expiry > now { limit = [limit, expiry].compactMap { $0 }.min() }
            }
        }
        return (
            limit,
            { world, first, times, last in
                for r in records { world.audit.record(r.at(first), times: times, last: last, coalescing: true) }
                for id in passing { world.serviceBusNamespaces[name]!.encryption!.lastReachable[id] = last }
            }
        )
    }
}
