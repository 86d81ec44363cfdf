import Cloud
import Foundation
import JMESPath

/// `az servicebus ...` (AAZ and custom commands of az 2.91; AAZ prints only returned fields).
enum ServiceBusCommands {
    static func group(_ args: Arguments) throws -> String {
        if let rg = args[P.resourceGroupName] ?? args[P.resourceGroup], !rg.isEmpty { return rg }
        throw UsageError("the following arguments are required: --resource-group/-g")
    }

    /// `--encryption-config key-name=K key-vault-uri=U [key-version=V] [user-assigned-identity=ID]`,
    /// repeatable, one key per occurrence.
    static func encryptionConfig(_ args: Arguments) throws -> [KeyVaultProperty] {
        guard let value = args[P.encryptionConfig]?.arrayValue else { return [] }
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
        "servicebus namespace create": Handler(reads: [
            P.namespaceName, P.resourceGroupName, P.location, P.sku, P.capacity, P.tags, P.minimumTlsVersion,
            P.publicNetworkAccess,
            P.disableLocalAuth, P.zoneRedundant, P.miSystemAssigned, P.miUserAssigned, P.encryptionConfig,
            P.requireInfrastructureEncryption,
        ]) { world, args in
            var spec = ServiceBusNamespaceSpec()
            spec.location = args[P.location]
            if let v = args[P.sku] { spec.sku = v }
            spec.capacity = args[P.capacity]
            if let t = args[P.tags] { spec.tags = t }
            if let v = args[P.minimumTlsVersion] { spec.minimumTlsVersion = v }
            if let v = args[P.publicNetworkAccess] { spec.publicNetworkAccess = v }
            if let v = args[P.disableLocalAuth] { spec.disableLocalAuth = v }
            if let v = args[P.zoneRedundant] { spec.zoneRedundant = v }
            spec.systemAssigned = args[P.miSystemAssigned] ?? false
            spec.userAssigned = args[P.miUserAssigned] ?? []
            spec.encryption = try encryptionConfig(args)
            spec.requireInfrastructureEncryption = args[P.requireInfrastructureEncryption]
            return render(
                try world.createServiceBusNamespace(
                    name: try args.required(P.namespaceName), resourceGroup: try group(args), spec: spec), world)
        },
        "servicebus namespace show": Handler(reads: [P.namespaceName, P.resourceGroup]) { world, args in
            render(
                try world.serviceBusNamespace(try args.required(P.namespaceName), resourceGroup: try group(args)),
                world)
        },
        "servicebus namespace list": Handler(reads: [P.resourceGroup]) { world, args in
            .array(
                try world.listServiceBusNamespaces(resourceGroup: args[P.resourceGroup]).map {
                    render($0, world)
                })
        },
        "servicebus namespace update": Handler(reads: [
            P.namespaceName, P.resourceGroup, P.sku, P.capacity, P.tags, P.minimumTlsVersion,
            P.publicNetworkAccess, P.disableLocalAuth,
        ]) { world, args in
            var u = ServiceBusNamespaceUpdate()
            u.sku = args[P.sku]
            u.capacity = args[P.capacity]
            u.tags = args[P.tags]
            u.minimumTlsVersion = args[P.minimumTlsVersion]
            u.publicNetworkAccess = args[P.publicNetworkAccess]
            u.disableLocalAuth = args[P.disableLocalAuth]
            return render(
                try world.updateServiceBusNamespace(
                    name: try args.required(P.namespaceName), resourceGroup: try group(args), update: u), world)
        },
        "servicebus namespace delete": Handler(reads: [P.namespaceName, P.resourceGroup]) { world, args in
            try world.deleteServiceBusNamespace(
                name: try args.required(P.namespaceName), resourceGroup: try group(args))
            return nil
        },
        "servicebus namespace identity assign": Handler(reads: [
            P.namespaceName, P.resourceGroupName, P.systemAssigned, P.userAssigned,
        ]) { world, args in
            render(
                try world.assignServiceBusIdentity(
                    namespace: try args.required(P.namespaceName), resourceGroup: try group(args),
                    systemAssigned: args[P.systemAssigned] ?? false,
                    userAssigned: args[P.userAssigned] ?? []), world)
        },
        "servicebus namespace identity remove": Handler(reads: [
            P.namespaceName, P.resourceGroupName, P.systemAssigned, P.userAssigned,
        ]) { world, args in
            render(
                try world.removeServiceBusIdentity(
                    namespace: try args.required(P.namespaceName), resourceGroup: try group(args),
                    systemAssigned: args[P.systemAssigned] ?? false,
                    userAssigned: args[P.userAssigned] ?? []), world)
        },
        "servicebus namespace encryption add": Handler(reads: [
            P.namespaceName, P.resourceGroupName, P.encryptionConfig, P.requireInfrastructureEncryption,
        ]) { world, args in
            render(
                try world.addServiceBusEncryption(
                    namespace: try args.required(P.namespaceName), resourceGroup: try group(args),
                    keys: try encryptionConfig(args),
                    requireInfrastructureEncryption: args[P.requireInfrastructureEncryption]), world)
        },
        "servicebus namespace encryption remove": Handler(reads: [
            P.namespaceName, P.resourceGroupName, P.encryptionConfig,
        ]) { world, args in
            render(
                try world.removeServiceBusEncryption(
                    namespace: try args.required(P.namespaceName), resourceGroup: try group(args),
                    keys: try encryptionConfig(args)), world)
        },
        "servicebus queue create": Handler(reads: [P.queueName, P.namespaceName, P.resourceGroup]) {
            world, args in
            let (ns, q) = try world.createServiceBusQueue(
                namespace: try args.required(P.namespaceName), resourceGroup: try group(args),
                name: try args.required(P.queueName))
            return render(q, ns, world)
        },
        "servicebus queue show": Handler(reads: [P.queueName, P.namespaceName, P.resourceGroup]) { world, args in
            let (ns, q) = try world.serviceBusQueue(
                namespace: try args.required(P.namespaceName), resourceGroup: try group(args),
                name: try args.required(P.queueName))
            return render(q, ns, world)
        },
        "servicebus queue list": Handler(reads: [P.namespaceName, P.resourceGroup]) { world, args in
            let ns = try world.serviceBusNamespace(try args.required(P.namespaceName), resourceGroup: try group(args))
            return .array(ns.queues.values.sorted { $0.name < $1.name }.map { render($0, ns, world) })
        },
        "servicebus queue delete": Handler(reads: [P.queueName, P.namespaceName, P.resourceGroup]) {
            world, args in
            try world.deleteServiceBusQueue(
                namespace: try args.required(P.namespaceName), resourceGroup: try group(args),
                name: try args.required(P.queueName))
            return nil
        },
        "servicebus georecovery-alias set": Handler(reads: [
            P.namespaceName, P.resourceGroupName, P.alias, P.partnerNamespace, P.alternateName,
        ]) { world, args in
            try pair(&world, args)
        },
        "servicebus georecovery-alias create": Handler(reads: [
            P.namespaceName, P.resourceGroup, P.alias, P.partnerNamespace, P.alternateName,
        ]) { world, args in
            try pair(&world, args)
        },
        "servicebus georecovery-alias show": Handler(reads: [P.namespaceName, P.resourceGroup, P.alias]) {
            world, args in
            let (ns, a) = try world.serviceBusAlias(
                namespace: try args.required(P.namespaceName), resourceGroup: try group(args),
                alias: try args.required(P.alias))
            return render(a, ns, world)
        },
        "servicebus georecovery-alias list": Handler(reads: [P.namespaceName, P.resourceGroup]) { world, args in
            let ns = try world.serviceBusNamespace(try args.required(P.namespaceName), resourceGroup: try group(args))
            return .array(ns.alias.map { [render($0, ns, world)] } ?? [])
        },
        // Namespace and alias names share one global space, as check-name-availability answers.
        "servicebus namespace exists": Handler(reads: [P.name]) { world, args in
            let name = try args.require(P.name)
            let taken = world.serviceBusNamespaces.values.contains {
                $0.alias?.name.lowercased() == name.lowercased() || $0.name.lowercased() == name.lowercased()
            }
            return taken
                ? .object([
                    ("message", .string("The specified service namespace is not available.")),
                    ("nameAvailable", .bool(false)), ("reason", "NameInUse"),
                ])
                : .object([("nameAvailable", .bool(true)), ("reason", "None")])
        },
        "servicebus georecovery-alias exists": Handler(reads: [P.namespaceName, P.resourceGroup, P.alias]) {
            world, args in
            _ = try world.serviceBusNamespace(try args.required(P.namespaceName), resourceGroup: try group(args))
            let name = try args.required(P.alias)
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
        "servicebus georecovery-alias break-pair": Handler(reads: [P.namespaceName, P.resourceGroup, P.alias]) {
            world, args in
            try world.breakServiceBusPairing(
                namespace: try args.required(P.namespaceName), resourceGroup: try group(args),
                alias: try args.required(P.alias))
            return nil
        },
        "servicebus georecovery-alias fail-over": Handler(reads: [P.namespaceName, P.resourceGroup, P.alias]) {
            world, args in
            try world.failOverServiceBusAlias(
                namespace: try args.required(P.namespaceName), resourceGroup: try group(args),
                alias: try args.required(P.alias))
            return nil
        },
        "servicebus georecovery-alias delete": Handler(reads: [P.namespaceName, P.resourceGroup, P.alias]) {
            world, args in
            try world.deleteServiceBusAlias(
                namespace: try args.required(P.namespaceName), resourceGroup: try group(args),
                alias: try args.required(P.alias))
            return nil
        },
    ]

    static func pair(_ world: inout World, _ args: Arguments) throws -> JSON {
        let rg = try group(args)
        let ns = try world.pairServiceBusNamespaces(
            primary: try args.required(P.namespaceName), resourceGroup: rg, alias: try args.required(P.alias),
            partner: try args.required(P.partnerNamespace), alternateName: args[P.alternateName])
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
