import Foundation

/// "Who loses access if this goes?": every consumer that reads a key through a given key, vault
/// or identity, how it reads it, how soon it would notice the loss, what bringing it back takes,
/// and whether its data could be lost for good. Read off the world's configuration; `simulate`
/// answers the same question by doing it to a copy.
public enum LostResource: Sendable, Equatable {
    case key(vault: String, name: String)
    case vault(String)
    /// A user-assigned identity by name, in a resource group when one is given.
    case identity(resourceGroup: String?, name: String)
}

/// One consumer's use of one key: the configuration a loss is matched against.
public struct KeyDependency: Sendable, Equatable {
    public let consumer: String
    public let consumerType: String
    public let relation: String
    /// What the consumer uses the key for.
    public let use: String
    public let keyUri: String
    public let vault: String
    public let key: String
    public let principalId: String?
    /// The user-assigned identity's resource id, nil for a system-assigned one.
    public let identity: String?
}

public struct ImpactEntry: Codable, Sendable, Equatable {
    public let consumer: String
    public let consumerType: String
    public let relation: String
    public let use: String
    public let key: String
    public let principal: String
    /// How the principal reaches the key today: its access policy or role assignments.
    public let access: String
    public let state: String
    /// Whether the consumer loses its data key (a namespace with another usable key does not).
    public let losesAccess: Bool
    public let noticesWithinSeconds: Double
    public let notice: String
    public let recovery: String
    public let dataAtRisk: String
}

extension World {
    /// Every key every consumer depends on.
    public func keyDependencies() -> [KeyDependency] { ConsumerKind.all.flatMap { $0.keyDependencies(self) } }

    func flexibleRelation(_ s: FlexibleServer) -> String {
        if let p = s.primaryServerName { return "replica of \(p)" }
        let source = s.sourceServerResourceId.map(ActivityEvent.shortName)
        switch s.createMode {
        case "PointInTimeRestore": return "restored from \(source ?? "?")"
        case "GeoRestore": return "geo-restored from \(source ?? "?")"
        case "ReviveDropped": return "revived from \(source ?? "a dropped server")"
        case "Replica": return "promoted replica of \(source ?? "?")"
        default: return "server"
        }
    }

    func depends(_ d: KeyDependency, on loss: LostResource) -> Bool {
        switch loss {
        case .key(let vault, let name):
            return d.vault.lowercased() == vault.lowercased() && d.key.lowercased() == name.lowercased()
        case .vault(let vault): return d.vault.lowercased() == vault.lowercased()
        case .identity(let rg, let name):
            guard let id = d.identity?.lowercased() else { return false }
            let parts = id.split(separator: "/").map(String.init)
            guard parts.last == name.lowercased() else { return false }
            return rg.map { r in parts.contains(r.lowercased()) } ?? true
        }
    }

    /// The consumers that would lose access, and how, if `loss` went.
    public func impact(of loss: LostResource) -> [ImpactEntry] {
        let all = keyDependencies()
        let hit = all.filter { depends($0, on: loss) }
        let states = hit.isEmpty ? [:] : observedStates()
        return hit.map { d in
            // A namespace stays usable while any of its keys is reachable.
            let others = all.filter { $0.consumer == d.consumer && $0.keyUri != d.keyUri && !depends($0, on: loss) }
            let loses = d.consumerType != ResourceType.namespace || others.isEmpty
            let vault = vaults[d.vault.lowercased()]
            let state = states[d.consumer]?.state ?? ""
            return ImpactEntry(
                consumer: d.consumer, consumerType: d.consumerType, relation: d.relation, use: d.use, key: d.keyUri,
                principal: principalLabel(d),
                access: vault.map { accessDescription($0, principal: d.principalId) }
                    ?? "vault \(d.vault) not found",
                state: state, losesAccess: loses, noticesWithinSeconds: loses ? detectionWindow(d.consumerType) : 0,
                notice: loses
                    ? noticeDescription(d.consumerType)
                    : "not at all: \(others.map(\.key).joined(separator: ", ")) "
                        + "keeps it usable",
                recovery: recoveryDescription(d, loss), dataAtRisk: dataRisk(vault: vault, loss: loss))
        }
    }

    func principalLabel(_ d: KeyDependency) -> String {
        let who = d.identity.map { "identity \(ActivityEvent.shortName($0))" } ?? "system-assigned identity"
        return d.principalId.map { "\(who) (\($0))" } ?? "\(who) (no principal)"
    }

    /// The grants that let a principal use the vault's keys now.
    func accessDescription(_ v: Vault, principal: String?) -> String {
        guard let principal else { return "none" }
        if v.enableRbacAuthorization {
            let roles = effectiveRoleActions(principal: principal, vault: v).map(\.name)
            return roles.isEmpty ? "none (RBAC vault, no role)" : "RBAC: " + roles.joined(separator: ", ")
        }
        let keys = v.accessPolicies(of: principal).flatMap {
            $0.keys ?? []
        }
        return keys.isEmpty ? "none (no access policy)" : "access policy: " + keys.joined(separator: " ")
    }

    /// The longest a consumer can go on after its key went: its check (or poll) interval, and a
    /// namespace's cache of the key on top.
    public func detectionWindow(_ consumerType: String) -> Double {
        switch consumerType {
        case ResourceType.singleServer: return settings.postgresKeyCheckSeconds
        case ResourceType.flexibleServer: return settings.flexibleServerKeyCheckSeconds
        default: return settings.serviceBusKeyPollSeconds + settings.serviceBusKeyCacheSeconds
        }
    }

