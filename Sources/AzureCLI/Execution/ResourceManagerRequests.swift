import Cloud
import JMESPath

/// What each command asks of Azure Resource Manager, in the order az makes its requests: the
/// action ARM authorises and the resource the request names. The authorisation itself is
/// Cloud's (`World.authorize`); this table only says which action on which scope a command
/// needs. Every handler has an entry (a catalogue test checks), so a command added without one
/// fails a test rather than letting anyone in. Key Vault's data plane (`keyvault key ...`) is
/// authorised by the one key access path instead, and keydrill's own views and a workload's
/// data (the application's own connection) ask nothing of ARM.
enum ResourceManagerRequests {
    struct Request {
        let action: String
        let target: Target
        /// A list: ARM answers a caller with a role somewhere inside the scope with what it may read.
        var lists = false
    }

    /// A resource kind: its ARM type and the argument names az gives its name and group under.
    struct Kind {
        let type: String
        let names: [String]
        var groups = ["resource_group_name", "resource_group", "rg_name"]

        static let vault = Kind(type: ResourceType.vault, names: ["vault_name"])
        static let server = Kind(type: ResourceType.singleServer, names: ["server_name"])
        static let flexible = Kind(type: ResourceType.flexibleServer, names: ["server_name"])
        /// A Flexible Server named by `--name` (a replica being made or promoted).
        static let flexibleByName = Kind(type: ResourceType.flexibleServer, names: ["name"])
        static let namespace = Kind(type: ResourceType.namespace, names: ["namespace_name", "name"])
        static let identity = Kind(type: ResourceType.identity, names: ["resource_name"])
        static let vnet = Kind(type: ResourceType.virtualNetwork, names: ["vnet_name", "name"])
    }

    enum Target {
        case subscription
        /// The resource group named (the subscription when none is: a list across it).
        case resourceGroup
        case resource(Kind)
        /// The server a restore, replica or geo-restore copies (`--source-server`, a name or an id).
        case source(Kind)
        /// A soft-deleted vault: `/subscriptions/S/providers/Microsoft.KeyVault/locations/L/deletedVaults/N`.
        case deletedVault
        /// The scope a role assignment names (`--scope`, else `-g`, else the subscription).
        case assignmentScope
    }

    static func r(_ action: String, _ target: Target) -> Request { Request(action: action, target: target) }
    static func list(_ action: String, _ target: Target) -> Request {
        Request(action: action, target: target, lists: true)
    }
    static func readWrite(_ type: String, _ target: Target) -> [Request] {
        [r(type + "/read", target), r(type + "/write", target)]
    }

    static let groups = "Microsoft.Resources/subscriptions/resourcegroups"
    static let vaults = ResourceType.vault
    static let servers = ResourceType.singleServer
    static let flexible = ResourceType.flexibleServer
    static let namespaces = ResourceType.namespace
    static let identities = ResourceType.identity
    static let vnets = ResourceType.virtualNetwork
    static let aliases = ResourceType.namespace + "/disasterRecoveryConfigs"

