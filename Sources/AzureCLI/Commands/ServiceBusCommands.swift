import Cloud
import Foundation
import JMESPath

/// `az servicebus ...` (AAZ and custom commands of az 2.91; AAZ prints only returned fields).
enum ServiceBusCommands {
    static func group(_ args: Arguments) throws -> String {
        if let rg = args.string("resource_group_name") ?? args.string("resource_group"), !rg.isEmpty { return rg }
        throw UsageError("the following arguments are required: --resource-group/-g")
    }

    /// `--encryption-config key-name=K key-vault-uri=U [key-version=V] [user-assigned-identity=ID]`,
    /// repeatable, one key per occurrence.
    static func encryptionConfig(_ args: Arguments) throws -> [KeyVaultProperty] {
        guard let value = args.json("encryption_config")?.arrayValue else { return [] }
        let groups: [[String]] =
            value.contains(where: { $0.arrayValue != nil })
            ? value.map { $0.arrayValue?.compactMap(\.stringValue) ?? [$0.stringValue ?? ""] }
            : [value.compactMap(\.stringValue)]
        return try groups.map { words in
            var fields = [String: String]()
            for w in words {
                let parts = w.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2,
                    ["key-name", "key-vault-uri", "key-version", "user-assigned-identity"].contains(parts[0])
                else {
                    throw CLIError(
                        "InvalidArgumentValueError: Invalid --encryption-config value '\(w)': use key-name=NAME "
                            + "key-vault-uri=URI [key-version=VERSION] [user-assigned-identity=ID]."
                    )
                }
                fields[parts[0]] = parts[1]
            }
            guard let name = fields["key-name"], var uri = fields["key-vault-uri"] else {
                throw CLIError("InvalidArgumentValueError: --encryption-config needs key-name and key-vault-uri.")
            }
            while uri.hasSuffix("/") { uri.removeLast() }
            return KeyVaultProperty(
                keyName: name, keyVaultUri: uri, keyVersion: fields["key-version"] ?? "",
                userAssignedIdentity: fields["user-assigned-identity"])
        }
    }

