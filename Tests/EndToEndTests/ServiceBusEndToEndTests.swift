import Foundation
import XCTest
import JMESPath

/// Seed 2 (Service Bus customer-managed keys and geo-DR) rule by rule through the binary.
final class ServiceBusEndToEndTests: BinaryTestCase {
    /// az's AAZ commands check name lengths before any call (read from az 2.91's generated code,
    /// tools/aaz-schemas.json; the pattern it compiles is not checked, so neither is it here).
    func testNameLengthsAreCheckedAsAzChecksThemBeforeTheService() throws {
        let short = try kd("az servicebus namespace show -g nope --name ab")
        XCTAssertEqual(short.exitCode, 1)
        XCTAssertEqual(short.stderr, "ERROR: InvalidArgumentValue: -n: Invalid format: 'ab' length is less than 6 \n")
        let long = String(repeating: "n", count: 51)
        XCTAssertEqual(
            try kd("az servicebus queue create -g nope --namespace-name \(long) -n q").stderr,
            "ERROR: InvalidArgumentValue: --namespace-name: Invalid format: '\(long)' length is greater than 50\n")
        XCTAssertEqual(try kd("az servicebus namespace show -g nope --name abcdefgh").exitCode, 3, "then the service")
    }

    let uri = "https://kv1.vault.azure.net"

    func setUpVault() throws {
        XCTAssertEqual(
            try kd(
                "az group create -n rg -l westus -o none",
                "az keyvault create --enable-rbac-authorization false -g rg -n kv1"
                    + " --enable-purge-protection true -o none",
                "az keyvault key create --vault-name kv1 -n k1 -o none",
                "az keyvault key create --vault-name kv1 -n k2 -o none",
                "az keyvault key create --vault-name kv1 -n k3 -o none",
                "az keyvault key create --vault-name kv1 -n k4 -o none"
            ).exitCode, 0)
    }

