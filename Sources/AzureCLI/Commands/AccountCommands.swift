import Cloud
import JMESPath

/// `az login`, `az logout` and `az account ...`: who the commands run as, in az's shapes (login
/// and `account list` print the subscriptions with `cloudName`: az's list_subscriptions renames
/// the profile's `environmentName`, which `account show` keeps).
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
        if world.signIn.tenantLevel == true {
            // az's tenant-level account: the tenant in place of a subscription.
            return .object([
                (cloudKey, .string("AzureCloud")), ("id", .string(world.subscription.tenantId)), ("isDefault", true),
                ("name", "N/A(tenant level account)"), ("state", "Enabled"),
                ("tenantId", .string(world.subscription.tenantId)),
                ("user", .object(.init(uniqueKeysWithValues: user))),
            ])
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
        "login": Handler(
            reads: [
                P.servicePrincipal, P.username, P.password, P.tenant, P.clientAssertion, P.certificate,
                P.identity, P.clientId, P.objectId, P.resourceId, P.allowNoSubscriptions,
                P.skipSubscriptionDiscovery, P.useDeviceCode,
            ], checks: loginUsage
        ) { world, args in
            if args[P.identity] == true {
                try signIn {
                    try world.signInWithIdentity(
                        clientId: args[P.clientId], objectId: args[P.objectId],
                        resourceId: args[P.resourceId], allowNoSubscriptions: args[P.allowNoSubscriptions] == true)
                }
            } else if args[P.servicePrincipal] == true, let user = args[P.username] {
                try signIn {
                    try world.signInAsServicePrincipal(
                        clientId: user, tenant: args[P.tenant],
                        hasFederatedToken: args[P.clientAssertion] != nil,
                        hasSecret: args[P.password] != nil || args[P.certificate] != nil,
                        allowNoSubscriptions: args[P.allowNoSubscriptions] == true
                            || args[P.skipSubscriptionDiscovery] == true)
                }
            } else {
                // A user sign-in (browser, device code or password) brings back the operator.
                world.signInAsOperator()
            }
            return .array([subscription(world, cloudKey: "cloudName")])
        },
        "logout": Handler(
            reads: [P.username],
            checks: { _, world in
                if world.isSignedOut { throw CLIError("There are no active accounts.") }
            }
        ) { world, _ in
            try signIn { try world.signOut() }
            return nil
        },
        "account show": Handler(reads: [P.subscription]) { world, _ in
            subscription(world, cloudKey: "environmentName")
        },
        "account list": Handler(reads: [P.all, P.refresh], table: TableTransformers.accountList) { world, _ in
            .array([subscription(world, cloudKey: "cloudName")])
        },
        // az looks in its own profile, which a sign-out empties: no request is made.
        "account set": Handler(
            reads: [P.subscription],
            checks: { args, world in
                // az compares (and names) the subscription in lower case.
                let sub = (args[P.subscription] ?? "").lowercased()
                guard !world.isSignedOut,
                    [world.subscription.id.lowercased(), world.subscription.name.lowercased()]
                        .contains(sub)
                else {
                    throw CLIError("The subscription of '\(sub)' doesn't exist in cloud 'AzureCloud'.")
                }
            }
        ) { _, _ in nil },
    ]

    /// az's login checks its arguments' combinations before it asks anything (profile's custom.py).
    static let loginUsage: @Sendable (Arguments, World) throws -> Void = { args, _ in
        let has = args.truthy
        if (has("password") || has("service_principal") || has("tenant")) && has("identity") {
            throw CLIError("usage error: '--identity' is not applicable with other arguments")
        }
        if has("identity") && has("username") {
            throw CLIError(
                "Passing the managed identity ID with --username is no longer supported. Use --client-id, "
                    + "--object-id or --resource-id instead.")
        }
        if (has("password") || has("service_principal") || has("username") || has("identity")) && has("use_device_code")
        {
            throw CLIError("usage error: '--use-device-code' is not applicable with other arguments")
        }
        if has("use_cert_sn_issuer") && !has("service_principal") {
            throw CLIError("usage error: '--use-sn-issuer' is only applicable with a service principal")
        }
        if has("service_principal") && !has("username") {
            throw CLIError("usage error: --service-principal --username NAME --password SECRET --tenant TENANT")
        }
        if has("skip_subscription_discovery") && !has("tenant") {
            throw CLIError("usage error: '--skip-subscription-discovery' requires '--tenant'")
        }
        if has("identity"),
            ["client_id", "object_id", "resource_id"].filter(has).count > 1
        {
            throw CLIError("Usage error: Provide only one of --client-id, --object-id, --resource-id.")
        }
        // A user name without a secret would be asked for a password, and there is no terminal.
        if !has("identity"), has("username"), !(has("password") || has("client_assertion") || has("certificate")) {
            throw CLIError("Please specify both username and password in non-interactive mode.")
        }
    }
}