    static let handlers: [String: Handler] = [
        "servicebus namespace create": Handler(supports: [
            "namespace_name", "resource_group_name", "location", "sku", "capacity", "tags", "minimum_tls_version",
            "public_network_access",
            "disable_local_auth", "zone_redundant", "mi_system_assigned", "mi_user_assigned", "encryption_config",
            "require_infrastructure_encryption",
        ]) { world, args in
            var spec = ServiceBusNamespaceSpec()
            spec.location = args.string("location")
            if let v = args.string("sku") { spec.sku = v }
            spec.capacity = args.int("capacity")
            if let t = args.tags() { spec.tags = t }
            if let v = args.string("minimum_tls_version") { spec.minimumTlsVersion = v }
            if let v = args.string("public_network_access") { spec.publicNetworkAccess = v }
            if let v = args.bool("disable_local_auth") { spec.disableLocalAuth = v }
            if let v = args.bool("zone_redundant") { spec.zoneRedundant = v }
            spec.systemAssigned = args.bool("mi_system_assigned") ?? false
            spec.userAssigned = args.strings("mi_user_assigned") ?? []
            spec.encryption = try encryptionConfig(args)
            spec.requireInfrastructureEncryption = args.bool("require_infrastructure_encryption")
            return render(
                try world.createServiceBusNamespace(
                    name: try args.required("namespace_name"), resourceGroup: try group(args), spec: spec), world)
        },
        "servicebus namespace show": Handler(supports: ["namespace_name", "resource_group"]) { world, args in
            render(
                try world.serviceBusNamespace(try args.required("namespace_name"), resourceGroup: try group(args)),
                world)
        },
        "servicebus namespace list": Handler(supports: ["resource_group"]) { world, args in
            .array(
                try world.listServiceBusNamespaces(resourceGroup: args.string("resource_group")).map {
                    render($0, world)
                })
        },
        "servicebus namespace update": Handler(supports: [
            "namespace_name", "resource_group", "sku", "capacity", "tags", "minimum_tls_version",
            "public_network_access", "disable_local_auth",
        ]) { world, args in
            var u = ServiceBusNamespaceUpdate()
            u.sku = args.string("sku")
            u.capacity = args.int("capacity")
            u.tags = args.tags()
            u.minimumTlsVersion = args.string("minimum_tls_version")
            u.publicNetworkAccess = args.string("public_network_access")
            u.disableLocalAuth = args.bool("disable_local_auth")
            return render(
                try world.updateServiceBusNamespace(
                    name: try args.required("namespace_name"), resourceGroup: try group(args), update: u), world)
        },
        "servicebus namespace delete": Handler(supports: ["namespace_name", "resource_group"]) { world, args in
            try world.deleteServiceBusNamespace(
                name: try args.required("namespace_name"), resourceGroup: try group(args))
            return nil
        },
        "servicebus namespace identity assign": Handler(supports: [
            "namespace_name", "resource_group_name", "system_assigned", "user_assigned",
        ]) { world, args in
            render(
                try world.assignServiceBusIdentity(
                    namespace: try args.required("namespace_name"), resourceGroup: try group(args),
                    systemAssigned: args.bool("system_assigned") ?? false,
                    userAssigned: args.strings("user_assigned") ?? []), world)
        },
        "servicebus namespace identity remove": Handler(supports: [
            "namespace_name", "resource_group_name", "system_assigned", "user_assigned",
        ]) { world, args in
            render(
                try world.removeServiceBusIdentity(
                    namespace: try args.required("namespace_name"), resourceGroup: try group(args),
                    systemAssigned: args.bool("system_assigned") ?? false,
                    userAssigned: args.strings("user_assigned") ?? []), world)
        },
        "servicebus namespace encryption add": Handler(supports: [
            "namespace_name", "resource_group_name", "encryption_config", "require_infrastructure_encryption",
        ]) { world, args in
            render(
                try world.addServiceBusEncryption(
                    namespace: try args.required("namespace_name"), resourceGroup: try group(args),
                    keys: try encryptionConfig(args),
                    requireInfrastructureEncryption: args.bool("require_infrastructure_encryption")), world)
        },
        "servicebus namespace encryption remove": Handler(supports: [
            "namespace_name", "resource_group_name", "encryption_config",
        ]) { world, args in
            render(
                try world.removeServiceBusEncryption(
                    namespace: try args.required("namespace_name"), resourceGroup: try group(args),
                    keys: try encryptionConfig(args)), world)
        },
        "servicebus queue create": Handler(supports: ["queue_name", "namespace_name", "resource_group"]) {
            world, args in
            let (ns, q) = try world.createServiceBusQueue(
                namespace: try args.required("namespace_name"), resourceGroup: try group(args),
                name: try args.required("queue_name"))
            return render(q, ns, world)
        },
        "servicebus queue show": Handler(supports: ["queue_name", "namespace_name", "resource_group"]) { world, args in
            let (ns, q) = try world.serviceBusQueue(
                namespace: try args.required("namespace_name"), resourceGroup: try group(args),
                name: try args.required("queue_name"))
            return render(q, ns, world)
        },
        "servicebus queue list": Handler(supports: ["namespace_name", "resource_group"]) { world, args in
            let ns = try world.serviceBusNamespace(try args.required("namespace_name"), resourceGroup: try group(args))
            return .array(ns.queues.values.sorted { $0.name < $1.name }.map { render($0, ns, world) })
        },
        "servicebus queue delete": Handler(supports: ["queue_name", "namespace_name", "resource_group"]) {
            world, args in
            try world.deleteServiceBusQueue(
                namespace: try args.required("namespace_name"), resourceGroup: try group(args),
                name: try args.required("queue_name"))
            return nil
        },
        "servicebus georecovery-alias set": Handler(supports: [
            "namespace_name", "resource_group_name", "alias", "partner_namespace", "alternate_name",
        ]) { world, args in
            try pair(&world, args)
        },
        "servicebus georecovery-alias create": Handler(supports: [
            "namespace_name", "resource_group", "alias", "partner_namespace", "alternate_name",
        ]) { world, args in
            try pair(&world, args)
        },
        "servicebus georecovery-alias show": Handler(supports: ["namespace_name", "resource_group", "alias"]) {
            world, args in
            let (ns, a) = try world.serviceBusAlias(
                namespace: try args.required("namespace_name"), resourceGroup: try group(args),
                alias: try args.required("alias"))
            return render(a, ns, world)
        },
        "servicebus georecovery-alias list": Handler(supports: ["namespace_name", "resource_group"]) { world, args in
            let ns = try world.serviceBusNamespace(try args.required("namespace_name"), resourceGroup: try group(args))
            return .array(ns.alias.map { [render($0, ns, world)] } ?? [])
        },
        "servicebus georecovery-alias exists": Handler(supports: ["namespace_name", "resource_group", "alias"]) {
            world, args in
            _ = try world.serviceBusNamespace(try args.required("namespace_name"), resourceGroup: try group(args))
            let name = try args.required("alias")
            let taken = world.serviceBusNamespaces.values.contains {
                $0.alias?.name.lowercased() == name.lowercased() || $0.name.lowercased() == name.lowercased()
            }
            return taken
                ? .object([
                    (
                        "message",
                        .string("The specified name is not available. For more information visit "
                            + "https://aka.ms/eventhubsarmexceptions.")
                    ), ("nameAvailable", .bool(false)), ("reason", "NameInUse"),
                ])
                : .object([("nameAvailable", .bool(true)), ("reason", "None")])
        },
        "servicebus georecovery-alias break-pair": Handler(supports: ["namespace_name", "resource_group", "alias"]) {
            world, args in
            try world.breakServiceBusPairing(
                namespace: try args.required("namespace_name"), resourceGroup: try group(args),
                alias: try args.required("alias"))
            return nil
        },
        "servicebus georecovery-alias fail-over": Handler(supports: ["namespace_name", "resource_group", "alias"]) {
            world, args in
            try world.failOverServiceBusAlias(
                namespace: try args.required("namespace_name"), resourceGroup: try group(args),
                alias: try args.required("alias"))
            return nil
        },
        "servicebus georecovery-alias delete": Handler(supports: ["namespace_name", "resource_group", "alias"]) {
            world, args in
            try world.deleteServiceBusAlias(
                namespace: try args.required("namespace_name"), resourceGroup: try group(args),
                alias: try args.required("alias"))
            return nil
        },
    ]

