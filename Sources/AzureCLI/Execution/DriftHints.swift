import Cloud

/// The seed pages and many team scripts were written for an older az or portal. keydrill fails
/// where az 2.91 fails, with az's own error; then one `hint:` line on stderr says what changed and
/// how to write it today. Each hint is matched on the failed command and its error, never guessed
/// from the line's text alone.
enum DriftHints {
    struct Failure: Sendable {
        let argv: [String]
        let command: String?
        let stderr: String
        let innerErrorCode: String?
        /// A role the caller was granted that has not taken effect yet, as the hint words it.
        var pendingGrant: String? = nil
        /// The world the command failed in, for a drift only the resource's kind explains.
        var world: World? = nil

        /// The value given to the first of `options` (`-n X`, `--name=X`).
        func value(of options: [String]) -> String? {
            for (i, a) in argv.enumerated() {
                for o in options {
                    if a == o, i + 1 < argv.count { return argv[i + 1] }
                    if a.hasPrefix(o + "=") { return String(a.dropFirst(o.count + 1)) }
                }
            }
            return nil
        }
    }

    static let rbacByDefault =
        "az 2.61+ creates RBAC vaults (--enable-rbac-authorization defaults to true), where access policies "
        + "are ignored: add --enable-rbac-authorization false to az keyvault create, or grant a role with az role "
        + "assignment create (a service's identity needs 'Key Vault Crypto Service Encryption User', you need 'Key "
        + "Vault Crypto Officer')"

    struct Rule: Sendable {
        let matches: @Sendable (Failure) -> Bool
        let hint: String
        init(_ matches: @escaping @Sendable (Failure) -> Bool, _ hint: String) {
            self.matches = matches
            self.hint = hint
        }
    }

    static let rules: [Rule] = [
        Rule(
            { f in
                f.stderr.hasPrefix("ERROR: unrecognized arguments:")
                    && f.argv.contains { $0.hasPrefix("--enable-soft-d") }
                    && f.argv.starts(with: ["keyvault"])
            },
            "az removed --enable-soft-delete: soft delete is always on for every vault and cannot be turned off; "
                + "delete the option (the retention is --retention-days, 7 to 90, 90 by default)"
        ),
        Rule(
            { f in f.stderr.contains("Cannot set policies to a vault with '--enable-rbac-authorization' specified") },
            rbacByDefault
        ),
        Rule(
            { f in f.stderr.contains("Cannot delete policies to a vault with '--enable-rbac-authorization' specified")
            },
            rbacByDefault
        ),
        Rule({ f in f.innerErrorCode == "ForbiddenByRbac" && f.pendingGrant == nil }, rbacByDefault),
        Rule(
            { f in
                f.argv.starts(with: ["postgres", "flexible-server", "replica", "create"])
                    && f.argv.contains { $0.hasPrefix("--replica-name") }
                    && f.stderr.contains("the following arguments are required: --name/-n")
            },
            "az postgres flexible-server replica create takes the new replica's name as --name (-n); "
                + "--replica-name is an older az's spelling: write --name"
        ),
        Rule(
            { f in
                f.command == "portal postgres data-encryption revalidate"
                    && f.value(of: ["-n", "--name", "--server-name", "-s"]).map {
                        f.world?.flexibleServers[$0.lowercased()] != nil
                    } == true
            },
            "this is a Flexible Server: its Data encryption blade has no Revalidate button; the server revalidates "
                + "its key by itself at least hourly (clock advance 1h), or set the key again with az postgres "
                + "flexible-server update --key ... --identity ..."
        ),
        Rule(
            { f in f.command?.hasPrefix("portal keyvault access-policy") == true && f.stderr.contains("role-based") },
            "today's portal shows no Access policies blade on an RBAC vault (az 2.61+ and the portal create RBAC "
                + "vaults by default): use Access control (IAM), az role assignment create, or a vault created with "
                + "--enable-rbac-authorization false"
        ),
    ]

    /// The hint line for a failed command, or nothing when no drift explains it. A refusal while
    /// a grant is still propagating says so before anything else: the fix is to wait, not to grant.
    static func line(for f: Failure) -> String {
        let refused = f.innerErrorCode == "ForbiddenByRbac" || f.stderr.contains("(AuthorizationFailed)")
        if let pending = f.pendingGrant, refused {
            return "hint: \(pending)\n"
        }
        guard let rule = rules.first(where: { $0.matches(f) }) else { return "" }
        return "hint: \(rule.hint)\n"
    }
}
