import Cloud
import Foundation
import JMESPath

/// `az postgres flexible-server restore | geo-restore | revive-dropped | replica ...` and
/// `identity ...`: new servers from existing ones, each choosing its key and identity, and the
/// server's list of identities.
enum FlexibleServerCopyCommands {
    typealias C = FlexibleServerCommands
    typealias R = FlexibleServerRendering

    static func copy(
        _ world: inout World, _ args: Arguments, name: String, rg: String, kind: World.FlexibleCopyKind,
        withBackupKeys: Bool
    ) throws -> JSON {
        let source = try args.require(P.sourceServer)
        // az looks the source up before its key checks: a missing one is a 404 (exit 3).
        _ = try world.resolveFlexibleSource(source, resourceGroup: rg, dropped: kind.isRevive)
        var o = World.FlexibleCopyOptions()
        if withBackupKeys {
            o.geoRedundantBackup = C.canonical(args[P.geoRedundantBackup]) ?? "Disabled"
            (o.key, o.geoBackupKey) = try C.byokKeys(
                args, world, rg: rg, geoRedundant: o.geoRedundantBackup == "Enabled")
        } else {
            try C.checkPairs(args)
            o.key = try args[P.byokKey].map {
                FlexibleKeyChoice(kid: $0, identityId: try C.identityID(args[P.byokIdentity]!, world, rg: rg))
            }
        }
        o.zone = args[P.zone]
        let s = try world.copyFlexibleServer(
            name: name.lowercased(), resourceGroup: rg, source: source, kind: kind, options: o)
        return R.render(s, world)
    }

    static let copyReads: [any AnyParam] = [
        P.serverName, P.resourceGroupName, P.sourceServer, P.zone, P.byokKey, P.byokIdentity,
    ]
    static let backupReads: [any AnyParam] = [P.backupByokKey, P.backupByokIdentity, P.geoRedundantBackup]

    static func identityList(_ args: Arguments, _ world: World, rg: String) throws -> [String] {
        try (args[P.identities] ?? []).map { try C.identityID($0, world, rg: rg) }
    }

    static func identityOutput(_ s: FlexibleServer, _ world: World) -> JSON {
        R.identity(s, world)
            ?? .object([
                ("principalId", nil), ("tenantId", nil), ("type", "SystemAssigned"), ("userAssignedIdentities", nil),
            ])
    }

    static func serverArgs(_ args: Arguments) throws -> (String, String) {
        (try args.required(P.serverName), try args.required(P.resourceGroupName))
    }

