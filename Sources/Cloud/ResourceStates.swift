import Foundation

/// The states the activity log follows, read off the world: consumers (servers, namespaces),
/// vaults, keys and identities. One place names them, so the timeline, the measures and
/// `impact` speak of the same states.
public enum ResourceType {
    public static let singleServer = "Microsoft.DBforPostgreSQL/servers"
    public static let flexibleServer = "Microsoft.DBforPostgreSQL/flexibleServers"
    public static let namespace = "Microsoft.ServiceBus/namespaces"
    public static let vault = "Microsoft.KeyVault/vaults"
    public static let key = "Microsoft.KeyVault/vaults/keys"
    public static let identity = "Microsoft.ManagedIdentity/userAssignedIdentities"
    public static let virtualNetwork = "Microsoft.Network/virtualNetworks"

    /// Resources that hold data under a key: the ones that can lose it.
    public static let consumers: Set<String> = Set(ConsumerKind.all.map(\.resourceType))
}

/// The states a consumer is in while it can use its data; any other state of a consumer that
/// follows one of these is a loss.
public enum ConsumerState {
    public static let ready = "Ready"
    public static let active = ObservedState.active
    public static let inaccessible = "Inaccessible"
    public static let dropped = "Dropped (revivable)"
    public static let healthy: Set<String> = [ready, active, FlexibleServerState.stopped]
}

public enum KeyState {
    public static let enabled = "Enabled"
    public static let disabled = "Disabled"
    public static let expired = "Expired"
    public static let notYetValid = "Not yet valid"
}

extension World {
    /// Who the activity log names for what Azure does on its own schedule (a policy's rotation).
    public static let azureCaller = "Azure (scheduled)"

    /// Every followed resource's state now.
    public func observedStates() -> [String: ObservedState] {
        var out = [String: ObservedState]()
        for c in consumers() { out[c.id] = c.state }
        for v in vaults.values {
            out[vaultID(v)] = ObservedState(type: ResourceType.vault, state: ObservedState.active)
        }
        for d in deletedVaults.values {
            out[vaultID(d.vault)] = ObservedState(type: ResourceType.vault, state: ObservedState.softDeleted)
        }
        // Keys: those consumers use (and the version a consumer pins), and those followed already
        // (a change named them, a consumer once used them), looked up one by one: a vault's keys
        // are a table read entry by entry, never all of them.
        var keys = activity.states.filter { $0.value.type == ResourceType.key }.keys.compactMap(KeyIdentifier.parse)
        for d in keyDependencies() {
            guard let id = KeyIdentifier.parse(d.keyUri) else { continue }
            keys.append(id)
            if id.version != nil { keys.append(KeyIdentifier(vault: id.vault, name: id.name, version: nil)) }
        }
        for id in keys { if let (uri, state) = keyState(id) { out[uri] = state } }
        for i in identities.values {
            out[identityID(i)] = ObservedState(type: ResourceType.identity, state: ObservedState.exists)
        }
        return out
    }

    /// A key's (or, with a version, that version's) state under its identifier as the vault spells
    /// it; soft-deleted with its key or its vault; nil once it is gone.
    func keyState(_ id: KeyIdentifier) -> (String, ObservedState)? {
        let softDeleted = ObservedState(type: ResourceType.key, state: ObservedState.softDeleted)
        if let v = vaults[id.vault.lowercased()] {
            if let k = v.keys[id.name.lowercased()] {
                guard let version = id.version else { return (v.kid(k.name), observedState(k.current)) }
                return k.version(version).map { (v.kid(k.name, $0.version), observedState($0)) }
            }
            return v.deletedKeys[id.name.lowercased()].map { (v.kid($0.key.name, id.version), softDeleted) }
        }
        guard let d = deletedVaults[id.vault.lowercased()], let k = d.vault.keys[id.name.lowercased()] else {
            return nil
        }
        return (d.vault.kid(k.name, id.version), softDeleted)
    }

    func observedState(_ s: PostgresServer) -> ObservedState {
        ObservedState(type: ResourceType.singleServer, state: s.userVisibleState)
    }

    func observedState(_ s: FlexibleServer) -> ObservedState {
        ObservedState(type: ResourceType.flexibleServer, state: s.state)
    }

    func observedState(_ ns: ServiceBusNamespace) -> ObservedState {
        let usable = ns.encryption == nil || ns.activeDataKey != nil
        return ObservedState(
            type: ResourceType.namespace, state: usable ? ConsumerState.active : ConsumerState.inaccessible)
    }

    /// A key's state is its current version's: the one a versionless consumer follows.
    func observedState(_ v: KeyVersion) -> ObservedState {
        if !v.enabled { return ObservedState(type: ResourceType.key, state: KeyState.disabled) }
        if let exp = v.expires, exp <= now {
            return ObservedState(
                type: ResourceType.key, state: KeyState.expired, since: exp,
                dueFrom: [KeyState.enabled, KeyState.notYetValid])
        }
        if let nbf = v.notBefore, nbf > now {
            return ObservedState(type: ResourceType.key, state: KeyState.notYetValid)
        }
        return ObservedState(
            type: ResourceType.key, state: KeyState.enabled, since: v.notBefore, dueFrom: [KeyState.notYetValid])
    }

