import Foundation
import XCTest
import JMESPath

/// Seed 1 (PostgreSQL Single Server data encryption) through the binary, in its CLI and portal forms.
final class PostgresEndToEndTests: BinaryTestCase {
    /// A vault fit for data encryption, an RSA 2048 key, and a GP server with an identity.
    func setUpEncryptedServer(grant: Bool = true, enable: Bool = true) throws -> (kid: String, principal: String) {
        XCTAssertEqual(
            try kd(
                "az group create -n rg -l westus -o none",
                "az keyvault create --enable-rbac-authorization false -g rg -n kv1"
                    + " --enable-purge-protection true -o none",
                "az keyvault key create --name key1 -p software --vault-name kv1 -o none",
                "az postgres server create --name pg1 -g rg -l westus -u cloudsa -p Passw0rd!x --sku-name GP_Gen5_2 "
                    + "--assign-identity -o none --only-show-errors"
            ).exitCode, 0)
        let kid = try kd("az keyvault key show --vault-name kv1 -n key1 --query key.kid -o tsv").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let principal = try kd(
            "az postgres server show -g rg -n pg1 --query identity.principalId -o tsv --only-show-errors"
        ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        if grant {
            XCTAssertEqual(
                try kd(
                    "az keyvault set-policy --name kv1 -g rg --key-permissions get unwrapKey wrapKey --object-id "
                        + "\(principal) -o none"
                ).exitCode, 0)
        }
        if enable {
            let r = try kd("az postgres server key create --name pg1 -g rg --kid \(kid) -o none --only-show-errors")
            XCTAssertEqual(r.exitCode, 0, r.stderr)
        }
        return (kid, principal)
    }

    func state(_ server: String = "pg1") throws -> String {
        try kd("az postgres server show -g rg -n \(server) --query userVisibleState -o tsv --only-show-errors").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testSeedCLIProcedureEnablesEncryptionAndPrintsAzShapes() throws {
        let (kid, principal) = try setUpEncryptedServer(grant: false, enable: false)
        let denied = try kd("az postgres server key create --name pg1 -g rg --kid \(kid)")
        XCTAssertEqual(denied.exitCode, 1)
        XCTAssertEqual(
            denied.stderr.split(separator: "\n").map(String.init),
            [
                "WARNING: Azure Database for PostgreSQL Single Server is deprecated. Please migrate to Flexible "
                    + "Server for new deployments.",
                "WARNING: Azure Database for PostgreSQL – Single Server is scheduled for retirement by March 28 "
                    + "2025, (https://go.microsoft.com/fwlink/?linkid=2300058). Migrate to Azure Database for "
                    + "PostgreSQL flexible server now, (https://go.microsoft.com/fwlink/?linkid=2197657).",
                "ERROR: (AzureKeyVaultMissingPermissions) The server 'pg1' requires the following Azure Key Vault "
                    + "permissions: 'Get, WrapKey, UnwrapKey'. Please grant any missing permissions to the service "
                    + "principal with ID '\(principal)'.",
                "Code: AzureKeyVaultMissingPermissions",
                "Message: The server 'pg1' requires the following Azure Key Vault permissions: 'Get, WrapKey, "
                    + "UnwrapKey'. Please grant any missing permissions to the service principal with ID "
                    + "'\(principal)'.",
            ])
        XCTAssertEqual(
            try kd("az postgres server key list --name pg1 -g rg --only-show-errors").stdout, "[]\n",
            "a failed attempt changes nothing")
        XCTAssertEqual(
            try kd(
                "az keyvault set-policy --name kv1 -g rg --key-permissions get unwrapKey wrapKey --object-id "
                    + "\(principal) -o none"
            ).exitCode, 0)
        let created = try kd("az postgres server key create --name pg1 -g rg --kid \(kid)")
        XCTAssertEqual(created.exitCode, 0, created.stderr)
        let key = try JSON.parse(created.stdout)
        let version = String(kid.split(separator: "/").last!)
        XCTAssertEqual(key["name"].stringValue, "kv1_key1_\(version)")
        XCTAssertEqual(key["kind"], "azurekeyvault")
        XCTAssertEqual(key["serverKeyType"], "AzureKeyVault")
        XCTAssertEqual(key["uri"].stringValue, kid)
        XCTAssertEqual(
            key.objectValue?.keys.sorted(),
            ["creationDate", "id", "kind", "name", "resourceGroup", "serverKeyType", "type", "uri"])
        let shown = try kd("az postgres server show -g rg -n pg1")
        XCTAssertEqual(
            shown.stderr,
            "WARNING: Azure Database for PostgreSQL Single Server is deprecated. Please migrate to Flexible Server "
                + "for new deployments.\n"
        )
        let server = try JSON.parse(shown.stdout)
        XCTAssertEqual(server["byokEnforcement"], "Enabled")
        XCTAssertEqual(server["userVisibleState"], "Ready")
        XCTAssertEqual(
            server["identity"],
            try JSON.parse(
                #"{"principalId": "\#(principal)", "#
                    + #""tenantId": "\#(server["identity"]["tenantId"].stringValue!)", "type": "SystemAssigned"}"#
            ))
        XCTAssertEqual(server["masterServerId"], "")
        XCTAssertEqual(server["sku"]["size"], .null)
        XCTAssertEqual(server.objectValue?.keys.count, 23, "every attribute of the SDK model")
        XCTAssertEqual(
            try kd("az postgres server restart --name pg1 --resource-group rg --only-show-errors").stdout, "")
        XCTAssertEqual(
            try kd("az postgres server key show --name pg1 -g rg --kid \(kid) --only-show-errors").stdout,
            created.stdout)
        // A versionless id is refused by az before any call.
        let versionless = try kd(
            "az postgres server key create --name pg1 -g rg --kid https://kv1.vault.azure.net/keys/key1 "
                + "--only-show-errors"
        )
        XCTAssertEqual(versionless.exitCode, 1)
        XCTAssertTrue(
            versionless.stderr.hasPrefix(
                "ERROR: The provided uri is invalid. Please provide a valid Azure Key Vault key id."))
    }

    func testCreateOutputHasTheExtrasOnlyCreatePrints() throws {
        XCTAssertEqual(try kd("az group create -n rg -l eastus -o none").exitCode, 0)
        let r = try kd(
            "az postgres server create -g rg -n pg1 -l eastus -u cloudsa -p Passw0rd!x --sku-name GP_Gen5_2 "
                + "--assign-identity --version 11"
        )
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let o = try JSON.parse(r.stdout)
        XCTAssertEqual(o["password"], "Passw0rd!x")
        XCTAssertEqual(
            o["connectionString"],
            "postgres://cloudsa%40pg1:Passw0rd!x@pg1.postgres.database.azure.com/postgres?sslmode=require")
        XCTAssertEqual(o["additionalProperties"], .object([]))
        XCTAssertEqual(o["sku"]["additionalProperties"], .object([]))
        XCTAssertEqual(
            o["storageProfile"],
            try JSON.parse(
                #"{"additionalProperties": {}, "backupRetentionDays": 7, "geoRedundantBackup": "Disabled", "#
                    + #""storageAutogrow": "Enabled", "storageMb": 5120}"#
            ))
        XCTAssertTrue(r.stderr.contains("WARNING: Creating postgres Server 'pg1' in group 'rg'...\n"))
        let basic = try kd(
            "az postgres server create -g rg -n pg2 -u cloudsa -p Passw0rd!x --sku-name B_Gen5_1 "
                + "--infrastructure-encryption Enabled --only-show-errors"
        )
        XCTAssertEqual(basic.exitCode, 1)
        XCTAssertTrue(basic.stderr.contains("(InfrastructureEncryptionNotSupported)"))
        let infra = try kd(
            "az postgres server create -g rg -n pg3 -u cloudsa -p Passw0rd!x --infrastructure-encryption Enabled "
                + "--only-show-errors --query infrastructureEncryption -o tsv"
        )
        XCTAssertEqual(infra.stdout, "Enabled\n")
        XCTAssertTrue(
            try kd("az postgres server create -g rg -n pg4 -u cloudsa -p short --only-show-errors").stderr.contains(
                "(PasswordNotComplex)"))
    }

    func testRequirementsAreCheckedAndAFailedAttemptChangesNothing() throws {
        let (kid, principal) = try setUpEncryptedServer(enable: false)
        _ = try kd(
            "az keyvault create --enable-rbac-authorization false -g rg -n kv-nopp -o none",
            "az keyvault create --enable-rbac-authorization false -g rg -n kv-short --retention-days 7"
                + " --enable-purge-protection true -o none",
            "az keyvault key create --vault-name kv1 -n ec1 --kty EC -o none",
            "az keyvault key create --vault-name kv1 -n big --size 3072 -o none",
            "az keyvault key create --vault-name kv-nopp -n k -o none",
            "az keyvault key create --vault-name kv-short -n k -o none",
            "az keyvault set-policy -n kv-nopp --key-permissions get wrapKey unwrapKey --object-id \(principal) -o "
                + "none",
            "az keyvault set-policy -n kv-short --key-permissions get wrapKey unwrapKey --object-id \(principal) -o "
                + "none"
        )
        func kidOf(_ vault: String, _ key: String) throws -> String {
            try kd("az keyvault key show --vault-name \(vault) -n \(key) --query key.kid -o tsv").stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let cases = [
            (try kidOf("kv-nopp", "k"), "AzureKeyVaultPurgeProtectionDisabled"),
            (try kidOf("kv-short", "k"), "AzureKeyVaultSoftDeleteRetentionInvalid"),
            (try kidOf("kv1", "ec1"), "AzureKeyVaultUnsupportedKey"),
            (try kidOf("kv1", "big"), "AzureKeyVaultUnsupportedKey"),
        ]
        for (k, code) in cases {
            let r = try kd("az postgres server key create --name pg1 -g rg --kid \(k) --only-show-errors")
            XCTAssertEqual(r.exitCode, 1, k)
            XCTAssertTrue(r.stderr.hasPrefix("ERROR: (\(code))"), r.stderr)
        }
        _ = try kd("az keyvault key set-attributes --vault-name kv1 -n key1 --enabled false -o none")
        let disabled = try kd("az postgres server key create --name pg1 -g rg --kid \(kid) --only-show-errors")
        XCTAssertTrue(
            disabled.stderr.hasPrefix(
                "ERROR: (AzureKeyVaultKeyDisabled) The operation could not be completed on the server because the "
                    + "Azure Key Vault key is disabled."
            ), disabled.stderr)
        _ = try kd(
            "az keyvault key set-attributes --vault-name kv1 -n key1 --enabled true --expires 2000-01-01T00:00:00Z "
                + "-o none"
        )
        XCTAssertTrue(
            try kd("az postgres server key create --name pg1 -g rg --kid \(kid) --only-show-errors").stderr.hasPrefix(
                "ERROR: (AzureKeyVaultKeyExpired)"))
        XCTAssertEqual(
            try kd(
                "az postgres server show -g rg -n pg1 --query [byokEnforcement,userVisibleState] -o tsv "
                    + "--only-show-errors"
            ).stdout, "Disabled\nReady\n")

        _ = try kd(
            "az postgres server create -g rg -n pgbasic -u cloudsa -p Passw0rd!x --sku-name B_Gen5_1 "
                + "--assign-identity -o none --only-show-errors"
        )
        XCTAssertTrue(
            try kd("az postgres server key create --name pgbasic -g rg --kid \(kid) --only-show-errors").stderr
                .hasPrefix("ERROR: (FeatureNotSupportedForBasicTier)"))
        _ = try kd("az postgres server create -g rg -n pgnoid -u cloudsa -p Passw0rd!x -o none --only-show-errors")
        XCTAssertTrue(
            try kd("az postgres server key create --name pgnoid -g rg --kid \(kid) --only-show-errors").stderr
                .hasPrefix("ERROR: (ServerIdentityNotFound)"))
        XCTAssertEqual(
            try kd("az postgres server show -g rg -n pgnoid --query identity --only-show-errors").stdout, "",
            "the CLI does not create an identity")
    }

    /// Every kind of key loss makes the server Inaccessible at its next key check; fixing the
    /// cause is not enough; revalidating brings it back with its data.
    func testEveryKeyLossMakesTheServerInaccessibleUntilRevalidated() throws {
        let causes: [(String, [String], [String])] = [
            (
                "disabled", ["az keyvault key set-attributes --vault-name kv1 -n key1 --enabled false -o none"],
                ["az keyvault key set-attributes --vault-name kv1 -n key1 --enabled true -o none"]
            ),
            (
                "deleted", ["az keyvault key delete --vault-name kv1 -n key1 -o none"],
                ["az keyvault key recover --vault-name kv1 -n key1 -o none"]
            ),
            (
                "expired",
                ["az keyvault key set-attributes --vault-name kv1 -n key1 --expires 2000-01-01T00:00:00Z -o none"],
                ["az keyvault key set-attributes --vault-name kv1 -n key1 --expires 2100-01-01T00:00:00Z -o none"]
            ),
            ("vault deleted", ["az keyvault delete -n kv1 -o none"], ["az keyvault recover -n kv1 -o none"]),
            (
                "permission removed",
                ["az keyvault set-policy -n kv1 --key-permissions get wrapKey --object-id $PID -o none"],
                ["az keyvault set-policy -n kv1 --key-permissions get wrapKey unwrapKey --object-id $PID -o none"]
            ),
            (
                "firewall without bypass", ["az keyvault update -n kv1 --default-action Deny --bypass None -o none"],
                ["az keyvault update -n kv1 --bypass AzureServices -o none"]
            ),
        ]
        for (cause, lose, fix) in causes {
            try? FileManager.default.removeItem(atPath: state)
            let (kid, principal) = try setUpEncryptedServer()
            let pid = ["PID=\(principal)"]
            XCTAssertEqual(try kd("workload postgres write -g rg -s pg1 --rows 25 -o none").exitCode, 0)
            let lost = try Binary.run((pid + lose).flatMap { ["-c", $0] }, state: state)
            XCTAssertEqual(lost.exitCode, 0, "\(cause): \(lost.stderr)")
            XCTAssertEqual(try kd("clock advance 9m").exitCode, 0)
            XCTAssertEqual(try state(), "Ready", "\(cause): noticed only at the next key check")
            XCTAssertEqual(try kd("clock advance 1m").exitCode, 0)
            XCTAssertEqual(try state(), "Inaccessible", cause)
            let read = try kd("workload postgres read -g rg -s pg1")
            XCTAssertEqual(read.exitCode, 1, cause)
            XCTAssertTrue(read.stderr.hasPrefix("ERROR: (ServerInaccessible)"), read.stderr)
            XCTAssertTrue(
                try kd("az postgres server update -g rg -n pg1 --backup-retention 10 --only-show-errors").stderr
                    .hasPrefix("ERROR: (ServerInaccessible)"), cause)
            XCTAssertTrue(
                try kd("az postgres server key delete -g rg --name pg1 --kid \(kid) --yes --only-show-errors").stderr
                    .hasPrefix("ERROR: (ServerInaccessible)"), "\(cause): no switch back to a service-managed key")
            let fixed = try Binary.run((pid + fix + ["clock advance 30m"]).flatMap { ["-c", $0] }, state: state)
            XCTAssertEqual(fixed.exitCode, 0, "\(cause): \(fixed.stderr)")
            XCTAssertEqual(try state(), "Inaccessible", "\(cause): recovery is never automatic")
            let revalidated = try kd(
                "az postgres server key create --name pg1 -g rg --kid \(kid) -o none --only-show-errors")
            XCTAssertEqual(revalidated.exitCode, 0, "\(cause): \(revalidated.stderr)")
            XCTAssertEqual(try state(), "Ready", cause)
            XCTAssertEqual(
                try kd("workload postgres read -g rg -s pg1").stdout, "{\n  \"rows\": 25,\n  \"verified\": true\n}\n",
                cause)
        }
    }

    func testRotationIsManualAndKeyDeleteGoesBackToServiceManaged() throws {
        let (kid, _) = try setUpEncryptedServer()
        _ = try kd("workload postgres write -g rg -s pg1 --rows 3 -o none")
        let rotated = try kd("az keyvault key rotate --vault-name kv1 -n key1 --query key.kid -o tsv").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertNotEqual(rotated, kid)
        _ = try kd("clock advance 1h")
        XCTAssertEqual(
            try kd("az postgres server key list --name pg1 -g rg --query [].uri -o tsv --only-show-errors").stdout,
            kid + "\n")
        XCTAssertEqual(
            try kd(
                "az postgres server key create --name pg1 -g rg --kid \(rotated) --query uri -o tsv --only-show-errors"
            ).stdout, rotated + "\n")
        XCTAssertEqual(
            try kd("az postgres server key delete -g rg --name pg1 --kid \(rotated) --yes --only-show-errors").exitCode,
            0)
        XCTAssertEqual(
            try kd("az postgres server show -g rg -n pg1 --query byokEnforcement -o tsv --only-show-errors").stdout,
            "Disabled\n")
        // With a service-managed key the server no longer depends on the vault.
        _ = try kd(
            "az keyvault key set-attributes --vault-name kv1 -n key1 --enabled false -o none", "clock advance 1h")
        XCTAssertEqual(try kd("workload postgres read -g rg -s pg1 --query verified").stdout, "true\n")
    }

    func testRestoreThenRevalidateCLIProcedureReadsTheDataAsOfTheRestorePoint() throws {
        let (_, sourcePrincipal) = try setUpEncryptedServer()
        _ = try kd("workload postgres write -g rg -s pg1 --rows 10 -o none", "clock advance 1h")
        let point = try kd("clock").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try kd("clock advance 1h", "workload postgres write -g rg -s pg1 --rows 5 -o none")
        let restored = try JSON.parse(
            try kd(
                "az postgres server restore --resource-group rg --name pg1-r --restore-point-in-time \(point) "
                    + "--source-server pg1 --only-show-errors"
            ).stdout)
        XCTAssertEqual(restored["userVisibleState"], "Inaccessible")
        XCTAssertEqual(restored["identity"], .null)
        XCTAssertEqual(restored["byokEnforcement"], "Enabled")
        let principal = try kd(
            "az postgres server update --name pg1-r -g rg --assign-identity --query identity.principalId -o tsv "
                + "--only-show-errors"
        ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertNotEqual(principal, sourcePrincipal)
        let kid = try kd("az postgres server key list --name pg1-r -g rg --query [0].uri -o tsv --only-show-errors")
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(
            try kd("az postgres server key create --name pg1-r -g rg --kid \(kid) --only-show-errors").stderr.contains(
                "AzureKeyVaultMissingPermissions"))
        XCTAssertEqual(
            try kd(
                "az keyvault set-policy --name kv1 -g rg --key-permissions get unwrapKey wrapKey --object-id "
                    + "\(principal) -o none",
                "az postgres server key create --name pg1-r -g rg --kid \(kid) -o none --only-show-errors"
            ).exitCode, 0)
        XCTAssertEqual(try state("pg1-r"), "Ready")
        XCTAssertEqual(
            try kd("workload postgres read -g rg -s pg1-r").stdout, "{\n  \"rows\": 10,\n  \"verified\": true\n}\n")
        XCTAssertTrue(
            try kd(
                "az postgres server georestore -g rg -n pg1-geo --source-server pg1 --location eastus "
                    + "--only-show-errors"
            ).stderr.hasPrefix("ERROR: (GeoRestoreNotAvailable)"))
    }

    func testPortalProcedureFirstSaveRegistersThePrincipal() throws {
        XCTAssertEqual(
            try kd(
                "az group create -n rg -l westus -o none",
                "az keyvault create --enable-rbac-authorization false -g rg -n kv1"
                    + " --enable-purge-protection true -o none",
                "az keyvault key create --name key1 --vault-name kv1 -o none",
                "az postgres server create --name pg1 -g rg -u cloudsa -p Passw0rd!x -o none --only-show-errors"
            ).exitCode, 0)
        let kid = try kd("az keyvault key show --vault-name kv1 -n key1 --query key.kid -o tsv").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let notListed = try kd(
            "portal keyvault access-policy add --vault-name kv1 --principal pg1 --key-permissions get wrapKey unwrapKey"
        )
        XCTAssertEqual(notListed.exitCode, 3, "the server's principal does not exist yet")
        let first = try kd("portal postgres data-encryption save -g rg -n pg1 --kid \(kid)")
        XCTAssertEqual(first.exitCode, 1)
        XCTAssertTrue(first.stderr.hasPrefix("ERROR: (AzureKeyVaultMissingPermissions)"), first.stderr)
        XCTAssertNotEqual(
            try kd("az postgres server show -g rg -n pg1 --query identity.principalId -o tsv --only-show-errors")
                .stdout, "\n", "the failed save registered the principal")
        XCTAssertEqual(
            try kd("az postgres server show -g rg -n pg1 --query byokEnforcement -o tsv --only-show-errors").stdout,
            "Disabled\n")
        XCTAssertEqual(
            try kd(
                "portal keyvault access-policy add --vault-name kv1 --principal pg1 --key-permissions get wrapKey "
                    + "unwrapKey -o none"
            ).exitCode, 0)
        let saved = try kd(
            "portal postgres data-encryption save -g rg -n pg1 --kid \(kid) --query "
                + "[byokEnforcement,userVisibleState] -o tsv"
        )
        XCTAssertEqual(saved.stdout, "Enabled\nReady\n")
        XCTAssertTrue(saved.stderr.contains("Restart the server"), "the portal advises a restart")
    }

    func testReplicaPortalRevalidateFailsFirstThenSucceeds() throws {
        _ = try setUpEncryptedServer()
        _ = try kd("workload postgres write -g rg -s pg1 --rows 7 -o none")
        XCTAssertTrue(
            try kd(
                "az postgres server replica create --name pg1-rep --source-server pg1 --resource-group rg "
                    + "--only-show-errors"
            ).stderr.hasPrefix("ERROR: (ReplicationNotEnabled)"))
        XCTAssertEqual(
            try kd(
                "az postgres server configuration set -g rg -s pg1 -n azure.replication_support --value REPLICA "
                    + "--query value -o tsv --only-show-errors"
            ).stdout, "REPLICA\n")
        XCTAssertTrue(
            try kd(
                "az postgres server replica create --name pg1-rep --source-server pg1 --resource-group rg "
                    + "--only-show-errors"
            ).stderr.hasPrefix("ERROR: (ReplicationNotEnabled)"), "needs a restart of the source")
        let replica = try JSON.parse(
            try kd(
                "az postgres server restart -g rg -n pg1 --only-show-errors",
                "az postgres server replica create --name pg1-rep --source-server pg1 --resource-group rg "
                    + "--only-show-errors"
            ).stdout)
        XCTAssertEqual(replica["replicationRole"], "Replica")
        XCTAssertEqual(replica["replicaCapacity"], 0)
        XCTAssertEqual(replica["userVisibleState"], "Inaccessible")
        XCTAssertEqual(replica["identity"], .null)
        XCTAssertTrue(replica["masterServerId"].stringValue!.hasSuffix("/servers/pg1"))
        XCTAssertEqual(
            try kd("az postgres server show -g rg -n pg1 --query replicationRole -o tsv --only-show-errors").stdout,
            "Master\n")
        let first = try kd("portal postgres data-encryption revalidate -g rg -n pg1-rep")
        XCTAssertTrue(first.stderr.hasPrefix("ERROR: (AzureKeyVaultMissingPermissions)"), first.stderr)
        XCTAssertEqual(
            try kd(
                "portal keyvault access-policy add --vault-name kv1 --principal pg1-rep --key-permissions get "
                    + "wrapKey unwrapKey -o none",
                "portal postgres data-encryption revalidate -g rg -n pg1-rep -o none"
            ).exitCode, 0)
        XCTAssertEqual(try state("pg1-rep"), "Ready")
        _ = try kd("workload postgres write -g rg -s pg1 --rows 3 -o none")
        XCTAssertEqual(
            try kd("workload postgres read -g rg -s pg1-rep --query [rows,verified] -o tsv").stdout, "10\ntrue\n",
            "replicated rows")
        XCTAssertTrue(try kd("workload postgres write -g rg -s pg1-rep --rows 1").stderr.contains("read-only"))
        XCTAssertEqual(
            try kd(
                "az postgres server replica stop -g rg -n pg1-rep --yes --query replicationRole -o tsv "
                    + "--only-show-errors"
            ).stdout, "None\n")
        XCTAssertEqual(try kd("workload postgres write -g rg -s pg1-rep --rows 1 --query rows").stdout, "11\n")
    }
}
