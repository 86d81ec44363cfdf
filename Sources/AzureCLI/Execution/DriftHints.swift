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
        Rule({ f in f.innerErrorCode == "ForbiddenByRbac" }, rbacByDefault),
        Rule(
            { f in f.command?.hasPrefix("portal keyvault access-policy") == true && f.stderr.contains("role-based") },
            "today's portal shows no Access policies blade on an RBAC vault (az 2.61+ and the portal create RBAC "
                + "vaults by default): use Access control (IAM), az role assignment create, or a vault created with "
                + "--enable-rbac-authorization false"
        ),
    ]

    /// The hint line for a failed command, or nothing when no drift explains it.
    static func line(for f: Failure) -> String {
        guard let rule = rules.first(where: { $0.matches(f) }) else { return "" }
        return "hint: \(rule.hint)\n"
    }
}
