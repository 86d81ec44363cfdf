import Cloud
import Foundation
import JMESPath

/// `az postgres server ...` (az 2.79, the last release with Single Server; SDK model, every
/// attribute printed, nulls included).
enum PostgresCommands {
    static let deprecated =
        "Azure Database for PostgreSQL Single Server is deprecated. Please migrate to Flexible Server for new "
        + "deployments."
    static let retirement =
        "Azure Database for PostgreSQL – Single Server is scheduled for retirement by March 28 2025, "
        + "(https://go.microsoft.com/fwlink/?linkid=2300058). Migrate to Azure Database for PostgreSQL flexible "
        + "server now, (https://go.microsoft.com/fwlink/?linkid=2197657)."
    /// az 2.79 prints the first line on every `postgres server` command, and both on create, key
    /// create, key show, restore and replica create, failing or not.
    static let oneWarning = [deprecated]
    static let bothWarnings = [deprecated, retirement]

    static func server(_ args: Arguments) throws -> (name: String, rg: String) {
        (try args.required(P.serverName), try args.required(P.resourceGroupName))
    }

    static let handlers: [String: Handler] = [
        "postgres server create": Handler(
            reads: [
                P.serverName, P.resourceGroupName, P.location, P.administratorLogin, P.administratorLoginPassword,
                P.skuName, P.storageMb,
                P.backupRetention, P.geoRedundantBackup, P.autoGrow, P.version, P.sslEnforcement,
                P.minimalTlsVersion,
                P.publicNetworkAccess, P.infrastructureEncryption, P.tags, P.assignIdentity,
            ], warnings: bothWarnings
        ) { world, args in
            let (name, rg) = try server(args)
            var ids = world.ids
            // az generates the login and password when they are not given, and prints them.
            let login = args[P.administratorLogin] ?? "keydrill\(ids.hex32().prefix(6))"
            let password = args[P.administratorLoginPassword] ?? "Kd!\(ids.hex32().prefix(12))A9"
            world.ids = ids
            var spec = PostgresServerSpec(administratorLogin: login, password: password)
            spec.location = args[P.location]
            if let v = args[P.skuName] { spec.skuName = v }
            if let v = args[P.storageMb] { spec.storageMb = v }
            if let v = args[P.backupRetention] { spec.backupRetentionDays = v }
            if let v = args[P.geoRedundantBackup] { spec.geoRedundantBackup = v }
            if let v = args[P.autoGrow] { spec.storageAutogrow = v }
            if let v = args[P.version] { spec.version = v }
            if let v = args[P.sslEnforcement] { spec.sslEnforcement = v }
            if let v = args[P.minimalTlsVersion] { spec.minimalTlsVersion = v }
            if let v = args[P.publicNetworkAccess] { spec.publicNetworkAccess = v }
            if let v = args[P.infrastructureEncryption] { spec.infrastructureEncryption = v }
            if let t = args[P.tags] { spec.tags = t }
            spec.assignIdentity = args[P.assignIdentity] ?? false
            args.warn("Checking the existence of the resource group '\(rg)'...")
            args.warn(
                "Resource group '\(rg)' exists ? : \(world.resourceGroups[rg.lowercased()] != nil ? "True" : "False") ")
            args.warn("Creating postgres Server '\(name)' in group '\(rg)'...")
            let s = try world.createPostgresServer(name: name, resourceGroup: rg, spec: spec)
            args.warn(
                "Your server '\(s.name)' is using sku '\(s.sku.name)' (Paid Tier). Please refer to "
                    + "https://aka.ms/postgres-pricing  for pricing details"
            )
            args.warn(
                "Make a note of your password. If you forget, you would have to reset your password with 'az "
                    + "postgres server update -n \(s.name) -g \(s.resourceGroup) -p <new-password>'."
            )
            return createOutput(s, world, password: password)
        },
        "postgres server show": Handler(reads: [P.serverName, P.resourceGroupName], warnings: oneWarning) {
            world, args in
            let (name, rg) = try server(args)
            return render(try world.postgresServer(name, resourceGroup: rg), world)
        },
        "postgres server list": Handler(
            reads: [P.resourceGroupName], warnings: oneWarning, table: TableTransformers.serverList
        ) { world, args in
            .array(
                try world.listPostgresServers(resourceGroup: args[P.resourceGroupName]).map {
                    render($0, world)
                })
        },
        "postgres server update": Handler(
            reads: [
                P.serverName, P.resourceGroupName, P.skuName, P.storageMb, P.backupRetention, P.autoGrow,
                P.sslEnforcement,
                P.minimalTlsVersion, P.publicNetworkAccess, P.tags, P.assignIdentity,
                P.administratorLoginPassword,
            ], warnings: oneWarning
        ) { world, args in
            let (name, rg) = try server(args)
            var u = PostgresServerUpdate()
            u.skuName = args[P.skuName]
            u.storageMb = args[P.storageMb]
            u.backupRetentionDays = args[P.backupRetention]
            u.storageAutogrow = args[P.autoGrow]
            u.sslEnforcement = args[P.sslEnforcement]
            u.minimalTlsVersion = args[P.minimalTlsVersion]
            u.publicNetworkAccess = args[P.publicNetworkAccess]
            u.tags = args[P.tags]
            u.assignIdentity = args[P.assignIdentity] ?? false
            u.password = args[P.administratorLoginPassword]
            return render(try world.updatePostgresServer(name: name, resourceGroup: rg, update: u), world)
        },
        "postgres server delete": Handler(
            reads: [P.serverName, P.resourceGroupName, P.yes], warnings: oneWarning
        ) { world, args in
            let (name, rg) = try server(args)
            try world.deletePostgresServer(name: name, resourceGroup: rg)
            return nil
        },
        "postgres server restart": Handler(reads: [P.serverName, P.resourceGroupName], warnings: oneWarning) {
            world, args in
            let (name, rg) = try server(args)
            try world.restartPostgresServer(name: name, resourceGroup: rg)
            return nil
        },
        "postgres server restore": Handler(
            reads: [P.serverName, P.resourceGroupName, P.sourceServer, P.restorePointInTime],
            warnings: bothWarnings
        ) { world, args in
            let (name, rg) = try server(args)
            let text = try args.require(P.restorePointInTime)
            guard let point = AzDate.parseUserDate(text) else {
                throw CLIError(
                    "Invalid --restore-point-in-time '\(text)': use an ISO 8601 time such as 2026-01-01T01:00:00Z.")
            }
            return render(
                try world.copyPostgresServer(
                    name: name, resourceGroup: rg, source: try args.require(P.sourceServer),
                    kind: .restore(pointInTime: point)), world)
        },
        "postgres server georestore": Handler(
            reads: [P.serverName, P.resourceGroupName, P.sourceServer, P.location, P.skuName],
            warnings: oneWarning
        ) { world, args in
            let (name, rg) = try server(args)
            return render(
                try world.copyPostgresServer(
                    name: name, resourceGroup: rg, source: try args.require(P.sourceServer),
                    kind: .geoRestore(location: try args.require(P.location), skuName: args[P.skuName])), world)
        },
        "postgres server replica create": Handler(
            reads: [P.serverName, P.resourceGroupName, P.sourceServer, P.location, P.skuName],
            warnings: bothWarnings
        ) { world, args in
            let (name, rg) = try server(args)
            return render(
                try world.copyPostgresServer(
                    name: name, resourceGroup: rg, source: try args.require(P.sourceServer),
                    kind: .replica(location: args[P.location], skuName: args[P.skuName])), world)
        },
        "postgres server replica list": Handler(reads: [P.serverName, P.resourceGroupName], warnings: oneWarning) {
            world, args in
            let (name, rg) = try server(args)
            return .array(
                world.postgresReplicas(of: try world.postgresServer(name, resourceGroup: rg)).map { render($0, world) })
        },
        "postgres server replica stop": Handler(
            reads: [P.serverName, P.resourceGroupName, P.yes], warnings: oneWarning
        ) { world, args in
            let (name, rg) = try server(args)
            return render(try world.stopPostgresReplica(name: name, resourceGroup: rg), world)
        },
        "postgres server key create": Handler(
            reads: [P.serverName, P.resourceGroupName, P.kid], warnings: bothWarnings
        ) { world, args in
            let (name, rg) = try server(args)
            let kid = try checkedKid(args)
            let (s, key) = try world.setPostgresServerKey(name: name, resourceGroup: rg, kid: kid)
            return render(key, s, world)
        },
        "postgres server key show": Handler(
            reads: [P.serverName, P.resourceGroupName, P.kid], warnings: bothWarnings
        ) { world, args in
            let (name, rg) = try server(args)
            let kid = try checkedKid(args)
            let key = try world.postgresServerKey(name: name, resourceGroup: rg, kid: kid)
            return render(key, try world.postgresServer(name, resourceGroup: rg), world)
        },
        "postgres server key list": Handler(reads: [P.serverName, P.resourceGroupName], warnings: oneWarning) {
            world, args in
            let (name, rg) = try server(args)
            let s = try world.postgresServer(name, resourceGroup: rg)
            return .array(try world.postgresServerKeys(name: name, resourceGroup: rg).map { render($0, s, world) })
        },
        "postgres server key delete": Handler(
            reads: [P.serverName, P.resourceGroupName, P.kid, P.yes], warnings: oneWarning
        ) { world, args in
            let (name, rg) = try server(args)
            try world.deletePostgresServerKey(name: name, resourceGroup: rg, kid: try checkedKid(args))
            return nil
        },
        "postgres server configuration show": Handler(
            reads: [P.serverName, P.resourceGroupName, P.configurationName], warnings: oneWarning
        ) { world, args in
            let (name, rg) = try server(args)
            let s = try world.postgresServer(name, resourceGroup: rg)
            let (p, value) = try world.postgresConfiguration(server: s, name: try args.required(P.configurationName))
            return render(p, value: value, s, world)
        },
        "postgres server configuration set": Handler(
            reads: [P.serverName, P.resourceGroupName, P.configurationName, P.value], warnings: oneWarning
        ) { world, args in
            let (name, rg) = try server(args)
            let (s, p, value) = try world.setPostgresConfiguration(
                server: name, resourceGroup: rg, parameter: try args.required(P.configurationName),
                value: args[P.value])
            return render(p, value: value, s, world)
        },
    ]

