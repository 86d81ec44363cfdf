import Cloud
import Foundation
import JMESPath

/// `az resource show | update | list`: the generic ARM view of the resources keydrill emulates.
/// An update applies az's `--set/--add/--remove` to the resource's JSON, then goes through the
/// same Cloud rule its own command would (`--set properties.enablePurgeProtection=false` is
/// refused as `keyvault update` refuses it); a change keydrill has no rule for is refused.
enum ResourceCommands {
    struct Ref {
        let resourceGroup: String
        let type: String
        let name: String
        var typeKey: String { type.lowercased() }
    }

    static let vaults = "microsoft.keyvault/vaults"
    static let identities = "microsoft.managedidentity/userassignedidentities"
    static let servers = "microsoft.dbforpostgresql/servers"
    static let flexibleServers = "microsoft.dbforpostgresql/flexibleservers"
    static let namespaces = "microsoft.servicebus/namespaces"

    static func refs(_ args: Arguments) throws -> [Ref] {
        if let ids = args[P.resourceIds], !ids.isEmpty {
            return try ids.map { id in
                guard let p = ResourceID.parts(id), let rg = p["resource_group"], let ns = p["namespace"],
                    let type = p["type"], let name = p["name"], p["child_type_1"] == nil
                else { throw invalidID(id) }
                return Ref(resourceGroup: rg, type: "\(ns)/\(type)", name: name)
            }
        }
        guard let rg = args[P.resourceGroupName] else { throw CLIError("--resource-group/-g is required.") }
        guard let type = args[P.resourceType] else { throw CLIError("--resource-type is required") }
        guard let name = args[P.resourceName] else { throw CLIError("--name/-n is required") }
        if type.contains("/") { return [Ref(resourceGroup: rg, type: type, name: name)] }
        guard let ns = args[P.resourceProviderNamespace] else { throw CLIError("--namespace is required") }
        return [Ref(resourceGroup: rg, type: "\(ns)/\(type)", name: name)]
    }

    static func invalidID(_ id: String) -> CLIError {
        CLIError("az resource: error: argument --ids: invalid ResourceId value: '\(id)'")
    }

    /// az's show and update check every id before their first request.
    static let idsChecked: @Sendable (Arguments, World) throws -> Void = { args, _ in
        for id in args[P.resourceIds] ?? [] where ResourceID.parts(id)?["name"] == nil { throw invalidID(id) }
    }

    static func notFound(_ r: Ref) -> CloudError {
        CloudError.notFound(
            "ResourceNotFound",
            "The Resource '\(r.type)/\(r.name)' under resource group '\(r.resourceGroup)' was not found. For more "
                + "details please go to https://aka.ms/ARMResourceNotFoundFix")
    }

    /// The resource as ARM returns it: the resource's own fields at the top, the rest under
    /// `properties` (the SDK and AAZ commands print some of those flattened).
    static func arm(_ flat: JSON) -> JSON {
        guard var o = flat.objectValue else { return flat }
        if o["properties"] != nil { return flat }
        let top: Set<String> = [
            "id", "name", "type", "location", "tags", "sku", "identity", "kind", "managedBy", "resourceGroup",
            "systemData",
        ]
        var properties = [(String, JSON)]()
        for (k, v) in o where !top.contains(k) {
            properties.append((k, v))
            o[k] = nil
        }
        o["properties"] = .object(.init(uniqueKeysWithValues: properties))
        return .object(o)
    }

    static func show(_ r: Ref, _ world: World) throws -> JSON {
        do {
            switch r.typeKey {
            case vaults:
                let v = try world.vault(r.name, resourceGroup: r.resourceGroup)
                return KeyVaultCommands.render(v, world)
            case identities:
                return arm(IdentityCommands.render(try world.identity(r.name, resourceGroup: r.resourceGroup), world))
            case servers:
                let s = try world.postgresServer(r.name, resourceGroup: r.resourceGroup)
                return arm(PostgresCommands.render(s, world))
            case flexibleServers:
                let s = try world.flexibleServer(r.name, resourceGroup: r.resourceGroup)
                return arm(FlexibleServerRendering.render(s, world))
            case namespaces:
                let ns = try world.serviceBusNamespace(r.name, resourceGroup: r.resourceGroup)
                return arm(ServiceBusCommands.render(ns, world))
            default:
                throw CLIError(
                    "keydrill does not emulate resources of type '\(r.type)' (it emulates "
                        + "Microsoft.KeyVault/vaults, Microsoft.ManagedIdentity/userAssignedIdentities, "
                        + "Microsoft.DBforPostgreSQL/servers, Microsoft.DBforPostgreSQL/flexibleServers, "
                        + "Microsoft.ServiceBus/namespaces)."
                )
            }
        } catch let e as CloudError where e.status == 404 {
            throw notFound(r)
        }
    }