    static let handlers: [String: Handler] = [
        "postgres flexible-server restore": Handler(reads: copyReads + backupReads + [P.restorePointInTime]) {
            world, args in
            let (name, rg) = try serverArgs(args)
            var point: Date?
            if let text = args[P.restorePointInTime] {
                guard let d = AzDate.parseUserDate(text) else {
                    throw CLIError(
                        "Invalid --restore-time '\(text)': use an ISO 8601 time such as 2026-01-01T01:00:00+00:00.")
                }
                point = d
            }
            return try copy(&world, args, name: name, rg: rg, kind: .restore(pointInTime: point), withBackupKeys: true)
        },
        "postgres flexible-server geo-restore": Handler(reads: copyReads + backupReads + [P.location]) { world, args in
            let (name, rg) = try serverArgs(args)
            return try copy(
                &world, args, name: name, rg: rg, kind: .geoRestore(location: try args.require(P.location)),
                withBackupKeys: true)
        },
        "postgres flexible-server revive-dropped": Handler(reads: copyReads + backupReads + [P.location]) {
            world, args in
            let (name, rg) = try serverArgs(args)
            return try copy(
                &world, args, name: name, rg: rg, kind: .reviveDropped(location: try args.require(P.location)),
                withBackupKeys: true)
        },
        "postgres flexible-server replica create": Handler(
            reads: [P.name, P.resourceGroupName, P.sourceServer, P.zone, P.byokKey, P.byokIdentity, P.location]
        ) { world, args in
            let name = try args.required(P.name)
            let rg = try args.required(P.resourceGroupName)
            let source = try world.resolveFlexibleSource(
                try args.require(P.sourceServer), resourceGroup: rg, dropped: false)
            if source.sku.tier == "Burstable" {
                throw CLIError(
                    "Read replica is not supported for the Burstable pricing tier. Scale up the source server to "
                        + "General Purpose or Memory Optimized. ")
            }
            return try copy(
                &world, args, name: name, rg: rg, kind: .replica(location: args[P.location]), withBackupKeys: false)
        },
        "postgres flexible-server replica list": Handler(reads: [P.serverName, P.resourceGroupName]) { world, args in
            let (name, rg) = try serverArgs(args)
            let s = try world.flexibleServer(name, resourceGroup: rg)
            return .array(world.flexibleReplicas(of: s).map { R.render($0, world) })
        },
        "postgres flexible-server replica promote": Handler(
            reads: [P.name, P.resourceGroupName, P.promoteMode, P.promoteOption, P.yes]
        ) { world, args in
            let name = try args.required(P.name)
            let rg = try args.required(P.resourceGroupName)
            guard try world.flexibleServer(name, resourceGroup: rg).isReplica else {
                throw CLIError("Server \(name) is not a replica server.")
            }
            if let mode = args[P.promoteMode], mode.lowercased() == "switchover" {
                throw CloudError(
                    "NotEmulated",
                    "keydrill emulates '--promote-mode standalone' only; a switchover is not emulated.", status: 400)
            }
            return R.render(try world.promoteFlexibleReplica(name: name, resourceGroup: rg), world)
        },
        "postgres flexible-server identity assign": Handler(
            reads: [P.serverName, P.resourceGroupName, P.identities]
        ) { world, args in
            let (name, rg) = try serverArgs(args)
            let ids = try identityList(args, world, rg: rg)
            return identityOutput(
                try world.assignFlexibleIdentities(server: name, resourceGroup: rg, identities: ids), world)
        },
        "postgres flexible-server identity remove": Handler(
            reads: [P.serverName, P.resourceGroupName, P.identities, P.yes]
        ) { world, args in
            let (name, rg) = try serverArgs(args)
            let ids = try identityList(args, world, rg: rg)
            let s = try world.flexibleServer(name, resourceGroup: rg)
            // az refuses before the call, with the service's words and no code.
            if let id = ids.first(where: { s.encryptionUse(of: $0) != nil }) {
                throw CLIError("Cannot remove identity \(id) because it's used for \(s.encryptionUse(of: id)!).")
            }
            return identityOutput(
                try world.removeFlexibleIdentities(server: name, resourceGroup: rg, identities: ids), world)
        },
        "postgres flexible-server identity list": Handler(reads: [P.serverName, P.resourceGroupName]) { world, args in
            let (name, rg) = try serverArgs(args)
            return identityOutput(try world.flexibleServer(name, resourceGroup: rg), world)
        },
        "postgres flexible-server identity show": Handler(
            reads: [P.serverName, P.resourceGroupName, P.identityText]
        ) { world, args in
            let (name, rg) = try serverArgs(args)
            let s = try world.flexibleServer(name, resourceGroup: rg)
            let text = try args.require(P.identityText)
            let id = try C.identityID(text, world, rg: rg)
            guard let a = s.identities.first(where: { $0.id.lowercased() == id.lowercased() }) else {
                throw CLIError("Identity '\(id)' does not exist in server \(name).")
            }
            return R.identityEntry(a)
        },
        "postgres flexible-server identity update": Handler(
            reads: [P.serverName, P.resourceGroupName, P.systemAssignedText]
        ) { world, args in
            let (name, rg) = try serverArgs(args)
            let enabled = try args.require(P.systemAssignedText).lowercased() == "enabled"
            let s = try world.flexibleServer(name, resourceGroup: rg)
            if !enabled, s.isCustomerManaged {
                throw CLIError(
                    "On servers for which data encryption is based on customer managed key, system assigned managed "
                        + "identity cannot be disabled.")
            }
            return identityOutput(
                try world.setFlexibleSystemAssignedIdentity(server: name, resourceGroup: rg, enabled: enabled), world)
        },
    ]
}
