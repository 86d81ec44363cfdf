import Cloud
import Foundation
import JMESPath

/// The validators az runs after its y/N question and before the service: each command's chain
/// comes from az's own parser (`tools/az-validators.json`, in the table as `CommandSpec.validators`),
/// and each validator is written once here, with az's messages and in az's order of checks. knack
/// turns a CLIError into exit 1 and any other exception (argparse's, Python's ValueError, binascii's)
/// into a usage error, exit 2, which is why some throw `UsageError` without a footer.
///
/// keydrill refuses the options it does not emulate only after these, so a line az stops here
/// stops with az's message. A validator that asks the service (a resource group found by a
/// vault's name) needs a signed-in world, as az needs a signed-in profile.
enum Validators {
    /// What a validator reads: the arguments as az's namespace has them (defaults and `--ids`
    /// parts in), the world (read-only), and what it changes for the validators after it.
    struct Namespace {
        let spec: CommandSpec
        var values: [String: JSON]
        let given: Set<String>
        let world: World
        var warnings: [String] = []

        /// The value as Python tests it (`if ns.x:`): nil for a missing, null, empty or false one.
        /// A key command's vault or HSM name is a URL once given (az's base_url_type), so never empty
        /// then; a vault command's HSM name is a plain string.
        func truthy(_ dest: String) -> JSON? {
            if dest == "vault_base_url" || (dest == "hsm_name" && spec.parameter(dest: "vault_base_url") != nil),
                given.contains(dest), let v = values[dest]
            {
                return v
            }
            switch values[dest] {
            case nil, .null?, .bool(false)?: return nil
            case .string(let s)? where s.isEmpty: return nil
            case .array(let a)? where a.isEmpty: return nil
            case let v?: return v
            }
        }
        func string(_ dest: String) -> String? { truthy(dest)?.stringValue }
        /// `ns.x is not None`.
        func isSet(_ dest: String) -> Bool { !(values[dest] ?? .null).isNull }

        func requireSignedIn() throws { try AzureCLI.requireSignedIn(world) }

        /// The job's subscription as an ARM path (`AzureCLI.subscriptionID`).
        func subscriptionPath() throws -> String {
            "/subscriptions/\(try AzureCLI.subscriptionID(given: string("subscription"), world: world))"
        }
    }

    typealias Validator = @Sendable (inout Namespace) throws -> Void

    /// Runs the command's chain; the warnings a validator prints come back even when a later one fails.
    static func run(
        _ spec: CommandSpec, values: [String: JSON], given: Set<String>, world: World, warnings: inout [String]
    ) throws {
        var ns = Namespace(spec: spec, values: values, given: given, world: world)
        defer { warnings += ns.warnings }
        for name in spec.validators {
            guard let v = all[name] else { continue }  // `inHandler`: the command's handler checks it
            try v(&ns)
        }
    }

    /// Validators whose checks still live in the command's handler, where keydrill had them before
    /// the chain existed. They are here so a test can tell a forgotten validator from these.
    static let inHandler: Set<String> = [
        "validate_tenant"  // a domain is resolved against the world's tenant at sign-in
    ]

    static let all = general.merging(services) { first, _ in first }

