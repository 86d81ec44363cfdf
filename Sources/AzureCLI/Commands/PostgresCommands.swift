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
        (try args.required("server_name"), try args.required("resource_group_name"))
    }

    static let handlers: [String: Handler] = [
        "postgres server create": Handler(
            supports: [
                "server_name", "resource_group_name", "location", "administrator_login", "administrator_login_password",
                "sku_name", "storage_mb",
                "backup_retention", "geo_redundant_backup", "auto_grow", "version", "ssl_enforcement",
                "minimal_tls_version",
                "public_network_access", "infrastructure_encryption", "tags", "assign_identity",
            ], warnings: bothWarnings
        ) { world, args in
            let (name, rg) = try server(args)
            var ids = world.ids
            // az generates the login and password when they are not given, and prints them.
            let login = args.string("administrator_login") ?? "keydrill\(ids.hex32().prefix(6))"
            let password = args.string("administrator_login_password") ?? "Kd!\(ids.hex32().prefix(12))A9"
            world.ids = ids
            var spec = PostgresServerSpec(administratorLogin: login, password: password)
            spec.location = args.string("location")
            if let v = args.string("sku_name") { spec.skuName = v }
            if let v = args.int("storage_mb") { spec.storageMb = v }
            if let v = args.int("backup_retention") { spec.backupRetentionDays = v }
            if let v = args.string("geo_redundant_backup") { spec.geoRedundantBackup = v }
            if let v = args.string("auto_grow") { spec.storageAutogrow = v }
            if let v = args.string("version") { spec.version = v }
            if let v = args.string("ssl_enforcement") { spec.sslEnforcement = v }
            if let v = args.string("minimal_tls_version") { spec.minimalTlsVersion = v }
            if let v = args.string("public_network_access") { spec.publicNetworkAccess = v }
            if let v = args.string("infrastructure_encryption") { spec.infrastructureEncryption = v }
            if let t = args.tags() { spec.tags = t }
            spec.assignIdentity = args.bool("assign_identity") ?? false
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
        "postgres server show": Handler(supports: ["server_name", "resource_group_name"], warnings: oneWarning) {
            world, args in
            let (name, rg) = try server(args)
            return render(try world.postgresServer(name, resourceGroup: rg), world)
        },
        "postgres server list": Handler(supports: ["resource_group_name"], warnings: oneWarning) { world, args in
            .array(
                try world.listPostgresServers(resourceGroup: args.string("resource_group_name")).map {
                    render($0, world)
                })
        },
        "postgres server update": Handler(
            supports: [
                "server_name", "resource_group_name", "sku_name", "storage_mb", "backup_retention", "auto_grow",
                "ssl_enforcement",
                "minimal_tls_version", "public_network_access", "tags", "assign_identity",
                "administrator_login_password",
            ], warnings: oneWarning
        ) { world, args in
            let (name, rg) = try server(args)
            var u = PostgresServerUpdate()
            u.skuName = args.string("sku_name")
            u.storageMb = args.int("storage_mb")
            u.backupRetentionDays = args.int("backup_retention")
            u.storageAutogrow = args.string("auto_grow")
            u.sslEnforcement = args.string("ssl_enforcement")
            u.minimalTlsVersion = args.string("minimal_tls_version")
            u.publicNetworkAccess = args.string("public_network_access")
            u.tags = args.tags()
            u.assignIdentity = args.bool("assign_identity") ?? false
            u.password = args.string("administrator_login_password")
            return render(try world.updatePostgresServer(name: name, resourceGroup: rg, update: u), world)
        },
        "postgres server delete": Handler(
            supports: ["server_name", "resource_group_name", "yes"], warnings: oneWarning
        ) { world, args in
            let (name, rg) = try server(args)
            try world.deletePostgresServer(name: name, resourceGroup: rg)
            return nil
        },
        "postgres server restart": Handler(supports: ["server_name", "resource_group_name"], warnings: oneWarning) {
            world, args in
            let (name, rg) = try server(args)
            try world.restartPostgresServer(name: name, resourceGroup: rg)
            return nil
        },
        "postgres server restore": Handler(
            supports: ["server_name", "resource_group_name", "source_server", "restore_point_in_time"],
            warnings: bothWarnings
        ) { world, args in
            let (name, rg) = try server(args)
            let text = try args.require("restore_point_in_time")
            guard let point = AzDate.parseUserDate(text) else {
                throw CLIError(
                    "Invalid --restore-point-in-time '\(text)': use an ISO 8601 time such as 2026-01-01T01:00:00Z.")
            }
            return render(
                try world.copyPostgresServer(
                    name: name, resourceGroup: rg, source: try args.require("source_server"),
                    kind: .restore(pointInTime: point)), world)
        },
        "postgres server georestore": Handler(
            supports: ["server_name", "resource_group_name", "source_server", "location", "sku_name"],
            warnings: oneWarning
        ) { world, args in
            let (name, rg) = try server(args)
            return render(
                try world.copyPostgresServer(
                    name: name, resourceGroup: rg, source: try args.require("source_server"),
                    kind: .geoRestore(location: try args.require("location"), skuName: args.string("sku_name"))), world)
        },
        "postgres server replica create": Handler(
            supports: ["server_name", "resource_group_name", "source_server", "location", "sku_name"],
            warnings: bothWarnings
        ) { world, args in
            let (name, rg) = try server(args)
            return render(
                try world.copyPostgresServer(
                    name: name, resourceGroup: rg, source: try args.require("source_server"),
                    kind: .replica(location: args.string("location"), skuName: args.string("sku_name"))), world)
        },
        "postgres server replica list": Handler(supports: ["server_name", "resource_group_name"], warnings: oneWarning)
        { world, args in
            let (name, rg) = try server(args)
            return .array(
                world.postgresReplicas(of: try world.postgresServer(name, resourceGroup: rg)).map { render($0, world) })
        },
        "postgres server replica stop": Handler(
            supports: ["server_name", "resource_group_name", "yes"], warnings: oneWarning
        ) { world, args in
            let (name, rg) = try server(args)
            return render(try world.stopPostgresReplica(name: name, resourceGroup: rg), world)
        },
        "postgres server key create": Handler(
            supports: ["server_name", "resource_group_name", "kid"], warnings: bothWarnings
        ) { world, args in
            let (name, rg) = try server(args)
            let kid = try checkedKid(args)
            let (s, key) = try world.setPostgresServerKey(name: name, resourceGroup: rg, kid: kid)
            return render(key, s, world)
        },
        "postgres server key show": Handler(
            supports: ["server_name", "resource_group_name", "kid"], warnings: bothWarnings
        ) { world, args in
            let (name, rg) = try server(args)
            let kid = try checkedKid(args)
            let key = try world.postgresServerKey(name: name, resourceGroup: rg, kid: kid)
            return render(key, try world.postgresServer(name, resourceGroup: rg), world)
        },
        "postgres server key list": Handler(supports: ["server_name", "resource_group_name"], warnings: oneWarning) {
            world, args in
            let (name, rg) = try server(args)
            let s = try world.postgresServer(name, resourceGroup: rg)
            return .array(try world.postgresServerKeys(name: name, resourceGroup: rg).map { render($0, s, world) })
        },
        "postgres server key delete": Handler(
            supports: ["server_name", "resource_group_name", "kid", "yes"], warnings: oneWarning
        ) { world, args in
            let (name, rg) = try server(args)
            try world.deletePostgresServerKey(name: name, resourceGroup: rg, kid: try checkedKid(args))
            return nil
        },
        "postgres server configuration show": Handler(
            supports: ["server_name", "resource_group_name", "configuration_name"], warnings: oneWarning
        ) { world, args in
            let (name, rg) = try server(args)
            let s = try world.postgresServer(name, resourceGroup: rg)
            let (p, value) = try world.postgresConfiguration(server: s, name: try args.required("configuration_name"))
            return render(p, value: value, s, world)
        },
        "postgres server configuration set": Handler(
            supports: ["server_name", "resource_group_name", "configuration_name", "value"], warnings: oneWarning
        ) { world, args in
            let (name, rg) = try server(args)
            let (s, p, value) = try world.setPostgresConfiguration(
                server: name, resourceGroup: rg, parameter: try args.required("configuration_name"),
                value: args.string("value"))
            return render(p, value: value, s, world)
        },
    ]

    /// az checks the key id before calling the service: a versioned Key Vault key id.
    static func checkedKid(_ args: Arguments) throws -> String {
        let kid = try args.require("kid")
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
