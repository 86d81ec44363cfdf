import Foundation

/// What a fault acts on, as a plan names it: `key VAULT/KEY`, `vault NAME`, `identity GROUP/NAME`,
/// `namespace NAME`.
public struct FaultTarget: Codable, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case key, vault, identity
        /// A Service Bus namespace, by name.
        case namespace
    }

    public let kind: Kind
    public let name: String

    public init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
    }

    public var description: String { "\(kind.rawValue) \(name)" }
}

/// One fault a game day can inject: the only declaration of it, which plan parsing, lint, the
/// injection, help and the scorecard all read. Each is done by the chaos principal through the
/// same operations a person would use, so it leaves the traces Azure would leave (the key audit
/// for key operations, the activity log for control-plane changes) and nothing else.
public struct FaultDefinition: Sendable {
    public let name: String
    public let target: FaultTarget.Kind
    public let summary: String
    /// What "recovered" means for this fault, as the scorecard words it.
    public let recovered: String
    /// Chaos Studio's faults last for a duration and are then lifted.
    public let takesDuration: Bool
    /// Does the fault; returns what it did, throws when it cannot land.
    let inject: @Sendable (inout World, FaultTarget, inout DrawnFault) throws -> String
    /// Whether what the fault did is undone in `world`.
    public let undone: @Sendable (World, DrawnFault) -> Bool
    /// Undoes a fault with a duration when the duration ends.
    var lift: (@Sendable (inout World, DrawnFault) -> Void)? = nil

    public static func named(_ name: String) -> FaultDefinition? { catalogue.first { $0.name == name } }

