import Foundation

/// Data encryption with a customer-managed key: setting and revalidating the key, the periodic key
/// check, and going back to a service-managed key. Every use of the key goes through the one
/// access path (`accessKey`) as the server's identity.
extension World {
    /// az's client-side check, which the portal makes too: a versioned Key Vault key id.
    public static let invalidKeyIdMessage =
        "The provided uri is invalid. Please provide a valid Azure Key Vault key id. For example: "
        + "\"https://YourVaultName.vault.azure.net/keys/YourKeyName/01234567890123456789012345678901\" or "
        + "\"https://YourManagedHsmRegion.YourManagedHsmName.managedhsm.azure.net/keys/YourKeyName/"
        + "01234567890123456789012345678901\""

    func postgresCaller(_ s: PostgresServer) -> Caller? {
        s.principalId.map { Caller(objectId: $0, name: "\(s.name) (PostgreSQL server)", isTrustedService: true) }
    }

    /// `az postgres server key create`: enables data encryption, changes the key, or revalidates
    /// the key of an inaccessible server. Nothing changes unless every requirement holds.
    @discardableResult
    public mutating func setPostgresServerKey(
        name: String, resourceGroup: String, kid: String
    ) throws -> (PostgresServer, ServerKey) {
        guard let id = KeyIdentifier.parse(kid), let version = id.version else {
            throw CloudError.badRequest("InvalidKeyIdentifier", World.invalidKeyIdMessage)
        }
        var s = try postgresServer(name, resourceGroup: resourceGroup)
        guard s.sku.tier != "Basic" else {
            throw CloudError.badRequest(
                "FeatureNotSupportedForBasicTier",
                "Data encryption with a customer-managed key is available only in the General Purpose and Memory "
                    + "Optimized pricing tiers; the server '\(s.name)' is Basic."
            )
        }
        guard let caller = postgresCaller(s) else {
            throw CloudError.badRequest(
                "ServerIdentityNotFound",
                "The server '\(s.name)' has no managed identity to reach Azure Key Vault with. Assign one with 'az "
                    + "postgres server update --name \(s.name) --resource-group \(s.resourceGroup) "
                    + "--assign-identity', then grant it get, wrapKey and unwrapKey on the vault."
            )
        }
        if let v = vaults[id.vault.lowercased()] { try PostgresKeyRequirements.checkVault(v, server: s) }
        let (dataKey, wrapped) = try withServerKeyErrors(s, caller) { world in
            let (_, _, kv) = try world.getKey(vault: id.vault, name: id.name, version: version, caller: caller)
            try PostgresKeyRequirements.checkKey(kv, kid: kid)
            let dataKey = try s.encryption.activeDataKey ?? world.unwrapServerDataKey(s.encryption, caller)
            return (
                dataKey, try world.wrapDataKey(dataKey, vault: id.vault, key: id.name, version: version, caller: caller)
            )
        }
        let uri = "https://\(id.vault.lowercased()).vault.azure.net/keys/\(id.name)/\(version)"
        let previous = s.encryption.serverKey
        let key = ServerKey(
            uri: uri, vault: id.vault.lowercased(), key: id.name, version: version,
            creationDate: previous?.uri == uri ? previous!.creationDate : now)
        s.encryption = ServerEncryption(activeDataKey: dataKey, serverKey: key, wrappedDataKey: wrapped)
        s.userVisibleState = "Ready"
        postgresServers[s.name.lowercased()] = s
        scheduler.cancel(.postgresKeyCheck(server: s.name.lowercased()))
        scheduler.schedule(
            .postgresKeyCheck(server: s.name.lowercased()), at: now.addingTimeInterval(settings.postgresKeyCheckSeconds)
        )
        return (s, key)
    }

    mutating func unwrapServerDataKey(_ e: ServerEncryption, _ caller: Caller) throws -> Data {
        guard let key = e.serverKey, let wrapped = e.wrappedDataKey else {
            throw CloudError(
                "InternalServerError", "The server holds neither a data key nor a wrapped one.", status: 500)
        }
        return try unwrapDataKey(wrapped, vault: key.vault, key: key.key, version: key.version, caller: caller)
    }

    /// Key Vault's refusals as the PostgreSQL service reports them.
    mutating func withServerKeyErrors<T>(
        _ s: PostgresServer, _ caller: Caller, _ body: (inout World) throws -> T
    ) throws -> T {
        do {
            return try body(&self)
        } catch let e as CloudError {
            throw PostgresKeyRequirements.serviceError(e, server: s, principal: caller.objectId)
        }
    }

    public func postgresServerKeys(name: String, resourceGroup: String) throws -> [ServerKey] {
        try postgresServer(name, resourceGroup: resourceGroup).encryption.serverKey.map { [$0] } ?? []
    }

    public func postgresServerKey(name: String, resourceGroup: String, kid: String) throws -> ServerKey {
        let s = try postgresServer(name, resourceGroup: resourceGroup)
        guard let key = s.encryption.serverKey, let id = KeyIdentifier.parse(kid), let version = id.version,
            key.name.lowercased() == "\(id.vault)_\(id.name)_\(version)".lowercased()
        else {
            throw CloudError.notFound(
                "ResourceNotFound",
                "The Resource 'Microsoft.DBforPostgreSQL/servers/\(s.name)/keys/"
                    + (KeyIdentifier.parse(kid).map { "\($0.vault)_\($0.name)_\($0.version ?? "")" } ?? kid)
                    + "' under resource group '\(s.resourceGroup)' was not found. For more details please go to "
                    + "https://aka.ms/ARMResourceNotFoundFix"
            )
        }
        return key
    }

