import Foundation

extension ConsumerKind {
    /// PostgreSQL Flexible Server: a primary key and a geo-backup key, each through a user-assigned
    /// identity, revalidated every `flexibleServerKeyCheckSeconds`; a deleted server stays
    /// revivable for a while (its state then is `Dropped (revivable)`).
    public static let postgresFlexibleServer = ConsumerKind(
        resourceType: ResourceType.flexibleServer, noun: "PostgreSQL flexible server",
        members: { w in
            let live = w.flexibleServers.values.sorted { $0.name < $1.name }.map { s in
                Consumer(
                    id: w.flexibleServerID(s), name: s.name, resourceGroup: s.resourceGroup, state: w.observedState(s),
                    holdsData: s.rows.count > 0, systemPrincipalId: s.systemAssignedPrincipalId)
            }
            let dropped = w.droppedFlexibleServers.values.sorted { $0.server.name < $1.server.name }.map { d in
                Consumer(
                    id: w.flexibleServerID(d.server), name: d.server.name, resourceGroup: d.server.resourceGroup,
                    state: ObservedState(type: ResourceType.flexibleServer, state: ConsumerState.dropped),
                    holdsData: false, systemPrincipalId: nil)
            }
            // Live servers first: where a name is both, the dropped one's state is the one recorded.
            return live + dropped
        },
        keyDependencies: { w in
            var out = [KeyDependency]()
            for s in w.flexibleServers.values.sorted(by: { $0.name < $1.name }) {
                guard let e = s.dataEncryption else { continue }
                for (slot, use) in [(e.primary, "data encryption"), (e.geoBackup, "geo-backup data encryption")] {
                    guard let slot, let id = slot.keyID else { continue }
                    let principal =
                        s.identities.first { $0.id.lowercased() == slot.identityId.lowercased() }?.principalId
                    out.append(
                        KeyDependency(
                            consumer: w.flexibleServerID(s), consumerType: ResourceType.flexibleServer,
                            relation: w.flexibleRelation(s), use: use, keyUri: slot.keyUri, vault: id.vault,
                            key: id.name, principalId: principal, identity: slot.identityId))
                }
            }
            return out
        },
        resourceID: { w, name in w.flexibleServers[name.lowercased()].map(w.flexibleServerID) },
        deleteAll: { w, group in
            for s in w.flexibleServers.values where s.resourceGroup.equalsIgnoringCase(group) {
                try? w.deleteFlexibleServer(name: s.name, resourceGroup: s.resourceGroup)
            }
        },
        keyCheck: KeyCheck(
            interval: { $0.flexibleServerKeyCheckSeconds },
            run: { w, name in w.runFlexibleKeyCheck(name) },
            repeats: { w, name in w.flexibleKeyCheckRepeats(name) },
            plannedWraps: { w, name in
                guard w.flexibleKeyCheckRepeats(name) == nil, let s = w.flexibleServers[name], let d = s.activeDataKey,
                    let e = s.dataEncryption
                else { return [] }
                return ([e.primary] + (e.geoBackup.map { [$0] } ?? [])).compactMap { slot in
                    slot.keyID.map { PlannedWrap(vault: $0.vault, key: $0.name, version: $0.version, dataKey: d) }
                }
            },
            summary: { "PostgreSQL flexible server \($0) revalidates its keys" }))
}