    private static let general: [String: Validator] = [
        // An empty filter would match every assignment (and delete them all), so az refuses it.
        "process_assignment_namespace": { ns in
            for dest in ["assignee", "scope", "role", "resource_group_name"] where ns.values[dest] == .string("") {
                let option = ns.spec.parameter(dest: dest)?.primaryOption ?? dest
                throw CLIError(
                    "usage error: \(option) can't be an empty string. Either omit it or provide a non-empty string.")
            }
        },
        // validate_tag splits on the first '='; nothing it is given fails.
        "validate_tags": { _ in },
        "get_default_location_from_resource_group": { ns in
            guard ns.truthy("location") == nil, let rg = ns.string("resource_group_name") else { return }
            try ns.requireSignedIn()
            // The SDK's ResourceNotFoundError is not a CLIError: knack prints it as a usage error.
            do { _ = try ns.world.resourceGroup(rg) } catch let e as CloudError {
                throw UsageError("(\(e.code)) \(e.message)\nCode: \(e.code)\nMessage: \(e.message)", footer: [])
            }
        },
        "validate_retention_days_on_creation": { ns in
            if ns.truthy("retention_days") == nil, ns.truthy("hsm_name") != nil {
                throw CLIError("--retention-days is required for MHSM creation.")
            }
        },
        "validate_vault_name_and_hsm_name": { ns in
            let vault = ns.truthy("vault_name"), hsm = ns.truthy("hsm_name")
            if vault != nil, hsm != nil { throw CLIError(vaultAndHSM) }
            if vault == nil, hsm == nil { throw CLIError(pleaseSpecify) }
        },
        "validate_resource_group_name": { ns in
            if ["keyvault purge", "keyvault recover"].contains(ns.spec.name) { return }
            let vault = ns.string("vault_name"), hsm = ns.string("hsm_name")
            if vault != nil, hsm != nil { throw CLIError("--name/-n and --hsm-name are mutually exclusive.") }
            if vault != nil { deprecationNotice(&ns) }
            guard ns.truthy("resource_group_name") == nil else { return }
            // The group is looked up by the vault's name across the subscription. An HSM's lookup
            // swallows every error (sign-in's too), and keydrill has no HSMs; with no name az
            // asks nothing.
            if let vault {
                try ns.requireSignedIn()
                if let v = ns.world.vaults[vault.lowercased()] {
                    ns.values["resource_group_name"] = .string(v.resourceGroup)
                    return
                }
            }
            throw CLIError(
                "The \(vault != nil ? "Vault" : "HSM") '\(vault ?? ns.values["hsm_name"]?.stringValue ?? "None")' not "
                    + "found within subscription.")
        },
        "validate_deleted_vault_or_hsm_name": { ns in
            let vault = ns.string("vault_name"), hsm = ns.string("hsm_name")
            guard let name = vault ?? hsm else { throw CLIError(pleaseSpecify) }
            try ns.requireSignedIn()
            // With --location az asks for that one deleted vault, and the handler answers as the
            // service does; without it az searches the list.
            if ns.truthy("location") != nil { return }
            guard vault != nil, let d = ns.world.deletedVaults[name.lowercased()] else {
                throw CLIError("No deleted Vault or HSM was found with name \(name)")
            }
            ns.values["location"] = .string(d.vault.location)
            guard !["keyvault purge", "keyvault show-deleted"].contains(ns.spec.name) else { return }
            let given = ns.string("resource_group_name") ?? d.vault.resourceGroup
            // Compared as written, not ignoring case, as az compares them.
            if d.vault.resourceGroup != given {
                throw CLIError(
                    "The specified resource group does not match that of the deleted vault or hsm \(name). The "
                        + "vault or hsm must be recovered to the original resource group \(d.vault.resourceGroup).")
            }
            ns.values["resource_group_name"] = .string(given)
        },
        "validate_principal": { ns in
            if ["object_id", "spn", "upn"].filter({ ns.truthy($0) != nil }).count != 1 {
                throw UsageError("specify exactly one: --object-id, --spn, --upn", footer: [])
            }
        },
        "validate_policy_permissions": { ns in
            let perms = ["key_permissions", "secret_permissions", "certificate_permissions", "storage_permissions"]
            if !perms.contains(where: ns.isSet) {
                throw UsageError(
                    "specify at least one: --key-permissions, --secret-permissions, --certificate-permissions "
                        + "--storage-permissions", footer: [])
            }
        },
        "set_vault_base_url": setVaultBaseURL,
        "validate_keyvault_resource_id:key": validateKeyID,
        "validate_vault_or_hsm": { ns in
            if let id = ns.string("identifier") {
                if ns.truthy("vault_base_url") != nil {
                    throw CLIError(vaultAndID)
                }
                if ns.truthy("hsm_name") != nil { throw CLIError(hsmAndID) }
                if id.split(separator: "/", omittingEmptySubsequences: false).count < 3 {
                    throw CLIError("Invalid id for Vault or HSM.")
                }
            } else {
                let vault = ns.truthy("vault_base_url"), hsm = ns.truthy("hsm_name")
                if vault != nil, hsm != nil { throw CLIError(vaultAndHSM) }
                if vault == nil, hsm == nil { throw CLIError(pleaseSpecify) }
            }
        },
        "validate_key_create": { ns in
            try setVaultBaseURL(&ns)
            try validateKeyID(&ns)
            if let external = ns.string("external_key_id") {
                if external.count > 64 { throw CLIError("--external-key-id must be at most 64 characters.") }
                if !external.unicodeScalars.allSatisfy({
                    $0.isASCII
                        && ($0 == "-" || $0.properties.isAlphabetic
                            || ("0"..."9").contains($0))
                }) {
                    throw CLIError("--external-key-id may contain only letters, digits, and hyphens.")
                }
                let shape = [
                    ("--kty", "kty"), ("--size", "key_size"), ("--curve", "curve"), ("--ops", "key_ops"),
                    ("--protection", "protection"), ("--exportable", "exportable"),
                ].filter { ns.isSet($0.1) }.map(\.0)
                if !shape.isEmpty {
                    throw CLIError(
                        "\(shape.joined(separator: ", ")) cannot be used with --external-key-id. External keys are "
                            + "backed by an External Key Manager and the service controls the key material.")
                }
            } else {
                try validateKeyType(&ns)
            }
            try processReleasePolicy(&ns)
        },
        "process_key_release_policy": processReleasePolicy,
        "validate_key_import_source": { ns in
            let byok = ns.truthy("byok_file") != nil || ns.truthy("byok_string") != nil
            let pem = ns.truthy("pem_file") != nil || ns.truthy("pem_string") != nil
            let sources = ["byok_file", "byok_string", "pem_file", "pem_string"].filter { ns.truthy($0) != nil }
            let password = ns.truthy("pem_password") != nil
            if sources.count != 1 {
                throw UsageError("supply exactly one: --byok-file, --byok-string, --pem-file, --pem-string", footer: [])
            }
            if byok, password {
                throw UsageError("--byok-file or --byok-string cannot be used with --pem-password", footer: [])
            }
            if password, !pem {
                throw UsageError("--pem-password must be used with --pem-file or --pem-string", footer: [])
            }
        },
        "validate_key_import_type": { ns in
            let kty = ns.string("kty"), curve = ns.truthy("curve")
            if (kty == "EC" && curve == nil) || (kty != "EC" && curve != nil) {
                throw CLIError("parameter --curve should be specified when key type --kty is EC.")
            }
        },
        "validate_encryption": { ns in
            guard ns.string("data_type") == "base64", let value = ns.values["value"]?.stringValue else { return }
            try PythonBase64.check(value)
        },
        "validate_decryption": { ns in
            if let value = ns.values["value"]?.stringValue { try PythonBase64.check(value) }
        },
        "validate_ip_address": { ns in
            guard let given = ns.truthy("ip_address")?.arrayValue?.compactMap(\.stringValue) else { return }
            let networks = try given.map { try PythonIPNetwork($0) }
            for (i, a) in networks.enumerated() {
                for (j, b) in networks.enumerated() where i != j && a.overlaps(b) {
                    throw CLIError(
                        "ip addresses \(a) and \(b) provided are overlapping: --ip_address ip1 [ip2]...")
                }
            }
        },
        "validate_subnet": { ns in
            let subnet = ns.string("subnet"), vnet = ns.string("vnet_name")
            let subnetIsID = subnet.map { ResourceID.parts($0)?["name"] != nil } ?? false
            if (subnetIsID && vnet == nil) || (subnet == nil && vnet == nil) { return }
            guard subnet != nil, !subnetIsID, vnet != nil else {
                throw CLIError("incorrect usage: [--subnet ID | --subnet NAME --vnet-name NAME]")
            }
            // The subnet's id is built with the signed-in subscription.
            try ns.requireSignedIn()
        },
    ]

