import Cloud
import Foundation
import JMESPath

/// A Flexible Server as az 2.91 prints it: the SDK model through az's `todict`, properties at
/// the top level, every attribute (nulls included), keys sorted.
enum FlexibleServerRendering {
    static func render(_ s: FlexibleServer, _ world: World) -> JSON {
        let e = s.dataEncryption
        let encryption: JSON =
            e == nil
            ? .object([
                ("geoBackupEncryptionKeyStatus", nil), ("geoBackupFederatedIdentityClientId", nil),
                ("geoBackupKeyUri", nil), ("geoBackupUserAssignedIdentityId", nil),
                ("primaryEncryptionKeyStatus", nil), ("primaryFederatedIdentityClientId", nil),
                ("primaryKeyUri", nil), ("primaryUserAssignedIdentityId", nil), ("type", "SystemManaged"),
            ])
            : .object([
                ("geoBackupEncryptionKeyStatus", .string(e!.geoBackup?.status ?? EncryptionKeyStatus.valid)),
                ("geoBackupFederatedIdentityClientId", nil),
                ("geoBackupKeyUri", .string(e!.geoBackup?.keyUri ?? "")),
                ("geoBackupUserAssignedIdentityId", .string(e!.geoBackup?.identityId ?? "")),
                ("primaryEncryptionKeyStatus", .string(e!.primary.status)),
                ("primaryFederatedIdentityClientId", nil),
                ("primaryKeyUri", .string(e!.primary.keyUri)),
                ("primaryUserAssignedIdentityId", .string(e!.primary.identityId)),
                ("type", "AzureKeyVault"),
            ])
        let replicaCapacity = s.isReplica ? 0 : 5
        return .object([
            ("administratorLogin", .string(s.administratorLogin)),
            ("administratorLoginPassword", nil),
            (
                "authConfig",
                .object([("activeDirectoryAuth", "Disabled"), ("passwordAuth", "Enabled"), ("tenantId", nil)])
            ),
            ("availabilityZone", .string(s.availabilityZone)),
            (
                "backup",
                .object([
                    ("backupRetentionDays", .int(s.backupRetentionDays)),
                    ("earliestRestoreDate", .string(AzDate.sdk(world.earliestRestoreDate(s)))),
                    ("geoRedundantBackup", .string(s.geoRedundantBackup)),
                ])
            ),
            ("cluster", nil),
            ("createMode", .string(s.createMode)),
            ("dataEncryption", encryption),
            ("fullyQualifiedDomainName", .string("\(s.name).postgres.database.azure.com")),
            (
                "highAvailability",
                .object([("mode", "Disabled"), ("standbyAvailabilityZone", nil), ("state", "NotEnabled")])
            ),
            ("id", .string(world.flexibleServerID(s))),
            ("identity", identity(s, world)),
            ("location", .string(Locations.displayName(of: s.location))),
            (
                "maintenanceWindow",
                .object([
                    ("customWindow", "Disabled"), ("dayOfWeek", .int(0)), ("startHour", .int(0)),
                    ("startMinute", .int(0)),
                ])
            ),
            ("minorVersion", "4"),
            ("name", .string(s.name)),
            (
                "network",
                .object([
                    ("delegatedSubnetResourceId", nil), ("privateDnsZoneArmResourceId", nil),
                    ("publicNetworkAccess", .string(s.publicNetworkAccess)),
                ])
            ),
            ("pointInTimeUtc", .string(s.pointInTimeUtc.map(AzDate.sdk))),
            ("privateEndpointConnections", nil),
            (
                "replica",
                .object([
                    ("capacity", .int(replicaCapacity)), ("promoteMode", nil), ("promoteOption", nil),
                    ("replicationState", s.isReplica ? "Active" : nil), ("role", .string(s.replicationRole)),
                ])
            ),
            ("replicaCapacity", .int(replicaCapacity)),
            ("replicationRole", .string(s.replicationRole)),
            ("resourceGroup", .string(s.resourceGroup)),
            ("sku", .object([("name", .string(s.sku.name)), ("tier", .string(s.sku.tier))])),
            ("sourceServerResourceId", .string(s.sourceServerResourceId)),
            ("state", .string(s.state)),
            (
                "storage",
                .object([
                    ("autoGrow", .string(s.storageAutoGrow)), ("iops", .int(iops(s.storageSizeGb))),
                    ("storageSizeGb", .int(s.storageSizeGb)), ("throughput", nil),
                    ("tier", .string(performanceTier(s.storageSizeGb))), ("type", "Premium_LRS"),
                ])
            ),
            (
                "systemData",
                .object([
                    ("createdAt", .string(AzDate.sdk(s.created))), ("createdBy", nil), ("createdByType", nil),
                    ("lastModifiedAt", nil), ("lastModifiedBy", nil), ("lastModifiedByType", nil),
                ])
            ),
            ("tags", JSON.tags(s.tags)),
            ("type", "Microsoft.DBforPostgreSQL/flexibleServers"),
            ("version", .string(s.version)),
        ])
    }