    /// `az postgres server key delete`: back to a service-managed key. Refused while the server is
    /// inaccessible (Azure: no switch back to a service-managed key then).
    public mutating func deletePostgresServerKey(name: String, resourceGroup: String, kid: String) throws {
        var s = try postgresServer(name, resourceGroup: resourceGroup)
        _ = try postgresServerKey(name: name, resourceGroup: resourceGroup, kid: kid)
        guard s.userVisibleState != "Inaccessible", let dataKey = s.encryption.activeDataKey else {
            throw CloudError.badRequest(
                "ServerInaccessible",
                "The server '\(s.name)' is inaccessible: it cannot switch from a customer-managed key to a "
                    + "service-managed key. Restore access to the key and revalidate it first."
            )
        }
        s.encryption = ServerEncryption(activeDataKey: dataKey, serverKey: nil, wrappedDataKey: nil)
        postgresServers[s.name.lowercased()] = s
        scheduler.cancel(.postgresKeyCheck(server: s.name.lowercased()))
    }

    /// The periodic check: the server reads its key and wraps and unwraps its data key with it.
    /// Any refusal makes it Inaccessible and drops the data key from memory; it does not come
    /// back by itself. A check whose inputs did not change since the last has its outcome.
    mutating func runPostgresKeyCheck(_ serverName: String) {
        guard var s = postgresServers[serverName], s.userVisibleState == "Ready", let key = s.encryption.serverKey,
            let dataKey = s.encryption.activeDataKey
        else { return }
        var passed = false
        if let caller = postgresCaller(s) {
            passed =
                keyCheck(memo: &s.keyCheckMemo, vault: key.vault, key: key.key, caller: caller) { world in
                    _ = try world.getKey(vault: key.vault, name: key.key, version: key.version, caller: caller)
                    _ = try world.wrapDataKey(
                        dataKey, vault: key.vault, key: key.key, version: key.version, caller: caller)
                    return key.version
                }.succeeded
        }
        if passed {
            scheduler.schedule(
                .postgresKeyCheck(server: serverName), at: now.addingTimeInterval(settings.postgresKeyCheckSeconds))
        } else {
            s.userVisibleState = "Inaccessible"
            s.encryption.activeDataKey = nil
        }
        postgresServers[serverName] = s
    }

    /// Whether the server's next checks would pass as the last did, with nothing changed: until
    /// when, and how to take them (their audit records; the server itself stays as it is).
    func postgresKeyCheckRepeats(
        _ serverName: String
    ) -> (limit: Date?, apply: (inout World, Date, Int, Date) -> Void)? {
        guard let s = postgresServers[serverName], s.userVisibleState == "Ready", let key = s.encryption.serverKey,
            let caller = postgresCaller(s), let memo = s.keyCheckMemo, memo.succeeded,
            keyCheckHolds(memo, vault: key.vault, key: key.key, caller: caller, context: [])
        else { return nil }
        return (
            memo.validUntil,
            { world, first, times, last in
                for r in memo.records { world.audit.record(r.at(first), times: times, last: last, coalescing: true) }
            }
        )
    }

    /// The portal's Data encryption > Save. Unlike the CLI it first gives the server an identity
    /// if it has none, and that identity stays even when the save then fails (the seed: "the
    /// first attempt fails and registers the principal").
    @discardableResult
    public mutating func portalSavePostgresDataEncryption(
        name: String, resourceGroup: String, kid: String
    ) throws -> PostgresServer {
        guard KeyIdentifier.parse(kid)?.version != nil else {
            throw CloudError.badRequest("InvalidKeyIdentifier", World.invalidKeyIdMessage)
        }
        let created = try ensurePostgresIdentity(name: name, resourceGroup: resourceGroup)
        do {
            return try setPostgresServerKey(name: name, resourceGroup: resourceGroup, kid: kid).0
        } catch let e as CloudError where created {
            throw CommittedFailure(error: e)
        }
    }

    /// The portal's Data encryption > Revalidate key, for the key the server already has.
    @discardableResult
    public mutating func portalRevalidatePostgresKey(name: String, resourceGroup: String) throws -> PostgresServer {
        let s = try postgresServer(name, resourceGroup: resourceGroup)
        guard let key = s.encryption.serverKey else {
            throw CloudError.badRequest(
                "DataEncryptionNotEnabled",
                "The server '\(s.name)' uses a service-managed key: there is no customer-managed key to revalidate.")
        }
        let created = try ensurePostgresIdentity(name: name, resourceGroup: resourceGroup)
        do {
            return try setPostgresServerKey(name: name, resourceGroup: resourceGroup, kid: key.uri).0
        } catch let e as CloudError where created {
            throw CommittedFailure(error: e)
        }
    }

    /// Whether a new identity was created.
    mutating func ensurePostgresIdentity(name: String, resourceGroup: String) throws -> Bool {
        let s = try postgresServer(name, resourceGroup: resourceGroup)
        guard s.principalId == nil else { return false }
        var u = PostgresServerUpdate()
        u.assignIdentity = true
        try updatePostgresServer(name: name, resourceGroup: resourceGroup, update: u)
        return true
    }
}

/// A request that failed but still changed something, as the portal's data-encryption save does
/// when it registers a server's identity: the changes are kept and the error reported.
public struct CommittedFailure: Error, Sendable {
    public let error: CloudError
}