    public static let catalogue: [FaultDefinition] = [
        FaultDefinition(
            name: "key-disabled", target: .key,
            summary: "the key's current version is disabled (az keyvault key set-attributes --enabled false)",
            recovered: "that version is enabled again", takesDuration: false,
            inject: { w, t, f in
                let (vault, key) = try w.faultKey(t)
                var u = KeyAttributesUpdate()
                u.enabled = false
                let (_, _, version) = try w.updateKey(vault: vault, name: key, version: nil, update: u, caller: .chaos)
                f.version = version.version
                return "disabled version \(version.version)"
            },
            undone: { w, f in w.faultVersion(f)?.enabled ?? false }),
        FaultDefinition(
            name: "key-expired", target: .key,
            summary: "the key's current version expires at the moment of injection (its exp is set to now)",
            recovered: "that version's expiry is extended (or the consumers use an unexpired key)",
            takesDuration: false,
            inject: { w, t, f in
                let (vault, key) = try w.faultKey(t)
                var u = KeyAttributesUpdate()
                u.expires = w.now
                let (_, _, version) = try w.updateKey(vault: vault, name: key, version: nil, update: u, caller: .chaos)
                f.version = version.version
                return "version \(version.version) expires at \(AzDate.plain(w.now))"
            },
            undone: { w, f in w.faultVersion(f).map { $0.expires.map { $0 > w.now } ?? true } ?? false }),
        FaultDefinition(
            name: "key-deleted", target: .key,
            summary: "the key is deleted (soft delete: recoverable until its retention ends)",
            recovered: "the key is recovered with its versions", takesDuration: false,
            inject: { w, t, _ in
                let (vault, key) = try w.faultKey(t)
                let (_, d) = try w.deleteKey(vault: vault, name: key, caller: .chaos)
                return "deleted; recoverable until \(AzDate.plain(d.scheduledPurgeDate))"
            },
            undone: { w, f in w.faultKeyExists(f.target) }),
        FaultDefinition(
            name: "pinned-version-disabled", target: .key,
            summary: "a new version is made current, then the version that was current is disabled (a consumer "
                + "pinned to it loses its key; one that follows the versionless key does not)",
            recovered: "the old version is enabled again, or no consumer uses it", takesDuration: false,
            inject: { w, t, f in
                let (vault, key) = try w.faultKey(t)
                let (_, before) = try w.getKeyForFault(vault: vault, key: key)
                _ = try w.rotateKey(vault: vault, name: key, caller: .chaos)
                var u = KeyAttributesUpdate()
                u.enabled = false
                _ = try w.updateKey(vault: vault, name: key, version: before, update: u, caller: .chaos)
                f.version = before
                return "rotated, then disabled version \(before)"
            },
            undone: { w, f in
                (w.faultVersion(f)?.enabled ?? false)
                    || !w.keyDependencies().contains {
                        $0.keyUri.lowercased().hasSuffix((f.version ?? "").lowercased())
                    }
            }),
        FaultDefinition(
            name: "access-removed", target: .vault,
            summary: "the consumers' identities lose their access to the vault: their role assignments on it (and "
                + "above it) and their access policies are removed",
            recovered: "every consumer's identity reaches its key again", takesDuration: false,
            inject: { w, t, _ in try w.removeConsumerAccess(vault: t.name) },
            undone: { w, f in w.consumersReachKeys(vault: f.target.name) }),
        FaultDefinition(
            name: "identity-deleted", target: .identity,
            summary: "a user-assigned identity is deleted (its principal is gone; a new one has a new principal)",
            recovered: "the consumers that used it reach their keys through an identity that exists",
            takesDuration: false,
            inject: { w, t, _ in
                let (group, name) = try FaultTarget.pair(t.name, "identity")
                let i = try w.identity(name, resourceGroup: group)
                try w.deleteIdentity(name: name, resourceGroup: group)
                w.recordChange(
                    resource: w.identityID(i), operation: "Microsoft.ManagedIdentity/userAssignedIdentities/delete",
                    caller: Caller.chaos.name)
                return "deleted (principal \(i.principalId))"
            },
            undone: { w, f in
                let (group, name) = (try? FaultTarget.pair(f.target.name, "identity")) ?? ("", "")
                return w.identities[World.identityKey(group, name)] != nil
            }),
        FaultDefinition(
            name: "firewall-deny", target: .vault,
            summary: "the vault's firewall is set to deny by default without the trusted-services bypass",
            recovered: "the consumers' services pass the firewall again", takesDuration: false,
            inject: { w, t, _ in
                var s = VaultSettings()
                s.defaultAction = "Deny"
                s.bypass = "None"
                let v = try w.updateVault(name: t.name, resourceGroup: nil, settings: s)
                w.recordChange(
                    resource: w.vaultID(v), operation: "Microsoft.KeyVault/vaults/write", caller: Caller.chaos.name,
                    detail: "networkAcls.defaultAction Deny networkAcls.bypass None")
                return "default action Deny, bypass None"
            },
            undone: { w, f in
                guard let acls = w.vaults[f.target.name.lowercased()]?.networkAcls else { return true }
                return acls.defaultAction == "Allow" || acls.bypass.contains("AzureServices")
            }),
        FaultDefinition(
            name: "vault-deleted", target: .vault,
            summary: "the vault is deleted (soft delete: recoverable with its keys; its role assignments go)",
            recovered: "the vault is recovered and its consumers reach their keys", takesDuration: false,
            inject: { w, t, _ in
                let v = try w.vault(t.name)
                try w.deleteVault(name: t.name, resourceGroup: nil)
                w.recordChange(
                    resource: w.vaultID(v), operation: "Microsoft.KeyVault/vaults/delete", caller: Caller.chaos.name)
                return "deleted (soft)"
            },
            undone: { w, f in w.vaults[f.target.name.lowercased()] != nil }),
        FaultDefinition(
            name: "keyVault:denyAccess", target: .vault,
            summary: "Azure Chaos Studio's Key Vault Deny Access, for a duration: all network access is blocked "
                + "(default action Deny, virtual network rules removed), then the rules are put back. As in Chaos "
                + "Studio, a vault that lets trusted Azure services through cannot take this fault",
            recovered: "the fault's duration ends", takesDuration: true,
            inject: { w, t, f in
                var v = try w.vault(t.name)
                let acls = v.networkAcls ?? .open
                if acls.bypass.contains("AzureServices") {
                    throw CloudError.badRequest(
                        "FaultNotApplicable",
                        "Chaos Studio's Key Vault Deny Access needs a vault that does not let trusted Azure services "
                            + "bypass its firewall; \(v.name) does.")
                }
                f.savedNetworkAcls = acls
                v.networkAcls = NetworkAcls(
                    bypass: acls.bypass, defaultAction: "Deny", ipRules: acls.ipRules, virtualNetworkRules: [])
                v.updatedAt = w.now
                w.vaults[t.name.lowercased()] = v
                w.recordChange(
                    resource: w.vaultID(v), operation: "Microsoft.KeyVault/vaults/write", caller: Caller.chaos.name,
                    detail: "networkAcls.defaultAction Deny networkAcls.virtualNetworkRules []")
                return "network access denied"
            },
            undone: { _, f in f.lifted },
            lift: { w, f in
                guard let saved = f.savedNetworkAcls, var v = w.vaults[f.target.name.lowercased()] else { return }
                v.networkAcls = saved
                v.updatedAt = w.now
                w.vaults[v.name.lowercased()] = v
                w.recordChange(
                    resource: w.vaultID(v), operation: "Microsoft.KeyVault/vaults/write", caller: Caller.chaos.name,
                    detail: "networkAcls restored (fault duration ended)")
            }),
        FaultDefinition(
            name: "region-outage", target: .namespace,
            summary: "the namespace's region has an outage for a duration: every Service Bus namespace there "
                + "refuses data operations (ServiceUnavailable); Azure Service Health says so in the activity log",
            recovered: "the alias's primary is a namespace in a region that is up (failed over), or the outage "
                + "ended", takesDuration: true,
            inject: { w, t, _ in
                let ns = try w.faultNamespace(t)
                w.regionOutages.insert(try Locations.resolve(ns.location).name)
                w.recordChange(
                    resource: w.serviceBusNamespaceID(ns), operation: "Service Health: outage in \(ns.location)",
                    caller: World.serviceHealthCaller, detail: "Service Bus data operations unavailable")
                return "region \(ns.location) down"
            },
            undone: { w, f in
                guard let ns = try? w.faultNamespace(f.target) else { return false }
                guard w.isDown(ns.location) else { return true }
                let primary = ns.alias.flatMap { a in
                    w.serviceBusNamespaces.values.first {
                        $0.alias?.name == a.name && $0.alias?.role.hasPrefix("Primary") == true
                    }
                }
                return primary.map { !w.isDown($0.location) } ?? false
            },
            lift: { w, f in
                guard let ns = try? w.faultNamespace(f.target), let region = try? Locations.resolve(ns.location)
                else { return }
                w.regionOutages.remove(region.name)
                w.recordChange(
                    resource: w.serviceBusNamespaceID(ns),
                    operation: "Service Health: outage in \(ns.location) resolved",
                    caller: World.serviceHealthCaller)
            }),
    ]
}