    /// What `az resource update` may change, per resource type, and the rule each change goes
    /// through: the vault's own update (one-way doors included), or tags.
    static func update(_ r: Ref, _ world: inout World, from old: JSON, to new: JSON) throws -> JSON {
        let changed = GenericUpdate.changes(old, new)
        if changed.isEmpty { return try show(r, world) }
        func refuse(_ path: String) -> CLIError {
            CLIError(
                "keydrill does not emulate changing '\(path)' of a \(r.type) with az resource update; use the "
                    + "resource's own commands.")
        }
        let tags: [String: String]? = [String: String].decode(new["tags"])
        let tagsChanged = changed.contains { $0 == "tags" || $0.hasPrefix("tags.") }
        switch r.typeKey {
        case vaults:
            var s = VaultSettings()
            let p = new["properties"]
            for path in changed {
                switch path {
                case "properties.enablePurgeProtection": s.enablePurgeProtection = p["enablePurgeProtection"].boolValue
                case "properties.enableRbacAuthorization":
                    s.enableRbacAuthorization = p["enableRbacAuthorization"].boolValue
                case "properties.enabledForDeployment": s.enabledForDeployment = p["enabledForDeployment"].boolValue
                case "properties.enabledForDiskEncryption":
                    s.enabledForDiskEncryption = p["enabledForDiskEncryption"].boolValue
                case "properties.enabledForTemplateDeployment":
                    s.enabledForTemplateDeployment = p["enabledForTemplateDeployment"].boolValue
                case "properties.publicNetworkAccess": s.publicNetworkAccess = p["publicNetworkAccess"].stringValue
                case "properties.networkAcls.defaultAction":
                    s.defaultAction = p["networkAcls"]["defaultAction"].stringValue
                case "properties.networkAcls.bypass": s.bypass = p["networkAcls"]["bypass"].stringValue
                case "properties.softDeleteRetentionInDays":
                    s.retentionDays = p["softDeleteRetentionInDays"].numberValue.map { Int($0) }
                case "properties.enableSoftDelete":
                    // Soft delete is always on: setting it true changes nothing, false is refused.
                    guard p["enableSoftDelete"].boolValue == true else {
                        throw CloudError.badRequest(
                            "BadRequest",
                            "The property \"enableSoftDelete\" cannot be set to false. Enabling the soft delete "
                                + "for a vault is an irreversible action.")
                    }
                case let t where t == "tags" || t.hasPrefix("tags."): s.tags = tags ?? [:]
                default: throw refuse(path)
                }
            }
            let v = try world.updateVault(name: r.name, resourceGroup: r.resourceGroup, settings: s)
            return KeyVaultCommands.render(v, world)
        default:
            if let other = changed.first(where: { !($0 == "tags" || $0.hasPrefix("tags.")) }) { throw refuse(other) }
            guard tagsChanged else { return try show(r, world) }
            switch r.typeKey {
            case identities:
                let i = try world.identity(r.name, resourceGroup: r.resourceGroup)
                _ = try world.createIdentity(
                    name: i.name, resourceGroup: r.resourceGroup, location: nil, tags: tags ?? [:])
            case servers:
                var u = PostgresServerUpdate()
                u.tags = tags ?? [:]
                _ = try world.updatePostgresServer(name: r.name, resourceGroup: r.resourceGroup, update: u)
            case flexibleServers:
                var u = FlexibleServerUpdate()
                u.tags = tags ?? [:]
                _ = try world.updateFlexibleServer(name: r.name, resourceGroup: r.resourceGroup, update: u)
            default:
                var u = ServiceBusNamespaceUpdate()
                u.tags = tags ?? [:]
                _ = try world.updateServiceBusNamespace(name: r.name, resourceGroup: r.resourceGroup, update: u)
            }
            return try show(r, world)
        }
    }