    /// The requests each command makes, by az's command name. An empty list: nothing of ARM.
    static let table: [String: [Request]] = {
        var t: [String: [Request]] = [
            "group create": [r(groups + "/write", .resourceGroup)],
            "group delete": [r(groups + "/delete", .resourceGroup)],
            "group exists": [r(groups + "/read", .resourceGroup)],
            "group show": [r(groups + "/read", .resourceGroup)],
            "group wait": [r(groups + "/read", .resourceGroup)],
            "group update": readWrite(groups, .resourceGroup),
            "group list": [list(groups + "/read", .subscription)],
            "identity create": [r(identities + "/write", .resource(.identity))],
            "identity delete": [r(identities + "/delete", .resource(.identity))],
            "identity show": [r(identities + "/read", .resource(.identity))],
            "identity list": [list(identities + "/read", .resourceGroup)],
            "keyvault create": [r(vaults + "/write", .resource(.vault))],
            "keyvault recover": [r(vaults + "/write", .resource(.vault))],
            "keyvault delete": [r(vaults + "/delete", .resource(.vault))],
            "keyvault show": [r(vaults + "/read", .resource(.vault))],
            "keyvault wait": [r(vaults + "/read", .resource(.vault))],
            "keyvault network-rule list": [r(vaults + "/read", .resource(.vault))],
            "keyvault list": [list(vaults + "/read", .resourceGroup)],
            "keyvault list-deleted": [list("Microsoft.KeyVault/deletedVaults/read", .subscription)],
            "keyvault show-deleted": [r("Microsoft.KeyVault/locations/deletedVaults/read", .deletedVault)],
            "keyvault purge": [r("Microsoft.KeyVault/locations/deletedVaults/purge/action", .deletedVault)],
            "portal keyvault access-policy add": [
                r(vaults + "/read", .resource(.vault)), r(vaults + "/accessPolicies/write", .resource(.vault)),
            ],
            "network vnet create": [r(vnets + "/write", .resource(.vnet))],
            "network vnet show": [r(vnets + "/read", .resource(.vnet))],
            "network vnet subnet create": [r(vnets + "/subnets/write", .resource(.vnet))],
            "network vnet subnet update": readWrite(vnets + "/subnets", .resource(.vnet)),
            "network vnet subnet show": [r(vnets + "/subnets/read", .resource(.vnet))],
            "postgres server create": [r(servers + "/write", .resource(.server))],
            "postgres server delete": [r(servers + "/delete", .resource(.server))],
            "postgres server show": [r(servers + "/read", .resource(.server))],
            "postgres server update": readWrite(servers, .resource(.server)),
            "postgres server restart": [r(servers + "/restart/action", .resource(.server))],
            "postgres server list": [list(servers + "/read", .resourceGroup)],
            "postgres server replica list": [r(servers + "/replicas/read", .resource(.server))],
            "postgres server replica stop": readWrite(servers, .resource(.server)),
            "postgres server configuration show": [r(servers + "/configurations/read", .resource(.server))],
            "postgres server configuration set": [r(servers + "/configurations/write", .resource(.server))],
            "postgres server key create": [r(servers + "/keys/write", .resource(.server))],
            "postgres server key delete": [r(servers + "/keys/delete", .resource(.server))],
            "postgres server key show": [r(servers + "/keys/read", .resource(.server))],
            "postgres server key list": [r(servers + "/keys/read", .resource(.server))],
            "portal postgres data-encryption save": [
                r(servers + "/write", .resource(.server)), r(servers + "/keys/write", .resource(.server)),
            ],
            "portal postgres data-encryption revalidate": [r(servers + "/keys/write", .resource(.server))],
            "postgres flexible-server create": [r(flexible + "/write", .resource(.flexible))],
            "postgres flexible-server revive-dropped": [r(flexible + "/write", .resource(.flexible))],
            "postgres flexible-server delete": [r(flexible + "/delete", .resource(.flexible))],
            "postgres flexible-server show": [r(flexible + "/read", .resource(.flexible))],
            "postgres flexible-server wait": [r(flexible + "/read", .resource(.flexible))],
            "postgres flexible-server update": readWrite(flexible, .resource(.flexible)),
            "postgres flexible-server list": [list(flexible + "/read", .resourceGroup)],
            "postgres flexible-server restart": [r(flexible + "/restart/action", .resource(.flexible))],
            "postgres flexible-server start": [r(flexible + "/start/action", .resource(.flexible))],
            "postgres flexible-server stop": [r(flexible + "/stop/action", .resource(.flexible))],
            "postgres flexible-server identity list": [r(flexible + "/read", .resource(.flexible))],
            "postgres flexible-server identity show": [r(flexible + "/read", .resource(.flexible))],
            "postgres flexible-server identity assign": readWrite(flexible, .resource(.flexible)),
            "postgres flexible-server identity remove": readWrite(flexible, .resource(.flexible)),
            "postgres flexible-server identity update": readWrite(flexible, .resource(.flexible)),
            "postgres flexible-server parameter list": [r(flexible + "/configurations/read", .resource(.flexible))],
            "postgres flexible-server parameter show": [r(flexible + "/configurations/read", .resource(.flexible))],
            "postgres flexible-server parameter set": [
                r(flexible + "/configurations/write", .resource(.flexible))
            ],
            "postgres flexible-server backup list": [r(flexible + "/backups/read", .resource(.flexible))],
            "postgres flexible-server backup show": [r(flexible + "/backups/read", .resource(.flexible))],
            "postgres flexible-server replica list": [r(flexible + "/replicas/read", .resource(.flexible))],
            "postgres flexible-server replica promote": readWrite(flexible, .resource(.flexibleByName)),
            "postgres flexible-server replica create": [
                r(flexible + "/read", .source(.flexible)), r(flexible + "/write", .resource(.flexibleByName)),
            ],
            "portal postgres flexible-server data-encryption save": readWrite(flexible, .resource(.flexible)),
            "servicebus namespace create": [r(namespaces + "/write", .resource(.namespace))],
            "servicebus namespace delete": [r(namespaces + "/delete", .resource(.namespace))],
            "servicebus namespace show": [r(namespaces + "/read", .resource(.namespace))],
            "servicebus namespace update": readWrite(namespaces, .resource(.namespace)),
            "servicebus namespace list": [list(namespaces + "/read", .resourceGroup)],
            "servicebus namespace exists": [r("Microsoft.ServiceBus/checkNameAvailability/action", .subscription)],
            "servicebus namespace identity assign": readWrite(namespaces, .resource(.namespace)),
            "servicebus namespace identity remove": readWrite(namespaces, .resource(.namespace)),
            "servicebus namespace encryption add": readWrite(namespaces, .resource(.namespace)),
            "servicebus namespace encryption remove": readWrite(namespaces, .resource(.namespace)),
            "portal servicebus encryption save": readWrite(namespaces, .resource(.namespace)),
            "servicebus queue create": [r(namespaces + "/queues/write", .resource(.namespace))],
            "servicebus queue delete": [r(namespaces + "/queues/delete", .resource(.namespace))],
            "servicebus queue show": [r(namespaces + "/queues/read", .resource(.namespace))],
            "servicebus queue list": [r(namespaces + "/queues/read", .resource(.namespace))],
            "servicebus georecovery-alias create": [r(aliases + "/write", .resource(.namespace))],
            "servicebus georecovery-alias set": [r(aliases + "/write", .resource(.namespace))],
            "servicebus georecovery-alias delete": [r(aliases + "/delete", .resource(.namespace))],
            "servicebus georecovery-alias show": [r(aliases + "/read", .resource(.namespace))],
            "servicebus georecovery-alias list": [r(aliases + "/read", .resource(.namespace))],
            "servicebus georecovery-alias exists": [r(aliases + "/read", .resource(.namespace))],
            "servicebus georecovery-alias break-pair": [r(aliases + "/breakPairing/action", .resource(.namespace))],
            "servicebus georecovery-alias fail-over": [r(aliases + "/failover/action", .resource(.namespace))],
            "resource show": [],
            "resource update": [],
            "resource list": [list("Microsoft.Resources/subscriptions/resources/read", .resourceGroup)],
            "role assignment create": [r("Microsoft.Authorization/roleAssignments/write", .assignmentScope)],
            "role assignment delete": [
                r("Microsoft.Authorization/roleAssignments/read", .assignmentScope),
                r("Microsoft.Authorization/roleAssignments/delete", .assignmentScope),
            ],
            "role assignment list": [r("Microsoft.Authorization/roleAssignments/read", .assignmentScope)],
        ]
        for name in ["keyvault set-policy", "keyvault delete-policy", "keyvault update"] {
            t[name] = readWrite(vaults, .resource(.vault))
        }
        for name in ["keyvault network-rule add", "keyvault network-rule remove"] {
            t[name] = readWrite(vaults, .resource(.vault))
        }
        for name in ["postgres server restore", "postgres server georestore", "postgres server replica create"] {
            t[name] = [r(servers + "/read", .source(.server)), r(servers + "/write", .resource(.server))]
        }
        for name in ["postgres flexible-server restore", "postgres flexible-server geo-restore"] {
            t[name] = [r(flexible + "/read", .source(.flexible)), r(flexible + "/write", .resource(.flexible))]
        }
        return t
    }()

