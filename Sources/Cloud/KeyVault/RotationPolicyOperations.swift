import Foundation

/// `rotation-policy show | update` and the clock running a policy's lifetime actions.
extension World {
    public mutating func getRotationPolicy(
        vault: String, name: String, caller: Caller
    ) throws -> (Vault, RotationPolicy) {
        try accessKey(vault: vault, key: name, version: nil, operation: .getRotationPolicy, caller: caller) { v, _ in
            ((v, v.keys[name.lowercased()]!.rotationPolicy ?? .serviceDefault), nil)
        }
    }

    public mutating func setRotationPolicy(
        vault: String, name: String, policy: RotationPolicy, caller: Caller
    ) throws -> (Vault, RotationPolicy) {
        let now = self.now
        let result: (Vault, RotationPolicy) = try accessKey(
            vault: vault, key: name, version: nil, operation: .setRotationPolicy, caller: caller
        ) { v, _ in
            try policy.validate()
            var key = v.keys[name.lowercased()]!
            var stored = policy
            stored.createdOn = key.rotationPolicy?.createdOn ?? now
            stored.updatedOn = now
            key.rotationPolicy = stored
            v.keys[name.lowercased()] = key
            return ((v, stored), nil)
        }
        scheduleLifetimeActions(vault: vault, key: name)
        return result
    }

    /// Puts the next due lifetime action of the key's current version on the clock. A due time
    /// already past (a policy set late) runs at the clock's next move, as the service's next
    /// policy check would.
    mutating func scheduleLifetimeActions(vault: String, key: String, afterRun: Bool = false) {
        guard let v = vaults[vault.lowercased()], let k = v.keys[key.lowercased()], let policy = k.rotationPolicy else {
            return
        }
        let pending = policy.lifetimeActions.filter { $0.action == "Rotate" || k.notifiedVersion != k.current.version }
        guard let due = pending.compactMap({ policy.dueTime(of: $0, for: k.current) }).min() else { return }
        // After a run, an action still due means it could not act; waiting for the next change
        // keeps the clock from looping on it.
        if afterRun, due <= now { return }
        scheduler.scheduleOnce(.keyLifetimeActions(vault: v.name, key: k.name), at: max(due, now))
    }

    /// Rotate makes a new version (through the one access path, as Key Vault itself); Notify
    /// records the near-expiry event Key Vault sends to Event Grid, once per version.
    mutating func runLifetimeActions(vault: String, key: String) {
        guard let v = vaults[vault.lowercased()], let k = v.keys[key.lowercased()], let policy = k.rotationPolicy else {
            return
        }
        let due = policy.lifetimeActions.filter { a in policy.dueTime(of: a, for: k.current).map { $0 <= now } ?? false
        }
        if due.contains(where: { $0.action == "Notify" }), k.notifiedVersion != k.current.version {
            vaults[vault.lowercased()]!.keys[key.lowercased()]!.notifiedVersion = k.current.version
            writeAudit(
                AuditRecord(
                    time: now, vault: v.name, key: k.name, version: k.current.version,
                    operation: "KeyNearExpiryEventGridNotification",
                    principal: Caller.keyVaultService.objectId, caller: Caller.keyVaultService.name, result: "Success"))
        }
        if due.contains(where: { $0.action == "Rotate" }) {
            // A refusal (say, a disabled current version) is audited by the access path; the policy
            // tries again at the next due time.
            _ = try? rotateKey(vault: vault, name: key, caller: .keyVaultService)
        }
        scheduleLifetimeActions(vault: vault, key: key, afterRun: true)
    }
}