    /// Every emulated resource, as `az resource list` prints each (its generic fields).
    static func all(_ world: World) -> [(Ref, JSON)] {
        var out = [(Ref, JSON)]()
        for v in world.vaults.values {
            out.append(
                (
                    Ref(resourceGroup: v.resourceGroup, type: "Microsoft.KeyVault/vaults", name: v.name),
                    KeyVaultCommands.render(v, world)
                ))
        }
        for i in world.identities.values {
            out.append(
                (
                    Ref(
                        resourceGroup: i.resourceGroup, type: "Microsoft.ManagedIdentity/userAssignedIdentities",
                        name: i.name), IdentityCommands.render(i, world)
                ))
        }
        for s in world.postgresServers.values {
            out.append(
                (
                    Ref(resourceGroup: s.resourceGroup, type: "Microsoft.DBforPostgreSQL/servers", name: s.name),
                    PostgresCommands.render(s, world)
                ))
        }
        for s in world.flexibleServers.values {
            out.append(
                (
                    Ref(
                        resourceGroup: s.resourceGroup, type: "Microsoft.DBforPostgreSQL/flexibleServers",
                        name: s.name),
                    FlexibleServerRendering.render(s, world)
                ))
        }
        for ns in world.serviceBusNamespaces.values {
            out.append(
                (
                    Ref(resourceGroup: ns.resourceGroup, type: "Microsoft.ServiceBus/namespaces", name: ns.name),
                    ServiceBusCommands.render(ns, world)
                ))
        }
        return out.sorted { $0.1["id"].stringValue ?? "" < $1.1["id"].stringValue ?? "" }
    }

    /// `az resource list` prints each resource's generic fields only, sorted by name.
    static func listed(_ json: JSON, _ r: Ref) -> JSON {
        var o: [String: JSON] = [
            "changedTime": json["systemData"]["lastModifiedAt"], "createdTime": json["systemData"]["createdAt"],
            "extendedLocation": .null, "properties": .null, "provisioningState": "Succeeded",
            "resourceGroup": .string(r.resourceGroup),
        ]
        for k in ["id", "identity", "kind", "location", "managedBy", "name", "plan", "sku", "tags", "type"] {
            o[k] = json[k]
        }
        return .object(.init(uniqueKeysWithValues: o.keys.sorted().map { ($0, o[$0]!) }))
    }

    static let handlers: [String: Handler] = [
        "resource show": Handler(
            reads: [P.resourceIds, P.resourceGroupName, P.resourceProviderNamespace, P.resourceType, P.resourceName],
            checks: idsChecked
        ) { world, args in
            let shown = try refs(args).map { try show($0, world) }
            return shown.count == 1 ? shown[0] : .array(shown)
        },
        "resource update": Handler(
            reads: [
                P.resourceIds, P.resourceGroupName, P.resourceProviderNamespace, P.resourceType, P.resourceName,
                P.propertiesToSet, P.propertiesToAdd, P.propertiesToRemove, P.forceString,
            ], checks: idsChecked
        ) { world, args in
            var out = [JSON]()
            for r in try refs(args) {
                let old = try show(r, world)
                let new = try GenericUpdate.apply(
                    to: old, set: args[P.propertiesToSet] ?? [], add: args[P.propertiesToAdd] ?? [],
                    remove: args[P.propertiesToRemove] ?? [], forceString: args[P.forceString] == true)
                out.append(try update(r, &world, from: old, to: new))
            }
            return out.count == 1 ? out[0] : .array(out)
        },
        "resource list": Handler(
            reads: [
                P.resourceGroupName, P.resourceProviderNamespace, P.resourceType, P.name, P.tag, P.location,
            ], table: TableTransformers.resourceList
        ) { world, args in
            if let rg = args[P.resourceGroupName] { _ = try world.resourceGroup(rg) }
            var type = args[P.resourceType]?.lowercased()
            if let t = type, !t.contains("/"), let ns = args[P.resourceProviderNamespace] {
                type = "\(ns.lowercased())/\(t)"
            }
            let tag = args[P.tag].map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
            return .array(
                all(world).filter { r, json in
                    (args[P.resourceGroupName].map { $0.lowercased() == r.resourceGroup.lowercased() } ?? true)
                        && (type.map { $0 == r.typeKey } ?? true)
                        && (args[P.name].map { $0.lowercased() == r.name.lowercased() } ?? true)
                        && (args[P.location].map { $0.lowercased() == json["location"].stringValue?.lowercased() }
                            ?? true)
                        && (tag.map { t in json["tags"][t[0]].stringValue.map { t.count == 1 || $0 == t[1] } ?? false }
                            ?? true)
                }.map { listed($1, $0) })
        },
    ]
}
