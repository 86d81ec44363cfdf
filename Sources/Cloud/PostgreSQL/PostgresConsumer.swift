import Foundation

extension ConsumerKind {
    /// PostgreSQL Single Server: one server key (its system identity), checked every
    /// `postgresKeyCheckSeconds`.
    public static let postgresSingleServer = ConsumerKind(
        resourceType: ResourceType.singleServer, noun: "PostgreSQL server",
        members: { w in
            w.postgresServers.values.sorted { $0.name < $1.name }.map { s in
                Consumer(
                    id: w.postgresServerID(s), name: s.name, resourceGroup: s.resourceGroup, state: w.observedState(s),
                    holdsData: s.rows.count > 0, systemPrincipalId: s.principalId)
            }
        },
        keyDependencies: { w in
            w.postgresServers.values.sorted { $0.name < $1.name }.compactMap { s in
                guard let k = s.encryption.serverKey else { return nil }
                return KeyDependency(
                    consumer: w.postgresServerID(s), consumerType: ResourceType.singleServer,
                    relation: s.masterServerName.map { "replica of \($0)" } ?? "server", use: "data encryption",
                    keyUri: k.uri, vault: k.vault, key: k.key, principalId: s.principalId, identity: nil)
            }
        },
        resourceID: { w, name in w.postgresServers[name.lowercased()].map(w.postgresServerID) },
        deleteAll: { w, group in
            for s in w.postgresServers.values where s.resourceGroup.equalsIgnoringCase(group) {
                try? w.deletePostgresServer(name: s.name, resourceGroup: s.resourceGroup)
            }
        },
        keyCheck: KeyCheck(
            interval: { $0.postgresKeyCheckSeconds },
            run: { w, name in w.runPostgresKeyCheck(name) },
            repeats: { w, name in w.postgresKeyCheckRepeats(name) },
            plannedWraps: { w, name in
                guard w.postgresKeyCheckRepeats(name) == nil, let s = w.postgresServers[name],
                    s.userVisibleState == "Ready", let key = s.encryption.serverKey,
                    let d = s.encryption.activeDataKey
                else { return [] }
                return [PlannedWrap(vault: key.vault, key: key.key, version: key.version, dataKey: d)]
            },
            summary: { "PostgreSQL server \($0) checks its key" }))
}
