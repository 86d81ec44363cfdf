/// keydrill's own command groups, declared in the same layout as az's (see
/// tools/gen-command-table.py), so they parse, complete and print help exactly like az commands.
/// Each Azure issue adds its groups here together with their handlers.
enum KeydrillSpecification {
    static let text = #"""
C	audit	keydrill		Key operations as Key Vault's audit log records them (AuditEvent), oldest first.	Every use of a key by anyone (the operator, a PostgreSQL server, a Service Bus namespace) goes through one access path that records {time, vault, key, version, operation, principal, caller, result}; result is Success or the error code.
P	--vault-name	vault_name	value	1	0			0			Only operations on this vault.
P	--principal	principal	value	1	0			0			Only operations by this principal (object id).
P	--since	since	datetime	1	0			0			Only operations at or after this time (ISO 8601).
E	audit --vault-name contoso-vault --query "[?result!='Success']" -o table	Show the refused key operations on a vault.
C	portal keyvault access-policy add	keydrill		The portal's Key Vault > Access policies > Add: grant key permissions to a principal picked by name.	The portal lists principals by the name of what owns them: a user, a user-assigned identity, or a server or namespace whose system-assigned identity it is. A server's identity exists only once it has one (after `az postgres server update --assign-identity`, or the first data-encryption save or revalidate in the portal).
P	--vault-name	vault_name	value	1	1			0			Name of the key vault.
P	--principal	principal	value	1	1			0			The principal: an object id, a user principal name, or the name of a user-assigned identity, server or namespace.
P	--key-permissions	key_permissions	value	+	1		all|encrypt|decrypt|wrapKey|unwrapKey|sign|verify|get|list|create|update|import|delete|backup|restore|recover|purge|release|rotate|getrotationpolicy|setrotationpolicy	0			Key permissions to grant (the portal's checkboxes).
P	--resource-group,-g	resource_group_name	value	1	0			0			Resource group of the vault (optional, as in az).
E	portal keyvault access-policy add --vault-name contoso-vault --principal pg-server-1 --key-permissions get wrapKey unwrapKey	Grant a PostgreSQL server's identity the permissions data encryption needs.
"""#
}
