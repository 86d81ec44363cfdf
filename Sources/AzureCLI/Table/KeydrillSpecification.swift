/// keydrill's own command groups, declared in the same layout as az's (see
/// tools/gen-command-table.py), so they parse, complete and print help exactly like az commands.
/// Each Azure issue adds its groups here together with their handlers.
enum KeydrillSpecification {
    static let topLevel: Set<String> = ["portal", "workload", "audit"]

    static let text = #"""
C	audit	keydrill		Key operations as Key Vault's audit log records them (AuditEvent), oldest first.	Every use of a key by anyone (the operator, a PostgreSQL server, a Service Bus namespace) goes through one access path that records {time, vault, key, version, operation, principal, caller, result}; result is Success or the error code.
P	--vault-name	vault_name	value	1	0			0			Only operations on this vault.
P	--principal	principal	value	1	0			0			Only operations by this principal (object id).
P	--since	since	datetime	1	0			0			Only operations at or after this time (ISO 8601).
E	audit --vault-name contoso-vault --query "[?result!='Success']" -o table	Show the refused key operations on a vault.
"""#
}