    static func pair(_ world: inout World, _ args: Arguments) throws -> JSON {
        let rg = try group(args)
        let ns = try world.pairServiceBusNamespaces(
            primary: try args.required("namespace_name"), resourceGroup: rg, alias: try args.required("alias"),
            partner: try args.required("partner_namespace"), alternateName: args.string("alternate_name"))
        return render(ns.alias!, ns, world)
    }

    static func render(_ ns: ServiceBusNamespace, _ world: World) -> JSON {
        var identity: JSON?
        if ns.systemPrincipalId != nil || !ns.userAssignedIdentities.isEmpty {
            let type = [
                ns.systemPrincipalId != nil ? "SystemAssigned" : nil,
                ns.userAssignedIdentities.isEmpty ? nil : "UserAssigned",
            ].compactMap { $0 }.joined(separator: ", ")
            var pairs: [(String, JSON?)] = []
            if let p = ns.systemPrincipalId {
                pairs += [("principalId", .string(p)), ("tenantId", .string(world.subscription.tenantId))]
            }
            pairs.append(("type", .string(type)))
            if !ns.userAssignedIdentities.isEmpty {
                pairs.append(
                    (
                        "userAssignedIdentities",
                        .object(
                            ns.userAssignedIdentities.map { id in
                                let i = try? world.userAssignedIdentity(byID: id)
                                return (
                                    id,
                                    .object(
                                        [
                                            ("clientId", i.map { .string($0.clientId) }),
                                            ("principalId", i.map { .string($0.principalId) }),
                                        ].filter { $0.1 != nil })
                                )
                            })
                    ))
            }
            identity = .object(pairs)
        }
        var pairs: [(String, JSON?)] = [
            ("createdAt", .string(AzDate.service(ns.createdAt))),
            ("disableLocalAuth", .bool(ns.disableLocalAuth)),
        ]
        if let e = ns.encryption {
            pairs.append(
                (
                    "encryption",
                    .object([
                        ("keySource", "Microsoft.KeyVault"),
                        (
                            "keyVaultProperties",
                            .array(
                                e.keys.map { k in
                                    var o: [(String, JSON?)] = []
                                    if let uai = k.userAssignedIdentity {
                                        o.append(("identity", .object([("userAssignedIdentity", .string(uai))])))
                                    }
                                    o += [
                                        ("keyName", .string(k.keyName)), ("keyVaultUri", .string(k.keyVaultUri)),
                                        ("keyVersion", .string(k.keyVersion)),
                                    ]
                                    return .object(o)
                                })
                        ),
                        ("requireInfrastructureEncryption", .bool(e.requireInfrastructureEncryption)),
                    ])
                ))
        }
        pairs += [("id", .string(world.serviceBusNamespaceID(ns)))]
        if let identity { pairs.append(("identity", identity)) }
        pairs += [
            ("location", .string(ns.location)),
            ("metricId", .string("\(world.subscription.id):\(ns.name)")),
            ("minimumTlsVersion", .string(ns.minimumTlsVersion)),
            ("name", .string(ns.name)),
        ]
        if ns.sku == "Premium" { pairs.append(("premiumMessagingPartitions", .number(1))) }
        pairs += [
            ("provisioningState", "Succeeded"),
            ("publicNetworkAccess", .string(ns.publicNetworkAccess)),
            ("resourceGroup", .string(ns.resourceGroup)),
            ("serviceBusEndpoint", .string("https://\(ns.name).servicebus.windows.net:443/")),
            (
                "sku",
                .object(
                    [
                        ("capacity", ns.capacity.map { .number(Double($0)) }), ("name", .string(ns.sku)),
                        ("tier", .string(ns.sku)),
                    ].filter { $0.1 != nil })
            ),
            ("status", "Active"),
            ("tags", JSON.tags(ns.tags)),
            ("type", "Microsoft.ServiceBus/Namespaces"),
            ("updatedAt", .string(AzDate.service(ns.updatedAt))),
            ("zoneRedundant", .bool(ns.zoneRedundant)),
        ]
        return .object(pairs)
    }