    /// Records every state that changed since the last observation.
    public mutating func observeStates() {
        activity.observe(observedStates(), now: now)
    }

    /// After a key check: only the server or namespace it checked can have changed.
    mutating func observeConsumer(_ action: ScheduledAction) {
        var current = [String: ObservedState]()
        let id: String
        switch action {
        case .postgresKeyCheck(let name):
            guard let s = postgresServers[name] else { return observeStates() }
            id = postgresServerID(s)
            current[id] = observedState(s)
        case .flexibleServerKeyCheck(let name):
            guard let s = flexibleServers[name] else { return observeStates() }
            id = flexibleServerID(s)
            current[id] = observedState(s)
        case .serviceBusKeyPoll(let name):
            guard let ns = serviceBusNamespaces[name] else { return observeStates() }
            id = serviceBusNamespaceID(ns)
            current[id] = observedState(ns)
        default:
            return observeStates()
        }
        activity.observe(current, now: now, scope: [id])
    }

    /// A change to the control plane (or a key's attributes): who made it, through which operation.
    public mutating func recordChange(resource: String, operation: String, caller: String? = nil, detail: String? = nil)
    {
        activity.append(
            ActivityEvent(
                time: now, kind: .change, resource: resource, caller: caller ?? operatorCaller.name,
                operation: operation, detail: detail))
        // A key a change names is followed from then on: its state now is its first.
        if let k = KeyIdentifier.parse(resource),
            let (id, state) = keyState(KeyIdentifier(vault: k.vault, name: k.name, version: nil))
        {
            activity.observe([id: state], now: now, scope: [id])
        }
    }

    /// A workload read its data back whole: the evidence that a recovery kept the data.
    public mutating func recordPostgresRowsVerified(server name: String, rows: Int) {
        let id =
            flexibleServers[name.lowercased()].map(flexibleServerID)
            ?? postgresServers[name.lowercased()].map(
                postgresServerID)
        guard let id else { return }
        activity.append(ActivityEvent(time: now, kind: .data, resource: id, detail: "\(rows) rows read back intact"))
    }

    public mutating func recordMessagesVerified(namespace name: String, messages: Int) {
        guard let ns = serviceBusNamespaces[name.lowercased()] else { return }
        activity.append(
            ActivityEvent(
                time: now, kind: .data, resource: serviceBusNamespaceID(ns),
                detail: "\(messages) messages received intact"))
    }
}

/// A key a consumer uses, with its state now and who uses it: what `status` shows, so a user
/// sees at once which consumers a disabled or expired key takes down.
public struct KeyInUse: Sendable, Equatable {
    public let key: String
    public let state: String
    public let consumers: [String]
}

/// Something the clock will do, with when: a scheduled event, or a role assignment taking effect.
public struct PendingEvent: Sendable, Equatable {
    public let at: Date
    public let what: String
}

extension World {
    /// Every key a consumer points to (by the identifier it was given: versionless or pinned),
    /// its state now, and its consumers.
    public func keysInUse() -> [KeyInUse] {
        var consumers = [String: Set<String>]()
        for d in keyDependencies() { consumers[d.keyUri, default: []].insert(ActivityEvent.shortName(d.consumer)) }
        return consumers.keys.sorted().map { uri in
            let state = KeyIdentifier.parse(uri).flatMap { keyState($0)?.1.state } ?? "not found"
            return KeyInUse(key: uri, state: state, consumers: consumers[uri]!.sorted())
        }
    }

    /// The next `limit` things the clock will do, in time order: scheduled events and role
    /// assignments still propagating.
    public func pendingEvents(limit: Int = 10) -> [PendingEvent] {
        let grants = roleAssignments.filter { $0.effectiveFrom > now }.map(grantTakingEffect)
        let scheduled = scheduler.events.lazy.filter { !$0.action.isGameDay }.prefix(limit).map {
            PendingEvent(at: $0.at, what: $0.action.summary)
        }
        return Array((grants + scheduled).sorted { $0.at < $1.at }.prefix(limit))
    }

    /// The role assignments that took effect after `start`, up to now: what a clock move brought
    /// about besides its scheduled events.
    public func grantsTakingEffect(after start: Date) -> [PendingEvent] {
        roleAssignments.filter { $0.effectiveFrom > start && $0.effectiveFrom <= now }.map(grantTakingEffect)
            .sorted { $0.at < $1.at }
    }

    func grantTakingEffect(_ a: RoleAssignment) -> PendingEvent {
        PendingEvent(
            at: a.effectiveFrom,
            what: "role '\(roleName(a))' for "
                + "\(principalName(a.principalId)) at \(ActivityEvent.shortName(a.scope)) takes effect")
    }

    /// A principal as a reader knows it: its name in the directory, else its id.
    func principalName(_ objectId: String) -> String {
        directory.first { $0.objectId.equalsIgnoringCase(objectId) }?.displayName ?? objectId
    }

    /// An assignment's role by name, as people speak of it.
    func roleName(_ a: RoleAssignment) -> String {
        RoleDefinition.named(a.roleDefinitionId)?.name ?? a.roleDefinitionId
    }
}
