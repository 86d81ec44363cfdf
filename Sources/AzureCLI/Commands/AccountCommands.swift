import Cloud
import JMESPath

/// `az login`, `az logout` and `az account ...`: who the commands run as, in az's shapes (login
/// prints the subscriptions it found with `cloudName`; `account show` and `list` say
/// `environmentName`).
enum AccountCommands {
    static func subscription(_ world: World, cloudKey: String) -> JSON {
        var user: [(String, JSON)]
        switch world.signIn.kind {
        case .servicePrincipal:
            user = [("name", .string(world.signIn.userName)), ("type", "servicePrincipal")]
            if let info = world.signIn.assignedIdentityInfo {
                user.insert(("assignedIdentityInfo", .string(info)), at: 0)
            }
        default:
            user = [("name", .string(world.signedInUser.userPrincipalName)), ("type", "user")]
        }
        return .object([
            (cloudKey, .string("AzureCloud")), ("homeTenantId", .string(world.subscription.tenantId)),
            ("id", .string(world.subscription.id)),
            ("isDefault", true), ("managedByTenants", []), ("name", .string(world.subscription.name)),
            ("state", "Enabled"),
            ("tenantId", .string(world.subscription.tenantId)), ("user", .object(.init(uniqueKeysWithValues: user))),
        ])
    }

    /// Entra ID's refusals reach az as MSAL errors, printed as a plain `ERROR: message`.
    static func signIn(_ body: () throws -> Void) throws {
        do { try body() } catch let e as CloudError { throw CLIError(e.message) }
    }

    static let handlers: [String: Handler] = [
        "login": Handler(supports: [
            "service_principal", "username", "password", "tenant", "client_assertion", "certificate",
            "identity", "client_id", "object_id", "resource_id", "allow_no_subscriptions",
            "skip_subscription_discovery", "use_device_code",
        ]) { world, args in
            if args.bool("identity") == true {
                try signIn {
                    try world.signInWithIdentity(
                        clientId: args.string("client_id"), objectId: args.string("object_id"),
                        resourceId: args.string("resource_id"))
                }
            } else if args.bool("service_principal") == true {
                guard let user = args.string("username") else {
                    throw CLIError("usage error: --service-principal --username NAME --password SECRET --tenant TENANT")
                }
                try signIn {
                    try world.signInAsServicePrincipal(
                        clientId: user, tenant: args.string("tenant"),
                        hasFederatedToken: args.string("client_assertion") != nil,
                        hasSecret: args.string("password") != nil || args.string("certificate") != nil)
                }
            } else {
                // A user sign-in (browser, device code or password) brings back the operator.
                world.signInAsOperator()
            }
            return .array([subscription(world, cloudKey: "cloudName")])
        },
        "logout": Handler(supports: ["username"]) { world, _ in
            try signIn { try world.signOut() }
            return nil
        },
        "account show": Handler(supports: ["subscription"]) { world, _ in
            subscription(world, cloudKey: "environmentName")
        },
        "account list": Handler(supports: ["all", "refresh"]) { world, _ in
            .array([subscription(world, cloudKey: "environmentName")])
        },
        "account set": Handler(supports: ["subscription"]) { world, args in
            let sub = try args.require("subscription")
            guard [world.subscription.id.lowercased(), world.subscription.name.lowercased()].contains(sub.lowercased())
            else {
                throw CLIError("The subscription of '\(sub)' doesn't exist in cloud 'AzureCloud'.")
            }
            return nil
        },
    ]
}