    /// The server's `identity`, or null without one (what `show` prints).
    static func identity(_ s: FlexibleServer, _ world: World) -> JSON? {
        guard !s.identities.isEmpty || s.systemAssignedPrincipalId != nil else { return nil }
        let type =
            s.identities.isEmpty
            ? "SystemAssigned"
            : (s.systemAssignedPrincipalId == nil
                ? "UserAssigned"
                : "SystemAssigned,UserAssigned")
        return .object([
            ("principalId", .string(s.systemAssignedPrincipalId)),
            ("tenantId", .string(world.subscription.tenantId)),
            ("type", .string(type)),
            (
                "userAssignedIdentities",
                s.identities.isEmpty
                    ? nil
                    : .object(s.identities.sorted { $0.id < $1.id }.map { ($0.id, identityEntry($0)) })
            ),
        ])
    }

    static func identityEntry(_ a: AssignedIdentity) -> JSON {
        .object([("clientId", .string(a.clientId)), ("principalId", .string(a.principalId))])
    }

    /// Premium SSD's performance tier and baseline IOPS for a disk size (P4 ... P80).
    static func performanceTier(_ gb: Int) -> String {
        let tiers = [(32, "P4"), (64, "P6"), (128, "P10"), (256, "P15"), (512, "P20"), (1024, "P30"), (2048, "P40")]
        return tiers.first { gb <= $0.0 }?.1 ?? (gb <= 4096 ? "P50" : (gb <= 8192 ? "P60" : "P70"))
    }

    static func iops(_ gb: Int) -> Int {
        let table = [(32, 120), (64, 240), (128, 500), (256, 1100), (512, 2300), (1024, 5000), (2048, 7500)]
        return table.first { gb <= $0.0 }?.1 ?? (gb <= 4096 ? 7500 : (gb <= 8192 ? 16000 : 18000))
    }

    /// What create prints instead of the server: az's `_form_response`.
    static func createOutput(_ s: FlexibleServer, _ world: World, password: String) -> JSON {
        let host = "\(s.name).postgres.database.azure.com"
        var pairs: [(String, JSON?)] = [
            (
                "connectionString",
                .string("postgresql://\(s.administratorLogin):\(password)@\(host)/postgres?sslmode=require")
            ),
            ("databaseName", "postgres"),
        ]
        if let rule = s.firewallRules.first { pairs.append(("firewallName", .string(rule.name))) }
        pairs += [
            ("host", .string(host)), ("id", .string(world.flexibleServerID(s))),
            ("location", .string(Locations.displayName(of: s.location))),
            ("password", .string(password)), ("skuname", .string(s.sku.name)),
            ("username", .string(s.administratorLogin)), ("version", .string(s.version)),
        ]
        return .object(pairs)
    }
}
