import Foundation
import XCTest

/// Every control-plane command is authorised as Azure Resource Manager authorises it, for
/// whoever is signed in: without a role that grants its action it fails with AuthorizationFailed
/// (exit 1), changes nothing but the activity log's record of the refusal; with one, it runs.
final class ControlPlaneAuthorizationEndToEndTests: BinaryTestCase {
    static let setup = [
        "az group create -n rg -l westus -o none", "az group create -n other -l westus -o none",
        "az identity create -g rg -n mallory -o none", "az identity create -g rg -n app -o none",
        "az keyvault create -n kv-authz -g rg -o none",
        "az keyvault create -n kv-other -g other --enable-rbac-authorization false -o none",
        "az keyvault create -n kv-gone -g rg -o none", "az keyvault delete -n kv-gone -o none",
        "az postgres server create -g rg -n pg-authz --sku-name GP_Gen5_2 -u pgadmin -p Passw0rd!123 -o none",
        "az postgres flexible-server create -g rg -n pgfs-authz --public-access None -o none",
        "az servicebus namespace create -g rg -n sb-authz --sku Premium -o none",
        "az servicebus queue create -g rg --namespace-name sb-authz -n q1 -o none",
        "az network vnet create -g rg -n vnet1 --address-prefixes 10.1.0.0/16 --subnet-name apps "
            + "--subnet-prefixes 10.1.1.0/24 -o none",
        // A role elsewhere, so that az finds the subscription when mallory signs in (with no role
        // anywhere, az refuses the sign-in itself).
        "az group create -n elsewhere -l westus -o none",
        "az role assignment create --assignee-object-id $(az identity show -g rg -n mallory --query principalId "
            + "-o tsv) --assignee-principal-type ServicePrincipal --role Reader --scope "
            + "$(az group show -n elsewhere --query id -o tsv) -o none",
        "clock advance 10m",
    ]