    /// Commands that ask nothing of ARM: sign-in and the signed-in account (Microsoft Entra, not
    /// ARM), built-in role definitions (readable by every signed-in principal), Key Vault's data
    /// plane (the key access path authorises it), keydrill's own views of the world, and a
    /// workload's data.
    static func asksNothing(_ command: String) -> Bool {
        command.hasPrefix("keyvault key ") || command.hasPrefix("workload ")
            || [
                "login", "logout", "account list", "account set", "account show", "ad signed-in-user show",
                "ad sp show",
                "role definition list",
            ].contains(command) || ControlPlaneLog.worldViews.contains(command)
    }

    /// The requests of one run of a command (one id of `--ids`), with their scopes resolved.
    static func requests(_ command: String, _ args: Arguments, _ world: World) throws -> [(String, String, Bool)] {
        if command == "resource show" || command == "resource update" {
            return try ResourceCommands.refs(args).flatMap { ref -> [(String, String, Bool)] in
                let id = "\(world.resourceGroupID(ref.resourceGroup))/providers/\(ref.type)/\(ref.name)"
                let reads = [("\(ref.type)/read", id, false)]
                return command == "resource show" ? reads : reads + [("\(ref.type)/write", id, false)]
            }
        }
        return (table[command] ?? []).map { ($0.action, scope($0.target, args, world), $0.lists) }
    }

