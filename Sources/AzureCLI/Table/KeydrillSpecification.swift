/// keydrill's own command groups, declared in the same layout as az's (see
/// tools/gen-command-table.py), so they parse, complete and print help exactly like az commands.
/// Each Azure issue adds its groups here together with their handlers.
enum KeydrillSpecification {
    static let text = #"""
C	audit	keydrill		Key operations as Key Vault's audit log records them (AuditEvent), oldest first.	Every use of a key by anyone (the operator, a PostgreSQL server, a Service Bus namespace) goes through one access path that records {time, vault, key, version, operation, principal, caller, result}; result is Success or the error code.
P	--vault-name	vault_name	value	1	0			0	complete=vault		Only operations on this vault.
P	--principal	principal	value	1	0			0	complete=principal		Only operations by this principal (object id).
P	--since	since	datetime	1	0			0			Only operations at or after this time (ISO 8601).
E	audit --vault-name contoso-vault --query "[?result!='Success']" -o table	Show the refused key operations on a vault.
C	portal keyvault access-policy add	keydrill		The portal's Key Vault > Access policies > Add: grant key permissions to a principal picked by name.	The portal lists principals by the name of what owns them: a user, a user-assigned identity, or a server or namespace whose system-assigned identity it is. A server's identity exists only once it has one (after `az postgres server update --assign-identity`, or the first data-encryption save or revalidate in the portal).
P	--vault-name	vault_name	value	1	1			0	complete=vault		Name of the key vault.
P	--principal	principal	value	1	1			0	complete=principal		The principal: an object id, a user principal name, or the name of a user-assigned identity, server or namespace.
P	--key-permissions	key_permissions	value	+	1		all|encrypt|decrypt|wrapKey|unwrapKey|sign|verify|get|list|create|update|import|delete|backup|restore|recover|purge|release|rotate|getrotationpolicy|setrotationpolicy	0			Key permissions to grant (the portal's checkboxes).
P	--resource-group,-g	resource_group_name	value	1	0			0	complete=resourceGroup		Resource group of the vault (optional, as in az).
E	portal keyvault access-policy add --vault-name contoso-vault --principal pg-server-1 --key-permissions get wrapKey unwrapKey	Grant a PostgreSQL server's identity the permissions data encryption needs.
C	portal postgres data-encryption save	keydrill		The portal's PostgreSQL server > Data encryption > Save: use a customer-managed key.	As the portal does, a server without an identity gets one first; it stays even when the save then fails (the seed: the first attempt fails and registers the server's principal). The key id must carry a version. After enabling, restart the server so temp files are encrypted too.
P	--resource-group,-g	resource_group_name	value	1	1			0	complete=resourceGroup		Name of resource group.
P	--name,-n	server_name	value	1	1			0	complete=postgresServer		Name of the server.
P	--kid	kid	value	1	1			0	complete=keyId		The versioned Key Vault key identifier (the portal's "Enter a key identifier").
E	portal postgres data-encryption save -g ContosoRG -n pg-server-1 --kid https://contoso-vault.vault.azure.net/keys/pg-key/0123456789abcdef0123456789abcdef	Enable data encryption with a customer-managed key.
C	portal postgres data-encryption revalidate	keydrill		The portal's PostgreSQL server > Data encryption > Revalidate key.	Revalidates the server's current key: an inaccessible server whose key is reachable again becomes Ready. On a restored server or replica without an identity, the first revalidate creates the identity and fails by design; grant it on the vault, then revalidate again.
P	--resource-group,-g	resource_group_name	value	1	1			0	complete=resourceGroup		Name of resource group.
P	--name,-n	server_name	value	1	1			0	complete=postgresServer		Name of the server.
E	portal postgres data-encryption revalidate -g ContosoRG -n pg-server-1-restored	Revalidate the key of a restored server.
C	workload postgres write	keydrill		Write rows to a PostgreSQL server, sealed with its data key.	Each row is sealed with AES-256-GCM under the server's data key, which is wrapped by its customer-managed key when it has one. Fails while the server is not Ready. Rows written to a master reach its replicas.
P	--resource-group,-g	resource_group_name	value	1	1			0	complete=resourceGroup		Name of resource group.
P	--server-name,-s	server_name	value	1	1			0	complete=postgresServer		Name of the server.
P	--rows	rows	int	1	1			0			How many rows to write.
E	workload postgres write -g ContosoRG -s pg-server-1 --rows 100	Write 100 rows.
C	workload postgres read	keydrill		Read every row back from a PostgreSQL server and verify it.	Prints {"rows": N, "verified": true} when every row decrypts under the server's data key and holds what was written. Fails while the server is not Ready.
P	--resource-group,-g	resource_group_name	value	1	1			0	complete=resourceGroup		Name of resource group.
P	--server-name,-s	server_name	value	1	1			0	complete=postgresServer		Name of the server.
E	workload postgres read -g ContosoRG -s pg-server-1	Read and verify the rows.
C	portal servicebus encryption save	keydrill		The portal's Service Bus namespace > Encryption: customer-managed keys (up to three keys from one vault).	As the blade does, the keys are versionless (they follow the newest version) and use the namespace's system-assigned identity unless --user-assigned-identity names another. Premium namespaces only, and only while the namespace has no queues or topics; it cannot be turned off again.
P	--resource-group,-g	resource_group_name	value	1	1			0	complete=resourceGroup		Name of resource group.
P	--name,-n	namespace_name	value	1	1			0	complete=namespace		Name of the namespace.
P	--key-vault-uri	key_vault_uri	value	1	1			0			The vault's URI, https://{vault}.vault.azure.net.
P	--key	keys	value	1	1			0	append		A key to use (repeat for up to three).
P	--user-assigned-identity	user_assigned_identity	value	1	0			0			The resource id of the user-assigned identity the keys are used with.
E	portal servicebus encryption save -g ContosoRG -n contoso-sb-primary --key-vault-uri https://contoso-SB-BYOK-keyvault.vault.azure.net --key sb-key-1 --key sb-key-2	Encrypt with two keys.
C	workload servicebus send	keydrill		Send messages to a queue, sealed with the namespace's data key.	Each message is sealed with AES-256-GCM under the namespace's data key, which its customer-managed keys wrap. Fails while the namespace cannot reach any key.
P	--resource-group,-g	resource_group_name	value	1	1			0	complete=resourceGroup		Name of resource group.
P	--namespace-name	namespace_name	value	1	1			0	complete=namespace		Name of the namespace.
P	--queue	queue	value	1	1			0	complete=queue		Name of the queue.
P	--count	count	int	1	1			0			How many messages.
E	workload servicebus send -g ContosoRG --namespace-name contoso-sb-primary --queue orders --count 10	Send 10 messages.
C	workload servicebus receive	keydrill		Receive and complete messages from a queue, verifying each.	Prints {"received": N, "verified": true} when every message decrypts and holds what was sent. Fails while the namespace cannot reach any key; the messages stay stored meanwhile.
P	--resource-group,-g	resource_group_name	value	1	1			0	complete=resourceGroup		Name of resource group.
P	--namespace-name	namespace_name	value	1	1			0	complete=namespace		Name of the namespace.
P	--queue	queue	value	1	1			0	complete=queue		Name of the queue.
P	--count	count	int	1	1			0			How many messages at most.
E	workload servicebus receive -g ContosoRG --namespace-name contoso-sb-primary --queue orders --count 10	Receive 10 messages.
"""#
}
