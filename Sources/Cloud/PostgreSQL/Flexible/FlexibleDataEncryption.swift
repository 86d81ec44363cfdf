import Foundation

/// Data encryption with customer-managed keys on a Flexible Server: setting a key with its
/// identity, and the periodic revalidation that makes the server Inaccessible when a key it
/// points to cannot be used and Ready again, by itself, once it can. Every use of a key goes
/// through the one access path as the identity the key is set with.
extension World {
    /// The identity a key is used with, as the server resolved it when it was assigned. Nil when
    /// that principal no longer exists: the identity was deleted (even if another was created
    /// since with the same name, which is a new principal).
    func flexibleCaller(_ s: FlexibleServer, identityId: String) -> Caller? {
        guard let a = s.identities.first(where: { $0.id.lowercased() == identityId.lowercased() }),
            let i = try? userAssignedIdentity(byID: identityId), i.principalId == a.principalId
        else { return nil }
        return Caller(
            objectId: a.principalId, name: "\(s.name) (PostgreSQL flexible server, identity \(i.name))",
            isTrustedService: true)
    }

    /// Checks a key and identity for `s` and wraps its data key with it: what create, update and
    /// the copies do before anything is stored. `s` lists the identity already.
    mutating func prepareFlexibleKeySlot(
        _ s: FlexibleServer, kid: String, identityId: String, role: FlexibleKeyRequirements.Role, dataKey: Data
    ) throws -> FlexibleKeySlot {
        guard let caller = flexibleCaller(s, identityId: identityId) else {
            throw FlexibleKeyRequirements.identityNotFound(identityId)
        }
        guard let id = KeyIdentifier.parse(kid) else {
            throw FlexibleKeyRequirements.keyNameNotFound(kid)
        }
        if let v = vaults[id.vault.lowercased()] { try FlexibleKeyRequirements.checkVault(v, server: s, role: role) }
        do {
            let (_, _, kv) = try getKey(vault: id.vault, name: id.name, version: id.version, caller: caller)
            try FlexibleKeyRequirements.checkKey(kv, kid: kid)
            _ = try listKeyVersions(vault: id.vault, name: id.name, caller: caller)
            let wrapped = try wrapDataKey(dataKey, vault: id.vault, key: id.name, version: kv.version, caller: caller)
            return FlexibleKeySlot(
                keyUri: kid, identityId: identityId, status: EncryptionKeyStatus.valid, wrappedVersion: kv.version,
                wrappedDataKey: wrapped)
        } catch let e as CloudError {
            throw FlexibleKeyRequirements.serviceError(e, kid: kid)
        }
    }

    /// One key's check: read it (the pinned version, or the current one for a versionless key),
    /// list its versions, and wrap the data key with that version; when the data key is not in
    /// memory, it is first unwrapped from the version it is wrapped with (which must still be
    /// usable). The wrap is made either way, so the outcome is the key's validity as the service
    /// sees it, not what the server happens to hold: an expired or not-yet-valid key (which Key
    /// Vault still lets unwrap) keeps the server Inaccessible rather than letting it back in at
    /// every other check. Returns the data key on success.
    mutating func checkFlexibleKeySlot(_ s: FlexibleServer, _ slot: inout FlexibleKeySlot, known: Data?) -> Data? {
        guard let id = slot.keyID, let caller = flexibleCaller(s, identityId: slot.identityId) else {
            slot.status = EncryptionKeyStatus.invalid
            slot.memo = nil
            return nil
        }
        // A replayed success gives no data key: recovering one needs the real unwrap.
        if known == nil, slot.memo?.succeeded == true { slot.memo = nil }
        var dataKey = known
        var rewrapped: (String, Data)?
        let current = slot
        let outcome = keyCheck(
            memo: &slot.memo, vault: id.vault, key: id.name, caller: caller,
            context: flexibleCheckContext(slot, known: known != nil)
        ) { world in
            let (_, _, kv) = try world.getKey(vault: id.vault, name: id.name, version: id.version, caller: caller)
            _ = try world.listKeyVersions(vault: id.vault, name: id.name, caller: caller)
            if let d = dataKey {
                let w = try world.wrapDataKey(d, vault: id.vault, key: id.name, version: kv.version, caller: caller)
                if kv.version != current.wrappedVersion { rewrapped = (kv.version, w) }
            } else {
                let d = try world.unwrapDataKey(
                    current.wrappedDataKey, vault: id.vault, key: id.name, version: current.wrappedVersion,
                    caller: caller)
                let w = try world.wrapDataKey(d, vault: id.vault, key: id.name, version: kv.version, caller: caller)
                dataKey = d
                if kv.version != current.wrappedVersion { rewrapped = (kv.version, w) }
            }
            return kv.version
        }
        slot.status = outcome.succeeded ? EncryptionKeyStatus.valid : EncryptionKeyStatus.invalid
        if let (version, wrapped) = rewrapped {
            slot.wrappedVersion = version
            slot.wrappedDataKey = wrapped
        }
        return outcome.succeeded ? dataKey : nil
    }

