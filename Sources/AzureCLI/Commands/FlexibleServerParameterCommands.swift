import Cloud
import Foundation
import JMESPath

/// `az postgres flexible-server parameter show | list | set` and `backup list | show` (az 2.91):
/// the SDK's Configuration and BackupAutomaticAndOnDemand models through az's `todict`.
enum FlexibleServerParameterCommands {
    static func render(_ p: FlexibleParameterValue, serverID: String, rg: String, version: String) -> JSON {
        let d = p.definition
        return .object([
            ("allowedValues", .string(d.allowedValues)), ("dataType", .string(d.dataType)),
            ("defaultValue", .string(d.defaultValue)), ("description", .string(d.description)),
            ("documentationLink", .string(d.documentationLink(version: version))),
            ("id", .string("\(serverID)/configurations/\(d.name)")), ("isConfigPendingRestart", false),
            ("isDynamicConfig", .bool(d.isDynamic)), ("isReadOnly", false), ("name", .string(d.name)),
            ("resourceGroup", .string(rg)), ("source", .string(p.source)), ("systemData", nil),
            ("type", "Microsoft.DBforPostgreSQL/flexibleServers/configurations"), ("unit", nil),
            ("value", .string(p.value)),
        ])
    }

    /// az's `transform_backup` tries to drop `systemData` but cannot on these models, so it stays.
    static func render(_ b: FlexibleBackup, serverID: String, rg: String) -> JSON {
        .object([
            ("backupType", .string(b.backupType)), ("completedTime", .string(AzDate.sdk(b.completedTime))),
            ("id", .string("\(serverID)/backups/\(b.name)")), ("name", .string(b.name)),
            ("resourceGroup", .string(rg)), ("source", .string(b.source)),
            (
                "systemData",
                .object([
                    ("createdAt", nil), ("createdBy", nil), ("createdByType", nil), ("lastModifiedAt", nil),
                    ("lastModifiedBy", nil), ("lastModifiedByType", nil),
                ])
            ),
            ("type", "Microsoft.DBforPostgreSQL/flexibleServers/backups"),
        ])
    }

    /// The server the command names (`-g`, `-s`).
    static func namedServer(_ world: World, _ args: Arguments) throws -> (rg: String, server: FlexibleServer) {
        let rg = try args.required(P.resourceGroupName)
        return (rg, try world.flexibleServer(try args.required(P.serverName), resourceGroup: rg))
    }

    static let handlers: [String: Handler] = [
        "postgres flexible-server parameter show": Handler(
            reads: [P.resourceGroupName, P.serverName, P.configurationName], table: TableTransformers.parameters
        ) { world, args in
            let (rg, s) = try namedServer(world, args)
            let p = try world.flexibleParameter(
                server: s.name, resourceGroup: rg, name: try args.required(P.configurationName))
            return render(p, serverID: world.flexibleServerID(s), rg: rg, version: s.version)
        },
        "postgres flexible-server parameter list": Handler(
            reads: [P.resourceGroupName, P.serverName], table: TableTransformers.parameters
        ) { world, args in
            let (rg, s) = try namedServer(world, args)
            let id = world.flexibleServerID(s)
            return .array(
                try world.flexibleParameters(server: s.name, resourceGroup: rg).map {
                    render($0, serverID: id, rg: rg, version: s.version)
                })
        },
        // az reads the parameter first and turns that read's failure into a plain error (exit 1);
        // no value and no source sets it back to its default.
        "postgres flexible-server parameter set": Handler(
            reads: [P.resourceGroupName, P.serverName, P.configurationName, P.value, P.source],
            table: TableTransformers.parameters
        ) { world, args in
            // az's own check (validate_resource_group): an empty -g passes the parser and --ids check.
            let rg = args[P.resourceGroupName] ?? ""
            guard !rg.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw CLIError("Resource group name cannot be empty.")
            }
            let server = try args.required(P.serverName), name = try args.required(P.configurationName)
            let current: FlexibleParameterValue
            do { current = try world.flexibleParameter(server: server, resourceGroup: rg, name: name) } catch let e
                as CloudError
            {
                var text = AzureCLI.render(e).dropFirst("ERROR: ".count)
                if text.hasSuffix("\n") { text.removeLast() }
                throw CLIError(String(text))
            }
            let value = args[P.value] ?? (args[P.source] == nil ? current.definition.defaultValue : "")
            let p = try world.setFlexibleParameter(
                server: server, resourceGroup: rg, name: name, value: value,
                source: args[P.source] ?? FlexibleServerParameters.userOverride)
            let s = try world.flexibleServer(server, resourceGroup: rg)
            return render(p, serverID: world.flexibleServerID(s), rg: rg, version: s.version)
        },
        "postgres flexible-server backup list": Handler(reads: [P.resourceGroupName, P.serverName]) { world, args in
            let (rg, s) = try namedServer(world, args)
            let id = world.flexibleServerID(s)
            return .array(
                try world.flexibleBackups(server: s.name, resourceGroup: rg).map { render($0, serverID: id, rg: rg) })
        },
        "postgres flexible-server backup show": Handler(reads: [P.resourceGroupName, P.serverName, P.backupName]) {
            world, args in
            let (rg, s) = try namedServer(world, args)
            let b = try world.flexibleBackup(server: s.name, resourceGroup: rg, name: try args.required(P.backupName))
            return render(b, serverID: world.flexibleServerID(s), rg: rg)
        },
    ]
}