    /// Each control-plane command keydrill emulates, as a user would type it, with the action ARM
    /// authorises first for it. Deletions come last so that, allowed, the others still find
    /// what they act on.
    static let commands: [(line: String, action: String)] = [
        ("az group show -n rg", "Microsoft.Resources/subscriptions/resourcegroups/read"),
        ("az group exists -n rg", "Microsoft.Resources/subscriptions/resourcegroups/read"),
        ("az group update -n rg --tags a=b", "Microsoft.Resources/subscriptions/resourcegroups/read"),
        ("az group create -n rg2 -l westus", "Microsoft.Resources/subscriptions/resourcegroups/write"),
        ("az group list", "Microsoft.Resources/subscriptions/resourcegroups/read"),
        ("az identity create -g rg -n id2", "Microsoft.ManagedIdentity/userAssignedIdentities/write"),
        ("az identity show -g rg -n app", "Microsoft.ManagedIdentity/userAssignedIdentities/read"),
        ("az identity list -g rg", "Microsoft.ManagedIdentity/userAssignedIdentities/read"),
        ("az keyvault create -n kv-new2 -g rg", "Microsoft.KeyVault/vaults/write"),
        ("az keyvault show -n kv-authz", "Microsoft.KeyVault/vaults/read"),
        ("az keyvault list", "Microsoft.KeyVault/vaults/read"),
        ("az keyvault update -n kv-authz --enable-purge-protection true", "Microsoft.KeyVault/vaults/read"),
        (
            "az keyvault set-policy -n kv-other --object-id 00000000-0000-0000-0000-000000000001 "
                + "--key-permissions get", "Microsoft.KeyVault/vaults/read"
        ),
        (
            "az keyvault delete-policy -n kv-other --object-id 00000000-0000-0000-0000-000000000001",
            "Microsoft.KeyVault/vaults/read"
        ),
        ("az keyvault network-rule add -n kv-authz --ip-address 203.0.113.7", "Microsoft.KeyVault/vaults/read"),
        ("az keyvault network-rule list -n kv-authz", "Microsoft.KeyVault/vaults/read"),
        ("az keyvault network-rule remove -n kv-authz --ip-address 203.0.113.7", "Microsoft.KeyVault/vaults/read"),
        ("az keyvault list-deleted", "Microsoft.KeyVault/deletedVaults/read"),
        ("az keyvault show-deleted -n kv-gone", "Microsoft.KeyVault/locations/deletedVaults/read"),
        ("az keyvault recover -n kv-gone", "Microsoft.KeyVault/vaults/write"),
        ("az network vnet show -g rg -n vnet1", "Microsoft.Network/virtualNetworks/read"),
        (
            "az network vnet subnet create -g rg --vnet-name vnet1 -n data --address-prefixes 10.1.2.0/24",
            "Microsoft.Network/virtualNetworks/subnets/write"
        ),
        (
            "az network vnet subnet show -g rg --vnet-name vnet1 -n apps",
            "Microsoft.Network/virtualNetworks/subnets/read"
        ),
        (
            "az network vnet subnet update -g rg --vnet-name vnet1 -n apps --service-endpoints Microsoft.KeyVault",
            "Microsoft.Network/virtualNetworks/subnets/read"
        ),
        (
            "az network vnet create -g rg -n vnet2 --address-prefixes 10.2.0.0/16",
            "Microsoft.Network/virtualNetworks/write"
        ),
        ("az postgres server show -g rg -n pg-authz", "Microsoft.DBforPostgreSQL/servers/read"),
        ("az postgres server list -g rg", "Microsoft.DBforPostgreSQL/servers/read"),
        ("az postgres server update -g rg -n pg-authz --backup-retention 10", "Microsoft.DBforPostgreSQL/servers/read"),
        ("az postgres server restart -g rg -n pg-authz", "Microsoft.DBforPostgreSQL/servers/restart/action"),
        (
            "az postgres server configuration show -g rg -s pg-authz -n log_connections",
            "Microsoft.DBforPostgreSQL/servers/configurations/read"
        ),
        (
            "az postgres server configuration set -g rg -s pg-authz -n log_connections --value off",
            "Microsoft.DBforPostgreSQL/servers/configurations/write"
        ),
        ("az postgres server key list -g rg -s pg-authz", "Microsoft.DBforPostgreSQL/servers/keys/read"),
        ("az postgres server replica list -g rg -s pg-authz", "Microsoft.DBforPostgreSQL/servers/replicas/read"),
        (
            "az postgres server replica create -g rg -n pg-authz-r --source-server pg-authz",
            "Microsoft.DBforPostgreSQL/servers/read"
        ),
        (
            "portal postgres data-encryption revalidate -g rg -n pg-authz",
            "Microsoft.DBforPostgreSQL/servers/keys/write"
        ),
        ("az postgres flexible-server show -g rg -n pgfs-authz", "Microsoft.DBforPostgreSQL/flexibleServers/read"),
        ("az postgres flexible-server list -g rg", "Microsoft.DBforPostgreSQL/flexibleServers/read"),
        (
            "az postgres flexible-server update -g rg -n pgfs-authz --backup-retention 10",
            "Microsoft.DBforPostgreSQL/flexibleServers/read"
        ),
        (
            "az postgres flexible-server stop -g rg -n pgfs-authz",
            "Microsoft.DBforPostgreSQL/flexibleServers/stop/action"
        ),
        (
            "az postgres flexible-server start -g rg -n pgfs-authz",
            "Microsoft.DBforPostgreSQL/flexibleServers/start/action"
        ),
        (
            "az postgres flexible-server restart -g rg -n pgfs-authz",
            "Microsoft.DBforPostgreSQL/flexibleServers/restart/action"
        ),
        (
            "az postgres flexible-server identity list -g rg -s pgfs-authz",
            "Microsoft.DBforPostgreSQL/flexibleServers/read"
        ),
        (
            "az postgres flexible-server identity assign -g rg -s pgfs-authz -n app",
            "Microsoft.DBforPostgreSQL/flexibleServers/read"
        ),
        (
            "az postgres flexible-server parameter show -g rg -s pgfs-authz -n log_connections",
            "Microsoft.DBforPostgreSQL/flexibleServers/configurations/read"
        ),
        (
            "az postgres flexible-server parameter set -g rg -s pgfs-authz -n log_connections --value off",
            "Microsoft.DBforPostgreSQL/flexibleServers/configurations/write"
        ),
        (
            "az postgres flexible-server backup list -g rg -s pgfs-authz",
            "Microsoft.DBforPostgreSQL/flexibleServers/backups/read"
        ),
        (
            "az postgres flexible-server replica list -g rg -n pgfs-authz",
            "Microsoft.DBforPostgreSQL/flexibleServers/replicas/read"
        ),
        (
            "az postgres flexible-server replica create -g rg -n pgfs-authz-r --source-server pgfs-authz",
            "Microsoft.DBforPostgreSQL/flexibleServers/read"
        ),
        ("az servicebus namespace show -g rg -n sb-authz", "Microsoft.ServiceBus/namespaces/read"),
        ("az servicebus namespace list -g rg", "Microsoft.ServiceBus/namespaces/read"),
        (
            "az servicebus namespace update -g rg -n sb-authz --tags a=b",
            "Microsoft.ServiceBus/namespaces/read"
        ),
        (
            "az servicebus namespace identity assign -g rg --namespace-name sb-authz --system-assigned",
            "Microsoft.ServiceBus/namespaces/read"
        ),
        (
            "az servicebus queue create -g rg --namespace-name sb-authz -n q2",
            "Microsoft.ServiceBus/namespaces/queues/write"
        ),
        (
            "az servicebus queue show -g rg --namespace-name sb-authz -n q1",
            "Microsoft.ServiceBus/namespaces/queues/read"
        ),
        ("az servicebus queue list -g rg --namespace-name sb-authz", "Microsoft.ServiceBus/namespaces/queues/read"),
        (
            "az servicebus georecovery-alias list -g rg --namespace-name sb-authz",
            "Microsoft.ServiceBus/namespaces/disasterRecoveryConfigs/read"
        ),
        (
            "az servicebus namespace create -g rg -n sb-authz2 --sku Premium",
            "Microsoft.ServiceBus/namespaces/write"
        ),
        ("az resource list -g rg", "Microsoft.Resources/subscriptions/resources/read"),
        (
            "az resource show -g rg --resource-type Microsoft.KeyVault/vaults -n kv-authz",
            "Microsoft.KeyVault/vaults/read"
        ),
        ("az role assignment list --all", "Microsoft.Authorization/roleAssignments/read"),
        (
            "az role assignment create --assignee-object-id 00000000-0000-0000-0000-000000000001 "
                + "--assignee-principal-type ServicePrincipal --role Reader --scope /subscriptions/SUB",
            "Microsoft.Authorization/roleAssignments/write"
        ),
        (
            "az servicebus queue delete -g rg --namespace-name sb-authz -n q1",
            "Microsoft.ServiceBus/namespaces/queues/delete"
        ),
        ("az servicebus namespace delete -g rg -n sb-authz", "Microsoft.ServiceBus/namespaces/delete"),
        (
            "az postgres flexible-server delete -g rg -n pgfs-authz --yes",
            "Microsoft.DBforPostgreSQL/flexibleServers/delete"
        ),
        ("az postgres server delete -g rg -n pg-authz --yes", "Microsoft.DBforPostgreSQL/servers/delete"),
        ("az identity delete -g rg -n app", "Microsoft.ManagedIdentity/userAssignedIdentities/delete"),
        ("az keyvault delete -n kv-authz", "Microsoft.KeyVault/vaults/delete"),
        ("az keyvault purge -n kv-gone", "Microsoft.KeyVault/locations/deletedVaults/purge/action"),
        ("az group delete -n other --yes", "Microsoft.Resources/subscriptions/resourcegroups/delete"),
    ]

