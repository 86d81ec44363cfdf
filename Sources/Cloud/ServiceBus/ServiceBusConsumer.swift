import Foundation

extension ConsumerKind {
    /// Service Bus Premium: up to three keys, each through the system or a user-assigned identity,
    /// polled every `serviceBusKeyPollSeconds`; a geo-DR pairing is part of how it is related.
    public static let serviceBusNamespace = ConsumerKind(
        resourceType: ResourceType.namespace, noun: "Service Bus namespace",
        members: { w in
            w.serviceBusNamespaces.values.sorted { $0.name < $1.name }.map { ns in
                Consumer(
                    id: w.serviceBusNamespaceID(ns), name: ns.name, resourceGroup: ns.resourceGroup,
                    state: w.observedState(ns), holdsData: ns.queues.values.contains { !$0.messages.isEmpty },
                    systemPrincipalId: ns.systemPrincipalId)
            }
        },
        keyDependencies: { w in
            var out = [KeyDependency]()
            for ns in w.serviceBusNamespaces.values.sorted(by: { $0.name < $1.name }) {
                guard let keys = ns.encryption?.keys else { continue }
                let relation: String
                if let a = ns.alias, !a.partner.isEmpty {
                    relation = "geo-DR \(a.role.lowercased()) (alias \(a.name), partner \(a.partner))"
                } else {
                    relation = "namespace"
                }
                for entry in keys {
                    guard let vault = entry.vaultName else { continue }
                    out.append(
                        KeyDependency(
                            consumer: w.serviceBusNamespaceID(ns), consumerType: ResourceType.namespace,
                            relation: relation, use: "namespace encryption",
                            keyUri: KeyIdentifier(
                                vault: vault, name: entry.keyName,
                                version: entry.keyVersion.isEmpty ? nil : entry.keyVersion
                            ).uri,
                            vault: vault, key: entry.keyName, principalId: w.serviceBusCaller(ns, entry)?.objectId,
                            identity: entry.userAssignedIdentity))
                }
            }
            return out
        },
        resourceID: { w, name in w.serviceBusNamespaces[name.lowercased()].map(w.serviceBusNamespaceID) },
        deleteAll: { w, group in
            for ns in w.serviceBusNamespaces.values where ns.resourceGroup.equalsIgnoringCase(group) {
                if let a = ns.alias, !a.partner.isEmpty { w.serviceBusNamespaces[a.partner.lowercased()]?.alias = nil }
                w.serviceBusNamespaces[ns.name.lowercased()] = nil
                w.scheduler.cancel(.serviceBusKeyPoll(namespace: ns.name.lowercased()))
            }
        },
        keyCheck: KeyCheck(
            interval: { $0.serviceBusKeyPollSeconds },
            run: { w, name in w.pollServiceBusKeys(name) },
            repeats: { w, name in w.serviceBusKeyPollRepeats(name) },
            plannedWraps: { w, name in
                guard w.serviceBusKeyPollRepeats(name) == nil, let ns = w.serviceBusNamespaces[name],
                    let d = ns.activeDataKey
                else { return [] }
                return (ns.encryption?.keys ?? []).compactMap { entry in
                    entry.vaultName.map {
                        PlannedWrap(
                            vault: $0, key: entry.keyName, version: entry.keyVersion.isEmpty ? nil : entry.keyVersion,
                            dataKey: d)
                    }
                }
            },
            summary: { "Service Bus namespace \($0) polls its keys" }))
}