    func noticeDescription(_ consumerType: String) -> String {
        let within = "within \(AzDuration.describe(detectionWindow(consumerType)))"
        guard consumerType == ResourceType.namespace else { return within + " (its key check)" }
        return within + " (polls every \(AzDuration.describe(settings.serviceBusKeyPollSeconds)), key cached "
            + "\(AzDuration.describe(settings.serviceBusKeyCacheSeconds)))"
    }

    func recoveryDescription(_ d: KeyDependency, _ loss: LostResource) -> String {
        let bringBack: String
        switch loss {
        case .key: bringBack = "re-enable or recover the key"
        case .vault: bringBack = "recover the vault"
        case .identity:
            // A deleted identity is gone for good: another principal must be granted the key.
            let update =
                d.consumerType == ResourceType.namespace
                ? "az servicebus namespace encryption" : "az postgres flexible-server update --identity --key"
            return "new identity: create one, grant it the key, and point the consumer at it (\(update))"
        }
        switch d.consumerType {
        case ResourceType.singleServer:
            return "\(bringBack), then revalidate (az postgres server key create, or the portal's Revalidate)"
        case ResourceType.flexibleServer: return "automatic: \(bringBack); the next key check makes it Ready"
        default: return "automatic: \(bringBack); the next poll makes it active"
        }
    }

    func dataRisk(vault: Vault?, loss: LostResource) -> String {
        guard let vault else { return "unknown: the vault is not found" }
        if case .identity = loss { return "none: the key is intact; a new identity reaches the same data" }
        if !vault.purgeProtected {
            return "unrecoverable if the key is purged: vault \(vault.name) has no purge protection"
        }
        return "recoverable: purge protection keeps a deleted key for \(vault.softDeleteRetentionInDays) days"
    }
}

/// What a simulated loss did to each consumer it reached.
public struct SimulatedOutcome: Codable, Sendable, Equatable {
    public let consumer: String
    public let before: String
    public let after: String
    /// When its state changed, in virtual time; nil when it did not.
    public let changedAt: Date?
    public let detectedAfterSeconds: Double?
}

public struct LossSimulation: Codable, Sendable, Equatable {
    /// What was done to the copy of the world.
    public let applied: String
    public let start: Date
    public let advancedSeconds: Double
    public let outcomes: [SimulatedOutcome]
}

extension World {
    /// Applies `loss` to a copy of the world, lets the clock run past every consumer's detection
    /// window, and tells what each consumer went through. The world itself is untouched.
    public func simulate(_ loss: LostResource) throws -> LossSimulation {
        try requireExists(loss)
        var copy = self
        let before = copy.observedStates()
        copy.activity.observe(before, now: now)
        let mark = copy.activity.events.count
        let applied: String
        switch loss {
        case .key(let vaultName, let name):
            // Every version disabled: the documented revocation, and what a deleted key looks like
            // to a consumer until it is recovered.
            var v = try copy.vault(vaultName)
            var k = v.keys[name.lowercased()]!
            for i in k.versions.indices { k.versions[i].enabled = false }
            v.keys[name.lowercased()] = k
            copy.vaults[vaultName.lowercased()] = v
            applied = "every version of key \(k.name) in vault \(v.name) disabled"
        case .vault(let name):
            try copy.deleteVault(name: name, resourceGroup: nil)
            applied = "vault \(name) deleted (soft delete)"
        case .identity(let rg, let name):
            let i = try copy.uniqueIdentity(name, resourceGroup: rg)
            try copy.deleteIdentity(name: i.name, resourceGroup: i.resourceGroup)
            applied = "identity \(i.name) in \(i.resourceGroup) deleted"
        }
        copy.recordChange(resource: "simulation", operation: "keydrill impact --simulate", detail: applied)
        let reached = impact(of: loss)
        let hit = Set(reached.map(\.consumer))
        let advance = (reached.map(\.noticesWithinSeconds).max() ?? 0) + 60
        try copy.advanceClock(by: advance)
        copy.observeStates()
        let after = copy.observedStates()
        let changes = copy.activity.events(since: mark).filter { $0.kind == .state }
        let consumers = before.filter { ResourceType.consumers.contains($0.value.type) }.keys.sorted()
        let outcomes = consumers.filter { hit.contains($0) || after[$0]?.state != before[$0]?.state }.map { id in
            let changed = changes.first { $0.resource == id }?.time
            return SimulatedOutcome(
                consumer: id, before: before[id]?.state ?? "", after: after[id]?.state ?? ObservedState.deleted,
                changedAt: changed, detectedAfterSeconds: changed.map { $0.timeIntervalSince(now) })
        }
        return LossSimulation(applied: applied, start: now, advancedSeconds: advance, outcomes: outcomes)
    }

    /// A name that matches nothing is a mistake, not an empty blast radius.
    public func requireExists(_ loss: LostResource) throws {
        switch loss {
        case .key(let vault, let name):
            let v = try self.vault(vault)
            guard v.keys[name.lowercased()] != nil else { throw keyNotFound(v, name, nil) }
        case .vault(let name): _ = try self.vault(name)
        case .identity(let rg, let name): _ = try uniqueIdentity(name, resourceGroup: rg)
        }
    }

    /// A user-assigned identity by name, in `resourceGroup` or, without one, the only one so named.
    public func uniqueIdentity(_ name: String, resourceGroup: String?) throws -> UserAssignedIdentity {
        if let rg = resourceGroup { return try identity(name, resourceGroup: rg) }
        let named = identities.values.filter { $0.name.lowercased() == name.lowercased() }
        guard named.count == 1 else {
            throw CloudError.badRequest(
                "AmbiguousIdentity",
                named.isEmpty
                    ? "No user-assigned identity is named '\(name)'."
                    : "Several identities are named '\(name)' (in "
                        + "\(named.map(\.resourceGroup).sorted().joined(separator: ", "))); "
                        + "give --resource-group.")
        }
        return named[0]
    }
}