    /// az checks the key id before calling the service: a versioned Key Vault key id.
    static func checkedKid(_ args: Arguments) throws -> String {
        let kid = try args.require(P.kid)
        guard KeyIdentifier.parse(kid)?.version != nil else { throw CLIError(World.invalidKeyIdMessage) }
        return kid
    }

    static func render(_ s: PostgresServer, _ world: World) -> JSON {
        let replicas = world.postgresReplicas(of: s)
        let role = s.isReplica ? "Replica" : (replicas.isEmpty ? "None" : "Master")
        let master =
            s.masterServerName.flatMap { world.postgresServers[$0.lowercased()] }.map { world.postgresServerID($0) }
            ?? ""
        return .object([
            ("administratorLogin", .string(s.administratorLogin)),
            ("byokEnforcement", .string(s.encryption.isCustomerManaged ? "Enabled" : "Disabled")),
            ("earliestRestoreDate", .string(AzDate.sdk(world.earliestRestoreDate(s)))),
            ("fullyQualifiedDomainName", .string("\(s.name).postgres.database.azure.com")),
            ("id", .string(world.postgresServerID(s))),
            (
                "identity",
                s.principalId.map {
                    .object([
                        ("principalId", .string($0)), ("tenantId", .string(world.subscription.tenantId)),
                        ("type", "SystemAssigned"),
                    ])
                }
            ),
            ("infrastructureEncryption", .string(s.infrastructureEncryption)),
            ("location", .string(s.location)),
            ("masterServerId", .string(master)),
            ("minimalTlsVersion", .string(s.minimalTlsVersion)),
            ("name", .string(s.name)),
            ("privateEndpointConnections", .array([])),
            ("publicNetworkAccess", .string(s.publicNetworkAccess)),
            ("replicaCapacity", .number(s.isReplica ? 0 : 5)),
            ("replicationRole", .string(role)),
            ("resourceGroup", .string(s.resourceGroup)),
            (
                "sku",
                .object([
                    ("capacity", .number(Double(s.sku.capacity))), ("family", .string(s.sku.family)),
                    ("name", .string(s.sku.name)), ("size", nil), ("tier", .string(s.sku.tier)),
                ])
            ),
            ("sslEnforcement", .string(s.sslEnforcement)),
            (
                "storageProfile",
                .object([
                    ("backupRetentionDays", .number(Double(s.backupRetentionDays))),
                    ("geoRedundantBackup", .string(s.geoRedundantBackup)),
                    ("storageAutogrow", .string(s.storageAutogrow)), ("storageMb", .number(Double(s.storageMb))),
                ])
            ),
            ("tags", JSON.tags(s.tags)),
            ("type", "Microsoft.DBforPostgreSQL/servers"),
            ("userVisibleState", .string(s.userVisibleState)),
            ("version", .string(s.version)),
        ])
    }