    func prepare() throws -> (subscription: String, mallory: String, clientId: String) {
        let r = try Binary.run(Self.setup.flatMap { ["-c", $0] }, state: state)
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let sub = try kd("az account show --query id -o tsv").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let ids = try kd("az identity show -g rg -n mallory --query '[principalId, clientId]' -o tsv").stdout
            .split(separator: "\n").map(String.init)
        return (sub, ids[0], ids[1])
    }

    /// What an operator sees of the world: every resource, assignment and deleted vault.
    func snapshot() throws -> String {
        try kd(
            "az resource list -o json", "az role assignment list --all -o json", "az keyvault list-deleted -o json",
            "az group list -o json"
        ).stdout
    }

    /// The lists across the subscription: a caller with a role somewhere in it sees what it may read.
    static let subscriptionLists = ["az group list", "az keyvault list", "az keyvault list-deleted"]

    func testAnIdentityWithNoRoleThereIsRefusedEveryControlPlaneCommandAndNothingChanges() throws {
        let (sub, mallory, clientId) = try prepare()
        let before = try snapshot()
        XCTAssertEqual(try kd("az login --identity --client-id \(clientId) -o none").exitCode, 0)
        for list in Self.subscriptionLists {
            let r = try kd(list + " --query \"[].name\" -o tsv")
            XCTAssertEqual(r.exitCode, 0, r.stderr)
            XCTAssertEqual(r.stdout, list == "az group list" ? "elsewhere\n" : "", list)
        }
        for (line, action) in Self.commands where !Self.subscriptionLists.contains(line) {
            let r = try kd(line.replacingOccurrences(of: "SUB", with: sub))
            XCTAssertEqual(r.exitCode, 1, line)
            XCTAssertTrue(
                r.stderr.contains(
                    "ERROR: (AuthorizationFailed) The client '\(mallory)' with object id "
                        + "'\(mallory)' does not have authorization to perform action '\(action)' over scope '"),
                "\(line): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("\nCode: AuthorizationFailed\n"), line)
        }
        XCTAssertEqual(try kd("az login -o none").exitCode, 0)
        XCTAssertEqual(try snapshot(), before, "a refused command changed nothing")
        let refused = try kd("activity --kind refused --query \"[?caller=='mallory'] | length(@)\"")
        XCTAssertEqual(
            refused.stdout, "\(Self.commands.count - Self.subscriptionLists.count)\n",
            "each refusal is in the activity log")
    }

    func testOwnerAtTheSubscriptionLetsEveryCommandThrough() throws {
        let (sub, mallory, clientId) = try prepare()
        XCTAssertEqual(
            try kd(
                "az role assignment create --assignee-object-id \(mallory) --assignee-principal-type ServicePrincipal "
                    + "--role Owner --scope /subscriptions/\(sub) -o none"
            ).exitCode, 0)
        XCTAssertEqual(try kd("az login --identity --client-id \(clientId) -o none").exitCode, 0)
        XCTAssertTrue(try kd("az group show -n rg").stderr.contains("AuthorizationFailed"), "not propagated yet")
        XCTAssertEqual(try kd("clock advance 10m").exitCode, 0)
        for (line, _) in Self.commands {
            let r = try kd(line.replacingOccurrences(of: "SUB", with: sub))
            XCTAssertFalse(r.stderr.contains("AuthorizationFailed"), "\(line): \(r.stderr)")
        }
    }

    func grant(_ role: String, to principal: String, at scope: String) throws {
        let r = try kd(
            "az role assignment create --assignee-object-id \(principal) --assignee-principal-type ServicePrincipal "
                + "--role \"\(role)\" --scope \(scope) -o none")
        XCTAssertEqual(r.exitCode, 0, r.stderr)
    }

    /// The attack: an identity with no role grants itself Key Vault Administrator or every access
    /// policy, waits out propagation, then deletes and purges. Each step is refused.
    func testAnIdentityCannotGrantItselfWhatItLacks() throws {
        let (sub, mallory, clientId) = try prepare()
        let vault = "/subscriptions/\(sub)/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-authz"
        XCTAssertEqual(try kd("az login --identity --client-id \(clientId) -o none").exitCode, 0)
        let selfGrant = try kd(
            "az role assignment create --assignee-object-id \(mallory) --assignee-principal-type ServicePrincipal "
                + "--role \"Key Vault Administrator\" --scope \(vault)")
        XCTAssertEqual(selfGrant.exitCode, 1)
        XCTAssertTrue(selfGrant.stderr.contains("'Microsoft.Authorization/roleAssignments/write'"), selfGrant.stderr)
        let policy = try kd(
            "az keyvault set-policy -n kv-other --object-id \(mallory) --key-permissions all purge")
        XCTAssertTrue(policy.stderr.contains("(AuthorizationFailed)"), policy.stderr)
        XCTAssertEqual(try kd("clock advance 1h").exitCode, 0)
        XCTAssertTrue(try kd("az keyvault delete -n kv-authz").stderr.contains("(AuthorizationFailed)"))
        XCTAssertEqual(try kd("az login -o none").exitCode, 0)
        XCTAssertEqual(try kd("az role assignment list --all --query length(@)").stdout, "1\n", "its Reader only")
        XCTAssertEqual(
            try kd(
                "az keyvault show -n kv-other --query \"length(properties.accessPolicies[?objectId=='\(mallory)'])\""
            )
            .stdout, "0\n")
    }

    /// Each built-in role grants what its actions and not-actions say, at its scope and below.
    func testRolesGrantTheirActionsAtTheirScopeAndBelowOnly() throws {
        let (sub, mallory, clientId) = try prepare()
        let rg = "/subscriptions/\(sub)/resourceGroups/rg"
        try grant("Contributor", to: mallory, at: rg)
        try grant("Key Vault Contributor", to: mallory, at: "/subscriptions/\(sub)/resourceGroups/other")
        XCTAssertEqual(try kd("clock advance 10m", "az login --identity --client-id \(clientId) -o none").exitCode, 0)
        // Contributor manages resources in its group, not access, and nothing outside the group.
        XCTAssertEqual(try kd("az keyvault update -n kv-authz --enable-purge-protection true -o none").exitCode, 0)
        let assign = try kd(
            "az role assignment create --assignee-object-id \(mallory) --assignee-principal-type ServicePrincipal "
                + "--role Owner --scope \(rg)")
        XCTAssertTrue(assign.stderr.contains("'Microsoft.Authorization/roleAssignments/write'"), assign.stderr)
        XCTAssertTrue(try kd("az group create -n rg3 -l westus").stderr.contains("(AuthorizationFailed)"))
        // Key Vault Contributor manages vaults (their access policies too) but cannot purge.
        XCTAssertEqual(
            try kd("az keyvault set-policy -n kv-other --object-id \(mallory) --key-permissions get -o none").exitCode,
            0)
        XCTAssertEqual(try kd("az keyvault delete -n kv-other -o none").exitCode, 0)
        let purge = try kd("az keyvault purge -n kv-other")
        XCTAssertTrue(
            purge.stderr.contains(
                "'Microsoft.KeyVault/locations/deletedVaults/purge/action' over scope "
                    + "'/subscriptions/\(sub)/providers/Microsoft.KeyVault/locations/westus/deletedVaults/kv-other'"),
            purge.stderr)
        // A list across the subscription shows what the caller may read; a group it has no role in is refused.
        XCTAssertEqual(try kd("az group list --query \"sort([].name)\" -o tsv").stdout, "elsewhere\nother\nrg\n")
        XCTAssertEqual(try kd("az keyvault list --query \"sort([].name)\" -o tsv").stdout, "kv-authz\n")
        XCTAssertTrue(try kd("az keyvault list -g rg2").stderr.contains("(AuthorizationFailed)"))
    }

    /// Attaching a user-assigned identity is an action on the identity too: a caller who may
    /// create a namespace cannot lend it an identity it was not given the use of. The message's
    /// words are ARM's, as quoted from real refusals in public issue threads.
    func testAttachingAnIdentityNeedsTheUseOfIt() throws {
        let (sub, mallory, clientId) = try prepare()
        try grant("Contributor", to: mallory, at: "/subscriptions/\(sub)/resourceGroups/other")
        XCTAssertEqual(try kd("clock advance 10m", "az login --identity --client-id \(clientId) -o none").exitCode, 0)
        let app =
            "/subscriptions/\(sub)/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/app"
        let create =
            "az servicebus namespace create -g other -n sb-linked --sku Premium --mi-user-assigned \(app) -o none"
        let refused = try kd(create)
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertTrue(
            refused.stderr.contains(
                "ERROR: (LinkedAuthorizationFailed) The client '\(mallory)' with object id '\(mallory)' has permission "
                    + "to perform action 'Microsoft.ServiceBus/namespaces/write' on scope "
                    + "'/subscriptions/\(sub)/resourceGroups/other/providers/Microsoft.ServiceBus/namespaces/"
                    + "sb-linked'; "
                    + "however, it does not have permission to perform action "
                    + "'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action' on the linked scope(s) "
                    + "'\(app)' "
                    + "or the linked scope(s) are invalid.\n"
            ),
            refused.stderr)
        XCTAssertEqual(try kd("az login -o none").exitCode, 0)
        try grant("Managed Identity Operator", to: mallory, at: "/subscriptions/\(sub)/resourceGroups/rg")
        XCTAssertEqual(try kd("clock advance 10m", "az login --identity --client-id \(clientId) -o none").exitCode, 0)
        let allowed = try kd(create)
        XCTAssertEqual(allowed.exitCode, 0, allowed.stderr)
    }

    /// A managed identity deleted while signed in works until the token it holds expires (a day
    /// from its last renewal), then every request fails, the data plane's too.
    func testADeletedIdentityLosesAccessWhenItsTokenExpires() throws {
        let (sub, mallory, clientId) = try prepare()
        try grant("Owner", to: mallory, at: "/subscriptions/\(sub)")
        try grant("Key Vault Crypto Officer", to: mallory, at: "/subscriptions/\(sub)")
        XCTAssertEqual(try kd("clock advance 10m", "az login --identity --client-id \(clientId) -o none").exitCode, 0)
        XCTAssertEqual(try kd("az keyvault key create --vault-name kv-authz -n k -o none").exitCode, 0)
        // Signed in at T, the token renewed at T+24h; the identity deleted at T+30h: it lasts to T+48h.
        XCTAssertEqual(try kd("clock advance 30h", "az identity delete -g rg -n mallory").exitCode, 0)
        let encrypt = "az keyvault key encrypt --vault-name kv-authz -n k --algorithm RSA-OAEP-256 --value aGk= -o none"
        XCTAssertEqual(try kd("clock advance 17h", "az group show -n rg -o none", encrypt).exitCode, 0)
        XCTAssertEqual(try kd("clock advance 1h").exitCode, 0)
        for line in ["az group show -n rg", encrypt] {
            let r = try kd(line)
            XCTAssertEqual(r.exitCode, 1, line)
            XCTAssertTrue(r.stderr.contains("(ManagedIdentityNotFound)"), r.stderr)
        }
        XCTAssertEqual(try kd("az login -o none", "az group show -n rg -o none").exitCode, 0, "the operator signs in")
    }
}
