/// The directory: every principal a vault may name (the operator, user-assigned identities, and in
/// later issues servers' and namespaces' system-assigned identities). The portal's principal
/// picker finds them by object id, user principal name, or the name of the owning resource.
public struct DirectoryEntry: Sendable, Equatable {
    public let objectId: String
    public let displayName: String
    public let kind: String
}

extension World {
    public var directory: [DirectoryEntry] {
        var entries = [
            DirectoryEntry(objectId: signedInUser.objectId, displayName: signedInUser.userPrincipalName, kind: "User")
        ]
        for i in identities.values.sorted(by: { $0.name < $1.name }) {
            entries.append(
                DirectoryEntry(objectId: i.principalId, displayName: i.name, kind: "User-assigned managed identity"))
        }
        for kind in ConsumerKind.all {
            for c in kind.members(self) {
                guard let id = c.systemPrincipalId else { continue }
                entries.append(
                    DirectoryEntry(objectId: id, displayName: c.name, kind: "\(kind.noun) (system-assigned identity)"))
            }
        }
        return entries
    }

    public func findPrincipal(_ nameOrId: String) throws -> DirectoryEntry {
        let matches = directory.filter {
            $0.objectId.lowercased() == nameOrId.lowercased() || $0.displayName.lowercased() == nameOrId.lowercased()
        }
        guard let first = matches.first else {
            throw CloudError.notFound(
                "PrincipalNotFound",
                "No principal named or with id '\(nameOrId)' was found in the directory. A resource's "
                    + "system-assigned identity is listed only once the resource has one: for a PostgreSQL server, "
                    + "after 'az postgres server update --assign-identity' or the first data-encryption save or "
                    + "revalidate; for a flexible server, after 'az postgres flexible-server identity update "
                    + "--system-assigned Enabled'."
            )
        }
        guard matches.count == 1 else {
            throw CloudError.badRequest(
                "AmbiguousPrincipal",
                "More than one principal is named '\(nameOrId)': "
                    + "\(matches.map { "\($0.displayName) (\($0.kind), \($0.objectId))" }.joined(separator: "; ")). "
                    + "Pick it by object id."
            )
        }
        return first
    }
}
