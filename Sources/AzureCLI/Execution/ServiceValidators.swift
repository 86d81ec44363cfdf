import Cloud
import JMESPath

/// The validators of az's postgresql and servicebus modules (postgresql/utils/validators.py,
/// servicebus/_validators.py), with their messages, in the chain `Validators.run` runs.
extension Validators {
    static let services: [String: Validator] = [
        "retention_validator": { ns in
            let days = FlexibleServerRules.retentionDays
            if let v = ns.values["backup_retention"]?.numberValue,
                !(Double(days.lowerBound)...Double(days.upperBound)).contains(v)
            {
                throw CLIError("Invalid value for --backup-retention. Allowed values: 7 to 35 days.")
            }
        },
        "public_access_validator": { ns in
            guard let text = ns.string("public_access") else { return }
            let val = text.lowercased()
            let parts = val.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard
                ["disabled", "enabled", "all", "none"].contains(val)
                    || (1...2).contains(parts.count)
                        && parts.allSatisfy(isIPv4)
            else {
                throw CLIError(
                    "Invalid value for --public-access. Allowed values: 'Disabled', 'Enabled', 'All', 'None', "
                        + "'<startIP>', or '<startIP>-<endIP>', where each IP ranges from 0.0.0.0 to 255.255.255.255.")
            }
            if parts.count == 2 {
                let (start, end) = (octets(parts[0]), octets(parts[1]))
                if let k = start.indices.first(where: { start[$0] != end[$0] }), start[k] > end[k] {
                    throw CLIError("The end IP address is smaller than the start IP address.")
                }
            }
        },
        "db_renaming_cluster_validator": { ns in
            if ns.isSet("database_name"), !ns.isSet("cluster_size") {
                throw CLIError(
                    "The --database-name argument can only be used when --node-count is present, as it only applies "
                        + "to elastic clusters.")
            }
        },
        "validate_byok_identity": { ns in
            for dest in ["byok_identity", "backup_byok_identity"] {
                if let id = ns.string(dest) { ns.values[dest] = .string(try userIdentity(id, ns)) }
            }
        },
        "validate_identity": { ns in
            if let id = ns.string("identity") { ns.values["identity"] = .string(try userIdentity(id, ns)) }
        },
        "validate_identities": { ns in
            guard let ids = ns.truthy("identities")?.arrayValue else { return }
            ns.values["identities"] = .array(try ids.map { .string(try userIdentity($0.stringValue ?? "", ns)) })
        },
        "maintenance_window_validator": { ns in
            guard let text = ns.string("maintenance_window") else { return }
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            let invalid = "Invalid value for --maintenance-window. "
            if parts.count > 3 {
                throw CLIError(
                    invalid + "Use <Day>:<Hour>:<Minute>. Example: \"Mon:8:30\" schedules maintenance on Monday at "
                        + "8:30 UTC.")
            }
            if !["sun", "mon", "tue", "wed", "thu", "fri", "sat", "disabled"].contains(parts[0].lowercased()) {
                throw CLIError(
                    invalid + "The first value must be a day of the week or \"Disabled\". Allowed values: {\"Sun\", "
                        + "\"Mon\", \"Tue\", \"Wed\", \"Thu\", \"Fri\", \"Sat\"}.")
            }
            if parts.count >= 2, !isNumber(parts[1], upTo: 23) {
                throw CLIError(invalid + "The hour must be between 0 and 23. Allowed values: {0, 1, ... 23}.")
            }
            if parts.count >= 3, !isNumber(parts[2], upTo: 59) {
                throw CLIError(invalid + "The minute must be between 0 and 59. Allowed values: {0, 1, ... 59}.")
            }
        },
        // A partner given by name is expanded into an id in the subscription.
        "validate_partner_namespace": { ns in
            guard let partner = ns.string("partner_namespace"), ResourceID.parts(partner) == nil else { return }
            ns.values["partner_namespace"] = .string(
                "\(try ns.subscriptionPath())/resourceGroups/\(ns.string("resource_group_name") ?? "None")/providers/"
                    + "Microsoft.ServiceBus/namespaces/\(partner)")
        },
        "validate_premiumsku_capacity": { ns in
            // argparse's choices leave no 0 (az 2.91 fails with a traceback on `--capacity 0`).
            if let sku = ns.string("sku"), sku != "Premium", ns.truthy("capacity") != nil {
                throw CLIError("--capacity - This property is only applicable to namespaces of Premium SKU")
            }
        },
    ]

    /// postgresql's `_validate_identity`: an id as it is; a bare name is an identity of the
    /// command's resource group in the job's subscription; anything else is refused.
    private static func userIdentity(_ text: String, _ ns: Namespace) throws -> String {
        try userIdentityID(text, resourceGroup: ns.string("resource_group_name") ?? "None") {
            try ns.subscriptionPath()
        }
    }

    /// The rule itself, which the Flexible Server handlers apply again to the names they read.
    static func userIdentityID(
        _ text: String, resourceGroup: String, subscriptionPath: () throws -> String
    ) throws -> String {
        if text.hasPrefix("/"), ResourceID.parts(text) != nil { return text }
        guard !text.contains("/") else { throw CLIError("Invalid identity name or identifier.") }
        return "\(try subscriptionPath())/resourceGroups/\(resourceGroup)/providers/"
            + "Microsoft.ManagedIdentity/userAssignedIdentities/\(text)"
    }

    /// `_validate_ranges_in_ip`: four dot-separated decimal numbers up to 255.
    private static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { isNumber(String($0), upTo: 255) }
    }

    private static func octets(_ text: String) -> [Int] { text.split(separator: ".").map { Int($0) ?? 0 } }

    /// Python's `s.isdigit() and 0 <= int(s) <= limit`.
    private static func isNumber(_ s: String, upTo limit: Int) -> Bool {
        !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber } && (Int(s).map { $0 <= limit } ?? false)
    }
}