    func flexibleCheckContext(_ slot: FlexibleKeySlot, known: Bool) -> [String] {
        [known ? "data key in memory" : "data key wrapped only", slot.wrappedVersion]
    }

    /// The periodic revalidation: every key the server points to is checked; any that fails makes
    /// the server Inaccessible (its data key dropped from memory, connections denied), and when
    /// all pass again it is Ready with its data. A stopped server has no compute to check with.
    mutating func runFlexibleKeyCheck(_ serverName: String) {
        guard var s = flexibleServers[serverName], var encryption = s.dataEncryption,
            s.state != FlexibleServerState.stopped
        else { return }
        defer {
            scheduler.schedule(
                .flexibleServerKeyCheck(server: serverName),
                at: now.addingTimeInterval(settings.flexibleServerKeyCheckSeconds))
        }
        var dataKey = checkFlexibleKeySlot(s, &encryption.primary, known: s.activeDataKey)
        if var geo = encryption.geoBackup {
            let geoKey = checkFlexibleKeySlot(s, &geo, known: s.activeDataKey ?? dataKey)
            encryption.geoBackup = geo
            dataKey = dataKey ?? geoKey
        }
        let valid = encryption.primary.isValid && encryption.geoBackup.map(\.isValid) ?? true
        s.dataEncryption = encryption
        s.state = valid ? FlexibleServerState.ready : FlexibleServerState.inaccessible
        s.activeDataKey = valid ? dataKey : nil
        flexibleServers[serverName] = s
    }

    /// Whether the server's next checks would go as the last did, with nothing changed: until
    /// when, and how to take them (their audit records; the server stays as it is).
    func flexibleKeyCheckRepeats(
        _ serverName: String
    ) -> (limit: Date?, apply: (inout World, Date, Int, Date) -> Void)? {
        guard let s = flexibleServers[serverName], let encryption = s.dataEncryption,
            s.state != FlexibleServerState.stopped
        else { return nil }
        let known = s.activeDataKey != nil
        var limit: Date?
        var records = [AuditRecord]()
        for slot in [encryption.primary] + (encryption.geoBackup.map { [$0] } ?? []) {
            guard let id = slot.keyID, let caller = flexibleCaller(s, identityId: slot.identityId),
                let memo = slot.memo, !memo.succeeded || known,
                memo.succeeded == slot.isValid,
                keyCheckHolds(
                    memo, vault: id.vault, key: id.name, caller: caller,
                    context: flexibleCheckContext(slot, known: known))
            else { return nil }
            limit = [limit, memo.validUntil].compactMap { $0 }.min()
            records += memo.records
        }
        return (
            limit,
            { world, first, times, last in
                for r in records { world.audit.record(r.at(first), times: times, last: last, coalescing: true) }
            }
        )
    }

    /// The data key from a slot's wrapped form, unwrapped as `identityId` (the slot's own
    /// identity unless another is given): what a copy reads its source's backup with, and what
    /// an update of an Inaccessible server to another identity needs.
    mutating func unwrapFlexibleSlot(
        _ s: FlexibleServer, _ slot: FlexibleKeySlot, as identityId: String? = nil
    ) throws -> Data {
        let identity = identityId ?? slot.identityId
        guard let caller = flexibleCaller(s, identityId: identity) else {
            throw FlexibleKeyRequirements.identityNotFound(identity)
        }
        guard let id = slot.keyID else {
            throw FlexibleKeyRequirements.keyNameNotFound(slot.keyUri)
        }
        do {
            return try unwrapDataKey(
                slot.wrappedDataKey, vault: id.vault, key: id.name, version: slot.wrappedVersion, caller: caller)
        } catch let e as CloudError {
            throw FlexibleKeyRequirements.serviceError(e, kid: slot.keyUri)
        }
    }

    /// Starts the periodic revalidation (again) from now.
    mutating func scheduleFlexibleKeyCheck(_ s: FlexibleServer) {
        let key = s.name.lowercased()
        scheduler.cancel(.flexibleServerKeyCheck(server: key))
        guard s.isCustomerManaged else { return }
        scheduler.schedule(
            .flexibleServerKeyCheck(server: key), at: now.addingTimeInterval(settings.flexibleServerKeyCheckSeconds))
    }
}