    static let maxDuration = "P10675199DT2H48M5.4775807S"

    static func render(_ q: ServiceBusQueue, _ ns: ServiceBusNamespace, _ world: World) -> JSON {
        let region = Locations.all.first { $0.displayName == ns.location }?.name ?? ns.location
        return .object([
            ("accessedAt", "0001-01-01T00:00:00"),
            ("autoDeleteOnIdle", .string(maxDuration)),
            (
                "countDetails",
                .object([
                    ("activeMessageCount", .number(Double(q.messages.count))), ("deadLetterMessageCount", .number(0)),
                    ("scheduledMessageCount", .number(0)), ("transferDeadLetterMessageCount", .number(0)),
                    ("transferMessageCount", .number(0)),
                ])
            ),
            ("createdAt", .string(AzDate.service(q.createdAt))),
            ("deadLetteringOnMessageExpiration", .bool(false)),
            ("defaultMessageTimeToLive", .string(maxDuration)),
            ("duplicateDetectionHistoryTimeWindow", "PT10M"),
            ("enableBatchedOperations", .bool(true)),
            ("enableExpress", .bool(false)),
            ("enablePartitioning", .bool(false)),
            ("id", .string("\(world.serviceBusNamespaceID(ns))/queues/\(q.name)")),
            ("location", .string(region)),
            ("lockDuration", "PT1M"),
            ("maxDeliveryCount", .number(10)),
            ("maxMessageSizeInKilobytes", .number(ns.sku == "Premium" ? 1024 : 256)),
            ("maxSizeInMegabytes", .number(1024)),
            ("messageCount", .number(Double(q.messages.count))),
            ("name", .string(q.name)),
            ("requiresDuplicateDetection", .bool(false)),
            ("requiresSession", .bool(false)),
            ("resourceGroup", .string(ns.resourceGroup)),
            ("sizeInBytes", .number(Double(q.messages.reduce(0) { $0 + $1.sealed.count }))),
            ("status", "Active"),
            ("type", "Microsoft.ServiceBus/namespaces/queues"),
            ("updatedAt", .string(AzDate.service(q.updatedAt))),
        ])
    }

    static func render(_ a: GeoDRAlias, _ ns: ServiceBusNamespace, _ world: World) -> JSON {
        let settled = world.now >= a.settledAt
        let partner =
            a.partner.isEmpty
            ? "" : (world.serviceBusNamespaces[a.partner.lowercased()].map { world.serviceBusNamespaceID($0) } ?? "")
        var pairs: [(String, JSON?)] = []
        if let alt = a.alternateName { pairs.append(("alternateName", .string(alt))) }
        pairs += [
            ("id", .string("\(world.serviceBusNamespaceID(ns))/disasterRecoveryConfigs/\(a.name)")),
            ("name", .string(a.name)),
            ("partnerNamespace", .string(partner)),
        ]
        if settled { pairs.append(("pendingReplicationOperationsCount", .number(0))) }
        pairs += [
            ("provisioningState", .string(settled ? "Succeeded" : "Accepted")),
            ("resourceGroup", .string(ns.resourceGroup)),
            ("role", .string(a.role)),
            ("type", "Microsoft.ServiceBus/Namespaces/disasterrecoveryconfigs"),
        ]
        return .object(pairs)
    }
}