extension FaultTarget {
    /// `a/b` as its two parts.
    static func pair(_ name: String, _ what: String) throws -> (String, String) {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw CloudError.badRequest("InvalidTarget", "a \(what) target is GROUP/NAME or VAULT/KEY, not '\(name)'")
        }
        return (parts[0], parts[1])
    }
}

extension Caller {
    /// The facilitator's fault injector. A game's faults must land whatever the players have
    /// configured, so it passes the vault's firewall and permissions as Key Vault's own service
    /// does; what it does is still written to the audit and activity logs under its own name.
    public static let chaos = Caller(
        objectId: "0c4a05de-9a3e-4b5e-8f00-6a8e0c4a05de", name: "chaos-experiment (game day)",
        isTrustedService: true, isKeyVaultService: true)
}

extension World {
    /// Who writes a regional outage into the activity log.
    static let serviceHealthCaller = "Azure Service Health"

    func faultNamespace(_ t: FaultTarget) throws -> ServiceBusNamespace {
        guard let ns = serviceBusNamespaces[t.name.lowercased()] else {
            throw CloudError.notFound("NotFound", "the namespace \(t.name) does not exist")
        }
        return ns
    }

    func faultKey(_ t: FaultTarget) throws -> (vault: String, key: String) {
        try FaultTarget.pair(t.name, "key")
    }

    func getKeyForFault(vault: String, key: String) throws -> (Vault, String) {
        let v = try self.vault(vault)
        guard let k = v.keys[key.lowercased()] else { throw keyNotFound(v, key, nil) }
        return (v, k.current.version)
    }

    func faultVersion(_ f: DrawnFault) -> KeyVersion? {
        guard let (vault, key) = try? faultKey(f.target), let k = vaults[vault.lowercased()]?.keys[key.lowercased()]
        else { return nil }
        return k.version(f.version)
    }

    func faultKeyExists(_ t: FaultTarget) -> Bool {
        guard let (vault, key) = try? faultKey(t) else { return false }
        return vaults[vault.lowercased()]?.keys[key.lowercased()] != nil
    }

    /// Removes, for every consumer of the vault's keys, its principal's role assignments that
    /// reach the vault and its access policy there.
    mutating func removeConsumerAccess(vault name: String) throws -> String {
        var v = try vault(name)
        let principals = Set(keyDependencies().filter { $0.vault.equalsIgnoringCase(v.name) }.compactMap(\.principalId))
        guard !principals.isEmpty else {
            throw CloudError.badRequest("FaultNotApplicable", "no consumer uses a key of vault \(v.name)")
        }
        let scope = vaultID(v).lowercased()
        let removed = deleteRoleAssignments { a in
            let s = a.scope.lowercased()
            return principals.contains(a.principalId) && (scope == s || scope.hasPrefix(s + "/"))
        }
        let policies = v.accessPolicies.filter { principals.contains($0.objectId) }.count
        v.accessPolicies.removeAll { principals.contains($0.objectId) }
        v.updatedAt = now
        vaults[v.name.lowercased()] = v
        for a in removed {
            recordChange(
                resource: "\(a.scope)/providers/Microsoft.Authorization/roleAssignments/\(a.name)",
                operation: "Microsoft.Authorization/roleAssignments/delete",
                caller: Caller.chaos.name)
        }
        if policies > 0 {
            recordChange(
                resource: vaultID(v), operation: "Microsoft.KeyVault/vaults/accessPolicies/write",
                caller: Caller.chaos.name, detail: "removed \(policies) access polic\(policies == 1 ? "y" : "ies")")
        }
        return "removed \(removed.count) role assignment\(removed.count == 1 ? "" : "s") and \(policies) access "
            + "polic\(policies == 1 ? "y" : "ies")"
    }

    /// Whether every consumer of the vault's keys can wrap with them now (its key checks would pass).
    func consumersReachKeys(vault name: String) -> Bool {
        var copy = self
        for d in keyDependencies() where d.vault.equalsIgnoringCase(name) {
            guard let p = d.principalId else { continue }
            let caller = Caller(objectId: p, name: "probe", isTrustedService: true)
            guard (try? copy.getKey(vault: d.vault, name: d.key, version: nil, caller: caller)) != nil else {
                return false
            }
        }
        return true
    }
}