    /// create alone adds connectionString and password, and `additionalProperties: {}` in each model.
    static func createOutput(_ s: PostgresServer, _ world: World, password: String) -> JSON {
        guard case .object(var o) = render(s, world) else { return .null }
        let empty = JSON.object([(String, JSON?)]())
        for k in ["identity", "sku", "storageProfile"] {
            if case .object(var inner)? = o[k] {
                inner["additionalProperties"] = empty;
                o[k] = .object(inner.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            }
        }
        o["additionalProperties"] = empty
        let login =
            s.administratorLogin.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s.administratorLogin
        o["connectionString"] = .string(
            "postgres://\(login)%40\(s.name):\(password)@\(s.name).postgres.database.azure.com/postgres?sslmode=require"
        )
        o["password"] = .string(password)
        return .object(o.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    static func render(_ key: ServerKey, _ s: PostgresServer, _ world: World) -> JSON {
        .object([
            ("creationDate", .string(AzDate.sdk(key.creationDate))),
            ("id", .string("\(world.postgresServerID(s))/keys/\(key.name)")),
            ("kind", "azurekeyvault"),
            ("name", .string(key.name)),
            ("resourceGroup", .string(s.resourceGroup)),
            ("serverKeyType", "AzureKeyVault"),
            ("type", "Microsoft.DBforPostgreSQL/servers/keys"),
            ("uri", .string(key.uri)),
        ])
    }

    static func render(_ p: PostgresParameter, value: String, _ s: PostgresServer, _ world: World) -> JSON {
        .object([
            ("allowedValues", .string(p.allowedValues.joined(separator: ","))),
            ("dataType", "Enumeration"),
            ("defaultValue", .string(p.defaultValue)),
            ("description", .string(p.description)),
            ("id", .string("\(world.postgresServerID(s))/configurations/\(p.name)")),
            ("name", .string(p.name)),
            ("resourceGroup", .string(s.resourceGroup)),
            ("source", .string(value == p.defaultValue ? "system-default" : "user-override")),
            ("type", "Microsoft.DBforPostgreSQL/servers/configurations"),
            ("value", .string(value)),
        ])
    }
}