    static func value(_ args: Arguments, _ dests: [String]) -> String? {
        for d in dests { if let s = args.values[d]?.stringValue, !s.isEmpty { return s } }
        return nil
    }

    static func scope(_ target: Target, _ args: Arguments, _ world: World) -> String {
        let group = value(args, Kind.vault.groups)
        switch target {
        case .subscription: return world.subscriptionPath
        case .resourceGroup: return group.map(world.resourceGroupID) ?? world.subscriptionPath
        case .resource(let kind):
            return resourceID(kind, name: value(args, kind.names), group: value(args, kind.groups), world)
        case .source(let kind):
            guard let source = value(args, ["source_server"]) else { return world.subscriptionPath }
            if source.hasPrefix("/") { return source }
            return resourceID(kind, name: source, group: group, world)
        case .deletedVault:
            let name = value(args, ["vault_name"]) ?? ""
            let location = value(args, ["location"]) ?? world.deletedVaults[name.lowercased()]?.vault.location ?? ""
            return "\(world.subscriptionPath)/providers/Microsoft.KeyVault/locations/\(location)/deletedVaults/\(name)"
        case .assignmentScope:
            if let s = value(args, ["scope"]) { return s.hasSuffix("/") ? String(s.dropLast()) : s }
            return group.map(world.resourceGroupID) ?? world.subscriptionPath
        }
    }

    /// The resource's id: as the world has it when it exists (a vault found by its name alone),
    /// else as its group and name make it.
    static func resourceID(_ kind: Kind, name: String?, group: String?, _ world: World) -> String {
        if let name, let id = world.resourceID(type: kind.type, name: name, resourceGroup: group) { return id }
        guard let group else { return world.subscriptionPath }
        guard let name else { return world.resourceGroupID(group) }
        return "\(world.resourceGroupID(group))/providers/\(kind.type)/\(name)"
    }

    /// Authorises one run of a command before it runs; a list's answer is then filtered to what
    /// the caller may read (`visible`).
    static func authorize(_ command: String, _ args: Arguments, _ world: inout World) throws -> ListFilter? {
        var filter: ListFilter?
        let asked = try requests(command, args, world)
        for (action, scope, lists) in asked {
            if lists, !world.allows(principal: world.operatorCaller.objectId, action: action, on: scope),
                world.holdsAnyRole(principal: world.operatorCaller.objectId, within: scope)
            {
                filter = ListFilter(action: action)
                continue
            }
            try world.authorize(action, on: scope, operation: "az " + command)
        }
        if let (action, scope, _) = asked.last(where: { $0.0.hasSuffix("/write") }),
            !command.hasSuffix(" remove")
        {
            let linked = linkedIdentities(args, world)
            if !linked.isEmpty {
                try world.authorizeLinked(action, on: scope, identities: linked, operation: "az " + command)
            }
        }
        return filter
    }

    /// The arguments that attach user-assigned identities to the resource a command writes.
    static let identityDests = [
        "byok_identity", "backup_byok_identity", "identities", "user_assigned_identity", "mi_user_assigned",
        "user_assigned",
    ]

    /// Each user-assigned identity the command attaches, as a resource id (a bare name is one in
    /// the command's resource group).
    static func linkedIdentities(_ args: Arguments, _ world: World) -> [String] {
        let group = value(args, Kind.vault.groups)
        var out = [String]()
        for dest in identityDests {
            let given: [String]
            switch args.values[dest] {
            case .string(let s)?: given = [s]
            case .array(let a)?: given = a.compactMap(\.stringValue)
            default: given = []
            }
            for v in given where !v.isEmpty && v.lowercased() != "[system]" {
                if v.hasPrefix("/") {
                    out.append(v)
                } else if let group {
                    out.append(resourceID(.identity, name: v, group: group, world))
                }
            }
        }
        return out
    }

    /// What a caller with roles only inside a list's scope sees: the items it may read.
    struct ListFilter {
        let action: String

        func apply(_ result: JSON?, _ world: World) -> JSON? {
            guard case .array(let items)? = result else { return result }
            let caller = world.operatorCaller.objectId
            return .array(
                items.filter { item in
                    guard case .object(let fields) = item, let id = fields["id"]?.stringValue else { return false }
                    let read =
                        ResourceID.parts(id).flatMap { p in
                            p["namespace"].flatMap { ns in p["type"].map { "\(ns)/\($0)/read" } }
                        } ?? action
                    return world.allows(principal: caller, action: read, on: id)
                })
        }
    }
}