    /// az prints these two warnings from its validators, before it asks the service anything.
    static func deprecationNotice(_ ns: inout Namespace) {
        let guidance =
            "Please see the following documentation for additional guidance.\n"
            + "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview"
        switch ns.spec.name {
        case "keyvault delete":
            ns.warnings.append(
                "Warning! If you have soft-delete protection enabled on this key vault, you will not be able to "
                    + "reuse this key vault name until the key vault has been purged from the soft deleted state. "
                    + guidance)
        case "keyvault key delete":
            ns.warnings.append(
                "Warning! If you have soft-delete protection enabled on this key vault, this key will be moved to "
                    + "the soft deleted state. You will not be able to create a key with the same name within this "
                    + "key vault until the key has been purged from the soft-deleted state. " + guidance)
        default: break
        }
    }

    static let setVaultBaseURL: Validator = { ns in
        if ns.truthy("hsm_name") == nil { deprecationNotice(&ns) }
        // An HSM name stands in for the vault from here on, so later checks name --vault-name.
        if let hsm = ns.truthy("hsm_name"), ns.truthy("vault_base_url") == nil {
            ns.values["vault_base_url"] = .string("https://\(hsm.stringValue ?? "").managedhsm.azure.net")
        }
    }

    /// az's validate_keyvault_resource_id('key'): --id, or a vault (or HSM) and a name.
    static let validateKeyID: Validator = { ns in
        if let id = ns.string("identifier") {
            if ns.truthy("vault_base_url") != nil { throw CLIError(vaultAndID) }
            if ns.truthy("hsm_name") != nil { throw CLIError(hsmAndID) }
            // The SDK's parse_key_vault_id raises ValueError: a usage error.
            guard let url = PythonURL(id), url.hasHost, (2...3).contains(url.pathSegments.count) else {
                throw UsageError("'\(id)' is not a valid ID", footer: [])
            }
            try url.checkPort()
            return
        }
        let name = ns.truthy("key_name") ?? ns.truthy("name")
        let vault = ns.truthy("vault_base_url") ?? ns.truthy("hsm_name")
        if name == nil || vault == nil {
            throw CLIError(keyUsage)
        }
    }