    func namespace(_ name: String, sku: String = "Premium", grant: Bool = true) throws -> String {
        let pid = try kd(
            "az servicebus namespace create -g rg -n \(name) --sku \(sku) --mi-system-assigned --query "
                + "identity.principalId -o tsv"
        ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        if grant {
            XCTAssertEqual(
                try kd(
                    "az keyvault set-policy -n kv1 --object-id \(pid) --key-permissions get wrapKey unwrapKey list "
                        + "-o none"
                ).exitCode, 0)
        }
        return pid
    }

    func add(_ ns: String, _ keys: String...) throws -> Binary.Result {
        try kd(
            "az servicebus namespace encryption add -g rg --namespace-name \(ns) "
                + keys.map { "--encryption-config key-name=\($0) key-vault-uri=\(uri)" }.joined(separator: " "))
    }

    func testEnablingRulesEachRefusedWithAReasonAndNothingChanged() throws {
        try setUpVault()
        _ = try namespace("sbstandard1", sku: "Standard")
        XCTAssertTrue(try add("sbstandard1", "k1").stderr.contains("available only for Premium namespaces"))
        _ = try namespace("sbwithqueue")
        _ = try kd("az servicebus queue create -g rg --namespace-name sbwithqueue -n q1 -o none")
        XCTAssertTrue(try add("sbwithqueue", "k1").stderr.contains("only on an empty namespace"))
        _ = try namespace("sbprimary1")
        XCTAssertTrue(try add("sbprimary1", "k1", "k2", "k3", "k4").stderr.contains("at most 3 customer-managed keys"))
        XCTAssertEqual(
            try kd("az servicebus namespace show -g rg -n sbprimary1 --query encryption").stdout, "", "nothing changed")
        // az merges new entries with the existing ones.
        XCTAssertEqual(try add("sbprimary1", "k1").exitCode, 0)
        let merged = try JSON.parse(try add("sbprimary1", "k2").stdout)
        XCTAssertEqual(
            merged["encryption"]["keyVaultProperties"].arrayValue?.map { $0["keyName"].stringValue! }, ["k1", "k2"])
        XCTAssertEqual(
            merged["encryption"]["keyVaultProperties"][0],
            try JSON.parse(#"{"keyName": "k1", "keyVaultUri": "https://kv1.vault.azure.net", "keyVersion": ""}"#))
        XCTAssertTrue(
            try add("sbprimary1", "k1").stderr.contains("already in the namespace's encryption configuration"))
        XCTAssertTrue(try add("sbprimary1", "k3", "k4").stderr.contains("at most 3"))
        // Keys must share one identity.
        _ = try kd("az identity create -g rg -n uai1 -o none")
        let uai = try kd("az identity show -g rg -n uai1 --query id -o tsv").stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        _ = try kd(
            "az servicebus namespace identity assign -g rg --namespace-name sbprimary1 --user-assigned \(uai) -o none")
        let mixed = try kd(
            "az servicebus namespace encryption add -g rg --namespace-name sbprimary1 --encryption-config "
                + "key-name=k3 key-vault-uri=\(uri) user-assigned-identity=\(uai)"
        )
        XCTAssertTrue(mixed.stderr.contains("must use the same identity"), mixed.stderr)
        // The vault needs purge protection.
        _ = try kd(
            "az keyvault create --enable-rbac-authorization false -g rg -n kv-nopp -o none",
            "az keyvault key create --vault-name kv-nopp -n k -o none")
        _ = try namespace("sbnopp1")
        let nopp = try kd(
            "az servicebus namespace encryption add -g rg --namespace-name sbnopp1 --encryption-config key-name=k "
                + "key-vault-uri=https://kv-nopp.vault.azure.net"
        )
        XCTAssertTrue(nopp.stderr.contains("must have soft delete and purge protection"), nopp.stderr)
        // Without permission: the Key Vault refusal is the inner error.
        _ = try namespace("sbnogrant", grant: false)
        let denied = try add("sbnogrant", "k1")
        XCTAssertEqual(denied.exitCode, 1)
        XCTAssertTrue(denied.stderr.contains("\"code\": \"AccessDenied\""), denied.stderr)
        // Once on, the last key cannot be removed.
        XCTAssertEqual(
            try kd(
                "az servicebus namespace encryption remove -g rg --namespace-name sbprimary1 --encryption-config "
                    + "key-name=k2 key-vault-uri=\(uri) -o none"
            ).exitCode, 0)
        XCTAssertTrue(
            try kd(
                "az servicebus namespace encryption remove -g rg --namespace-name sbprimary1 --encryption-config "
                    + "key-name=k1 key-vault-uri=\(uri)"
            ).stderr.contains("cannot be turned off"))
        XCTAssertTrue(
            try kd("az servicebus namespace encryption show -g rg --namespace-name sbprimary1").exitCode == 2,
            "az has no encryption show")
    }

    func testUserAssignedIdentityInOneCreateCall() throws {
        try setUpVault()
        let uai = try JSON.parse(try kd("az identity create -g rg -n uai1").stdout)
        _ = try kd(
            "az keyvault set-policy -n kv1 --object-id \(uai["principalId"].stringValue!) --key-permissions get "
                + "wrapKey unwrapKey list -o none"
        )
        let id = uai["id"].stringValue!
        let r = try kd(
            "az servicebus namespace create --resource-group rg --name sbuai01 --location westus --sku Premium "
                + "--mi-user-assigned \(id) --encryption-config key-name=k1 key-vault-uri=\(uri)/ "
                + "user-assigned-identity=\(id)"
        )
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let ns = try JSON.parse(r.stdout)
        XCTAssertEqual(ns["identity"]["type"], "UserAssigned")
        XCTAssertEqual(ns["encryption"]["keyVaultProperties"][0]["identity"]["userAssignedIdentity"].stringValue, id)
        XCTAssertEqual(
            ns["encryption"]["keyVaultProperties"][0]["keyVaultUri"], "https://kv1.vault.azure.net",
            "trailing slash stripped")
        // Deleting the identity cuts the namespace off at the next poll; messages stay.
        _ = try kd(
            "az servicebus queue create -g rg --namespace-name sbuai01 -n q -o none",
            "workload servicebus send -g rg --namespace-name sbuai01 --queue q --count 3 -o none",
            "az identity delete -g rg -n uai1", "clock advance 5m")
        XCTAssertTrue(
            try kd("workload servicebus receive -g rg --namespace-name sbuai01 --queue q --count 3").stderr.contains(
                "EncryptionKeyUnavailable"))
        XCTAssertEqual(
            try kd("az servicebus queue show -g rg --namespace-name sbuai01 -n q --query messageCount").stdout, "3\n")
    }

    func testACreateWithARefusedKeyLeavesNoNamespaceButKeepsTheAudit() throws {
        try setUpVault()
        let uai = try JSON.parse(try kd("az identity create -g rg -n uai2").stdout)
        let id = uai["id"].stringValue!
        let r = try kd(
            "az servicebus namespace create -g rg -n sbrefused --sku Premium --mi-user-assigned \(id) "
                + "--encryption-config key-name=k1 key-vault-uri=\(uri) user-assigned-identity=\(id)"
        )
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(r.stderr.contains("\"code\": \"AccessDenied\""), r.stderr)
        XCTAssertEqual(try kd("az servicebus namespace show -g rg -n sbrefused").exitCode, 3)
        XCTAssertEqual(
            try kd("audit --principal \(uai["principalId"].stringValue!) --query \"[].[operation,result]\" -o tsv")
                .stdout, "KeyGet\tAccessDenied\n")
    }

    func testTheKeyCacheSettingKeepsADeletedKeyWorkingUntilItRunsOut() throws {
        try setUpVault()
        _ = try namespace("sbcache1")
        XCTAssertEqual(try add("sbcache1", "k1").exitCode, 0)
        _ = try kd(
            "az servicebus queue create -g rg --namespace-name sbcache1 -n q -o none",
            "workload servicebus send -g rg --namespace-name sbcache1 --queue q --count 4 -o none")
        // Default: the cache lasts one poll interval, so the key drops out at the next poll.
        _ = try kd("az keyvault key delete --vault-name kv1 -n k1 -o none", "clock advance 5m")
        XCTAssertEqual(
            try kd("workload servicebus receive -g rg --namespace-name sbcache1 --queue q --count 1").exitCode, 1)
        _ = try kd("az keyvault key recover --vault-name kv1 -n k1 -o none", "clock advance 5m")
        XCTAssertEqual(
            try kd("workload servicebus receive -g rg --namespace-name sbcache1 --queue q --count 1 --query verified")
                .stdout, "true\n", "back by itself at the next poll")
        // With the preview's hour, a deleted key keeps working across polls until the hour is up.
        XCTAssertEqual(
            try kd("settings set serviceBusKeyCacheSeconds 1h", "assert serviceBusKeyCacheSeconds == `3600`").exitCode,
            0)
        XCTAssertEqual(try kd("settings set nope 1").exitCode, 2)
        _ = try kd("az keyvault key delete --vault-name kv1 -n k1 -o none", "clock advance 30m")
        XCTAssertEqual(
            try kd("workload servicebus receive -g rg --namespace-name sbcache1 --queue q --count 1 --query received")
                .stdout, "1\n")
        _ = try kd("clock advance 35m")
        XCTAssertEqual(
            try kd("workload servicebus receive -g rg --namespace-name sbcache1 --queue q --count 1").exitCode, 1)
    }

    func testGeoDRRulesAndShapes() throws {
        try setUpVault()
        _ = try namespace("sbprimary2")
        _ = try namespace("sbsecondary2")
        _ = try namespace("sbstandard2", sku: "Standard")
        _ = try namespace("sbbusy2")
        _ = try kd("az servicebus queue create -g rg --namespace-name sbbusy2 -n q -o none")
        XCTAssertTrue(
            try kd(
                "az servicebus georecovery-alias set -g rg --namespace-name sbprimary2 -a alias2 --partner-namespace "
                    + "sbstandard2"
            ).stderr.contains("Premium namespaces only"))
        XCTAssertTrue(
            try kd(
                "az servicebus georecovery-alias set -g rg --namespace-name sbprimary2 -a alias2 --partner-namespace "
                    + "sbbusy2"
            ).stderr.contains("must be new and empty"))
        XCTAssertEqual(
            try kd("az servicebus georecovery-alias exists -g rg --namespace-name sbprimary2 -a alias2").stdout,
            "{\n  \"nameAvailable\": true,\n  \"reason\": \"None\"\n}\n")
        let set = try JSON.parse(
            try kd(
                "az servicebus georecovery-alias set -g rg --namespace-name sbprimary2 -a alias2 --partner-namespace "
                    + "sbsecondary2"
            ).stdout)
        XCTAssertEqual(set["provisioningState"], "Accepted")
        XCTAssertNil(set.objectValue?["pendingReplicationOperationsCount"])
        XCTAssertEqual(
            try kd(
                "az servicebus georecovery-alias exists -g rg --namespace-name sbprimary2 -a alias2 --query reason "
                    + "-o tsv"
            ).stdout, "NameInUse\n")
        let secondary = try kd("az servicebus namespace update -g rg -n sbsecondary2 --tags a=b")
        XCTAssertEqual(secondary.exitCode, 1)
        XCTAssertNotNil(
            secondary.stderr.wholeMatch(
                of: try Regex(
                    #"ERROR: \(BadRequest\) Cannot update a namespace which is secondary\. "#
                        + #"CorrelationId: [0-9a-f-]{36}\n"#
                        + #"Code: BadRequest\nMessage: Cannot update a namespace which is secondary\. "#
                        + #"CorrelationId: [0-9a-f-]{36}\n"#)
            ), secondary.stderr)
        let shown = try JSON.parse(
            try kd(
                "clock advance 2m", "az servicebus georecovery-alias show -g rg --namespace-name sbsecondary2 -a alias2"
            ).stdout.split(separator: "\n", maxSplits: 1)[1].description)
        XCTAssertEqual(shown["role"], "Secondary")
        XCTAssertEqual(shown["pendingReplicationOperationsCount"], 0)
        XCTAssertTrue(shown["partnerNamespace"].stringValue!.hasSuffix("/namespaces/sbprimary2"))
        XCTAssertTrue(
            try kd("az servicebus georecovery-alias fail-over -g rg --namespace-name sbprimary2 -a alias2").stderr
                .contains("runs on the secondary"))
        XCTAssertTrue(
            try kd("az servicebus georecovery-alias delete -g rg --namespace-name sbprimary2 -a alias2").stderr
                .contains("break the pairing"))
        XCTAssertEqual(
            try kd("az servicebus georecovery-alias break-pair -g rg --namespace-name sbprimary2 -a alias2").stdout, "")
        XCTAssertEqual(
            try kd("az servicebus georecovery-alias show -g rg --namespace-name sbsecondary2 -a alias2").exitCode, 3)
        XCTAssertEqual(
            try kd(
                "az servicebus georecovery-alias show -g rg --namespace-name sbprimary2 -a alias2 --query "
                    + "[role,partnerNamespace] -o json --only-show-errors"
            ).stdout, "[\n  \"PrimaryNotReplicating\",\n  \"\"\n]\n")
        XCTAssertEqual(
            try kd("az servicebus georecovery-alias delete -g rg --namespace-name sbprimary2 -a alias2").exitCode, 0)
        // An encrypted primary pairs only with a secondary whose identity can use its keys.
        XCTAssertEqual(try add("sbprimary2", "k1").exitCode, 0)
        let ungranted = try namespace("sbungranted", grant: false)
        let refused = try kd(
            "az servicebus georecovery-alias set -g rg --namespace-name sbprimary2 -a alias3 --partner-namespace "
                + "sbungranted"
        )
        XCTAssertTrue(refused.stderr.contains("Grant the secondary's identity"), refused.stderr)
        XCTAssertEqual(
            try kd("audit --principal \(ungranted) --query \"[?result=='AccessDenied'].operation\" -o tsv").stdout,
            "KeyGet\n",
            "the refused probe is in the audit log")
    }
}
