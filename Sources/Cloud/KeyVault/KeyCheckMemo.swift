import Foundation

/// Everything the one access path reads to answer a caller about one key, apart from the clock:
/// the vault's firewall and authorization mode, the caller's access policy or role assignments
/// there, and every version's attributes. Two equal values give the same answer to the same
/// operation at any instant before `nextChange(after:)`. Key material is not copied: a version's
/// material never changes, so its id stands for it.
public struct KeyAccessInputs: Codable, Sendable, Equatable {
    struct VersionView: Codable, Sendable, Equatable {
        let version: String
        let kty: String
        let keyOps: [String]
        let enabled: Bool
        let notBefore: Date?
        let expires: Date?
    }

    struct VaultView: Codable, Sendable, Equatable {
        let name: String
        let location: String
        let resourceGroup: String
        let enableRbacAuthorization: Bool
        let publicNetworkAccess: String
        let networkAcls: NetworkAcls?
        let policies: [AccessPolicy]
        let roleAssignments: [RoleAssignment]
        /// Nil when the key does not exist (or is deleted); versions oldest first.
        let versions: [VersionView]?
    }

    let caller: String
    let callerName: String
    let trusted: Bool
    /// Where the operator connects from, for a caller that is not a trusted service.
    let address: String?
    /// Nil when no vault answers at that name.
    let vault: VaultView?

    /// The first instant after `now` at which the clock alone could change an answer: a version
    /// becoming valid or expiring, a role assignment taking effect. Nil when none is ahead.
    public func nextChange(after now: Date) -> Date? {
        var instants = [Date]()
        for v in vault?.versions ?? [] { instants += [v.notBefore, v.expires].compactMap { $0 } }
        instants += vault?.roleAssignments.map(\.effectiveFrom) ?? []
        return instants.filter { $0 > now }.min()
    }
}

extension World {
    /// The inputs of the access path for `caller` on `key` in `vault` (names as the consumer
    /// holds them).
    public func keyAccessInputs(vault vaultName: String, key keyName: String, caller: Caller) -> KeyAccessInputs {
        let view = vaults[vaultName.lowercased()].map { v -> KeyAccessInputs.VaultView in
            let id = caller.objectId
            let scopes = [vaultID(v), resourceGroupID(v.resourceGroup), subscriptionPath]
            return KeyAccessInputs.VaultView(
                name: v.name, location: v.location, resourceGroup: v.resourceGroup,
                enableRbacAuthorization: v.enableRbacAuthorization, publicNetworkAccess: v.publicNetworkAccess,
                networkAcls: v.networkAcls,
                policies: v.enableRbacAuthorization ? [] : v.accessPolicies(of: id),
                roleAssignments: !v.enableRbacAuthorization
                    ? []
                    : roleAssignments.filter {
                        $0.principalId.equalsIgnoringCase(id) && scopes.contains(where: $0.scope.equalsIgnoringCase)
                    },
                versions: v.keys[keyName.lowercased()]?.versions.map {
                    KeyAccessInputs.VersionView(
                        version: $0.version, kty: $0.kty, keyOps: $0.keyOps, enabled: $0.enabled,
                        notBefore: $0.notBefore, expires: $0.expires)
                })
        }
        return KeyAccessInputs(
            caller: caller.objectId, callerName: caller.name, trusted: caller.isTrustedService,
            address: caller.isTrustedService ? nil : settings.operatorAddress, vault: view)
    }
}

/// The outcome of a consumer's last key check and what it depended on. While the inputs stay
/// equal and the clock has not reached `validUntil`, a check has this outcome: it writes the
/// same audit records (at its own time) and needs no cryptography.
public struct KeyCheckMemo: Codable, Sendable, Equatable {
    public let inputs: KeyAccessInputs
    /// Whatever else the check's course depends on (a consumer's data key in memory, the wrapped
    /// forms it could unwrap): part of the inputs, by the consumer's own description.
    public let context: [String]
    public let succeeded: Bool
    /// The key version the check used, when it found one.
    public let version: String?
    /// The records the check wrote, uncoalesced, in order.
    public let records: [AuditRecord]
    public let validUntil: Date?

    /// Whether a check at `time` with these inputs has this outcome.
    public func holds(for inputs: KeyAccessInputs, context: [String], at time: Date) -> Bool {
        inputs == self.inputs && context == self.context && validUntil.map { time < $0 } ?? true
    }
}

extension World {
    /// A consumer's key check, made once per change: with coalescing on and `memo` holding for
    /// these inputs, the outcome is replayed (its audit records at the current time); otherwise
    /// `check` runs through the access path, and its records and outcome become the new memo.
    /// `check` returns the key version it used; throwing is the check's failure.
    mutating func keyCheck(
        memo: inout KeyCheckMemo?, vault: String, key: String, caller: Caller, context: [String] = [],
        _ check: (inout World) throws -> String?
    ) -> (succeeded: Bool, version: String?) {
        let inputs = keyAccessInputs(vault: vault, key: key, caller: caller)
        if settings.coalesceKeyChecks, let m = memo, m.holds(for: inputs, context: context, at: now) {
            for r in m.records { writeAudit(r.at(now)) }
            return (m.succeeded, m.version)
        }
        let outer = auditTap
        auditTap = []
        var outcome: (Bool, String?)
        do { outcome = (true, try check(&self)) } catch { outcome = (false, nil) }
        let records = auditTap ?? []
        auditTap = outer.map { $0 + records }
        memo =
            settings.coalesceKeyChecks
            ? KeyCheckMemo(
                inputs: inputs, context: context, succeeded: outcome.0, version: outcome.1, records: records,
                validUntil: inputs.nextChange(after: now))
            : nil
        return outcome
    }

    /// Whether the check `memo` describes would have the same outcome now, with nothing run.
    func keyCheckHolds(_ memo: KeyCheckMemo?, vault: String, key: String, caller: Caller, context: [String]) -> Bool {
        guard settings.coalesceKeyChecks, let memo else { return false }
        return memo.holds(for: keyAccessInputs(vault: vault, key: key, caller: caller), context: context, at: now)
    }
}