    // az's Key Vault validators repeat these; one copy each here.
    static let pleaseSpecify = "Please specify --vault-name or --hsm-name."
    static let vaultAndHSM = "--vault-name and --hsm-name are mutually exclusive."
    static let vaultAndID = "--vault-name and --id are mutually exclusive."
    static let hsmAndID = "--hsm-name and --id are mutually exclusive."
    static let keyUsage =
        "incorrect usage: --id ID | --vault-name/--hsm-name VAULT/HSM --name/-n NAME [--version VERSION]"

    static let validateKeyType: Validator = { ns in
        let kty = ns.string("kty") ?? (ns.truthy("curve") != nil ? "EC" : "RSA")
        guard ns.string("protection") == "software" else { return }
        if ns.truthy("byok_file") != nil { throw CLIError("BYOK keys are hardware protected. Omit --protection") }
        // az's message has an unfilled {} (its format() call is missing); keydrill prints it as az does.
        if kty.hasSuffix("-HSM") {
            throw CLIError("The key type {} is invalid for software protected keys. Omit --protection")
        }
    }

    static let processReleasePolicy: Validator = { ns in
        let policy = ns.truthy("release_policy") != nil, cvm = ns.truthy("default_cvm_policy") != nil
        let disk = ns.truthy("default_data_disk_policy") != nil
        if !policy, !cvm, !disk {
            if ns.isSet("immutable") { throw CLIError("Please provide policy when setting `--immutable`") }
            return
        }
        if policy, cvm { throw CLIError("Can not specify both `--policy` and `--default-cvm-policy`") }
        if policy, disk { throw CLIError("Can not specify both `--policy` and `--default-data-disk-policy`") }
        if cvm, disk {
            throw CLIError("`--default-cvm-policy` and `--default-data-disk-policy` are mutually exclusive")
        }
        // A default policy is fetched from the vault; a given one is a file or JSON text.
        guard let text = ns.string("release_policy"), !FileManager.default.fileExists(atPath: text) else { return }
        _ = try PythonJSON.shellSafe(text)
    }
}
