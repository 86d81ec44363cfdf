import Foundation
import JMESPath
import XCTest

/// `keydrill impact` through the binary on a world with chained dependencies: a Flexible Server
/// with a replica and a restored copy sharing one identity, and a geo-DR pair of namespaces on
/// another key of the same vault.
final class ImpactEndToEndTests: BinaryTestCase {
    static let world = #"""
        az group create -n rg -l eastus -o none
        az keyvault create -g rg -n kv-shared -l eastus --enable-purge-protection true --enable-rbac-authorization \
          false -o none
        KID=$(az keyvault key create --vault-name kv-shared -n pg-key --query key.kid -o tsv)
        PID=$(az identity create -g rg -n shared-id --query principalId -o tsv)
        az keyvault set-policy -n kv-shared --object-id $PID --key-permissions get list wrapKey unwrapKey -o none
        az postgres flexible-server create -g rg -n pg-main --key $KID --identity shared-id --public-access None -o \
          none --only-show-errors
        az postgres flexible-server replica create -g rg -n pg-replica --source-server pg-main -o none
        clock advance 2h
        az postgres flexible-server restore -g rg -n pg-restored --source-server pg-main -o none
        az keyvault key create --vault-name kv-shared -n sb-key -o none
        az keyvault create -g rg -n kv-other -l eastus --enable-purge-protection true --enable-rbac-authorization \
          false -o none
        az keyvault key create --vault-name kv-other -n sb-key-2 -o none
        az servicebus namespace create -g rg -n sb-primary -l eastus --sku Premium --mi-system-assigned -o none
        az servicebus namespace create -g rg -n sb-secondary -l westus --sku Premium --mi-system-assigned -o none
        P1=$(az servicebus namespace show -g rg -n sb-primary --query identity.principalId -o tsv)
        P2=$(az servicebus namespace show -g rg -n sb-secondary --query identity.principalId -o tsv)
        az keyvault set-policy -n kv-shared --object-id $P1 --key-permissions get wrapKey unwrapKey list -o none
        az keyvault set-policy -n kv-shared --object-id $P2 --key-permissions get wrapKey unwrapKey list -o none
        az keyvault set-policy -n kv-other --object-id $P1 --key-permissions get wrapKey unwrapKey list -o none
        az keyvault set-policy -n kv-other --object-id $P2 --key-permissions get wrapKey unwrapKey list -o none
        az servicebus namespace encryption add -g rg --namespace-name sb-primary --encryption-config \
          key-name=sb-key key-vault-uri=https://kv-shared.vault.azure.net --encryption-config key-name=sb-key-2 \
          key-vault-uri=https://kv-other.vault.azure.net -o none
        az servicebus namespace encryption add -g rg --namespace-name sb-secondary --encryption-config \
          key-name=sb-key key-vault-uri=https://kv-shared.vault.azure.net -o none
        az servicebus georecovery-alias set -g rg --namespace-name sb-primary --alias sb-alias --partner-namespace \
          sb-secondary -o none
        clock advance 2m
        """#

    func impact(_ args: [String]) throws -> Binary.Result { try Binary.run(["impact"] + args, state: state) }

    func consumers(_ r: Binary.Result) throws -> [String: JSON] {
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let doc = try JSON.parse(r.stdout)
        var out = [String: JSON]()
        for c in try JMESPathExpression("consumers").search(doc).arrayValue ?? [] {
            let name = try JMESPathExpression("consumer").search(c).stringValue!.split(separator: "/").last!
            out[String(name)] = c
        }
        return out
    }

    func field(_ c: JSON?, _ path: String) throws -> String {
        guard let c else { return "(none)" }
        let v = try JMESPathExpression(path).search(c)
        return v.stringValue ?? v.serialized(.compact)
    }

    func testAVaultReachesEveryCopyReplicaAndBothGeoDRPartners() throws {
        let built = try Binary.run([], stdin: Self.world, state: state)
        XCTAssertEqual(built.exitCode, 0, built.stderr)
        let hit = try consumers(impact(["--vault", "kv-shared", "-o", "json"]))
        XCTAssertEqual(
            Set(hit.keys), ["pg-main", "pg-replica", "pg-restored", "sb-primary", "sb-secondary"])
        XCTAssertEqual(try field(hit["pg-replica"], "relation"), "replica of pg-main")
        XCTAssertEqual(try field(hit["pg-restored"], "relation"), "restored from pg-main")
        XCTAssertTrue(try field(hit["sb-secondary"], "relation").hasPrefix("geo-DR secondary (alias sb-alias"))
        XCTAssertTrue(try field(hit["pg-main"], "principal").hasPrefix("identity shared-id ("))
        XCTAssertEqual(try field(hit["pg-main"], "access"), "access policy: get list wrapKey unwrapKey")
        XCTAssertEqual(try field(hit["pg-main"], "noticesWithinSeconds"), "3600")
        XCTAssertEqual(try field(hit["sb-secondary"], "noticesWithinSeconds"), "600")
        // The primary namespace keeps a key in the other vault: it does not lose access.
        XCTAssertEqual(try field(hit["sb-primary"], "losesAccess"), "false")
        XCTAssertTrue(try field(hit["sb-primary"], "notice").contains("sb-key-2"))
        XCTAssertEqual(try field(hit["sb-secondary"], "losesAccess"), "true")
        XCTAssertTrue(try field(hit["pg-main"], "dataAtRisk").hasPrefix("recoverable: purge protection"))

        let other = try consumers(impact(["--key", "https://kv-other.vault.azure.net/keys/sb-key-2", "-o", "json"]))
        XCTAssertEqual(Set(other.keys), ["sb-primary"])
        XCTAssertEqual(try field(other["sb-primary"], "losesAccess"), "false", "sb-key still reachable")
    }

    /// At the prompt, with az's option names, as JSON that `assert` reads; the subcommand takes
    /// `--vault-name` too.
    func testImpactAtThePromptTakesAzsOptionNames() throws {
        XCTAssertEqual(try Binary.run([], stdin: Self.world, state: state).exitCode, 0)
        let r = try kd(
            "impact --vault-name kv-other",
            "assert length(consumers) == `1` && consumers[0].losesAccess == `false`")
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\"consumers\": ["), r.stdout)
        XCTAssertEqual(try kd("impact --vault kv-other").exitCode, 2, "az's name is --vault-name")
        XCTAssertEqual(try kd("impact --vault-name kv-other --key kv-other/sb-key-2").exitCode, 2)
        XCTAssertEqual(try impact(["--vault-name", "kv-other", "-o", "json"]).exitCode, 0)
    }

    func testTheSharedIdentitySimulatedGoneTakesTheServersAndLeavesTheWorld() throws {
        let built = try Binary.run([], stdin: Self.world, state: state)
        XCTAssertEqual(built.exitCode, 0, built.stderr)
        let before = try kd("az postgres flexible-server list --query '[].state' -o tsv", "clock now")
        let r = try impact(["--identity", "shared-id", "--simulate", "-o", "json"])
        let hit = try consumers(r)
        XCTAssertEqual(Set(hit.keys), ["pg-main", "pg-replica", "pg-restored"])
        XCTAssertTrue(try field(hit["pg-main"], "recovery").hasPrefix("new identity"))
        let doc = try JSON.parse(r.stdout)
        let outcomes = try JMESPathExpression("simulation.outcomes[].[consumer, before, after]").search(doc)
        XCTAssertEqual(outcomes.arrayValue?.count, 3, r.stdout)
        for o in outcomes.arrayValue ?? [] {
            XCTAssertEqual(o.arrayValue?.dropFirst().map { $0.stringValue ?? "" }, ["Ready", "Inaccessible"])
        }
        let detected = try JMESPathExpression("max(simulation.outcomes[].detectedAfterSeconds)").search(doc)
        XCTAssertLessThanOrEqual(detected.numberValue ?? .infinity, 3600)
        // Nothing happened to the world itself.
        XCTAssertEqual(
            try kd("az postgres flexible-server list --query '[].state' -o tsv", "clock now").stdout,
            before.stdout)
        XCTAssertEqual(try kd("az identity show -g rg -n shared-id --query name -o tsv").stdout, "shared-id\n")

        let table = try impact(["--identity", "shared-id", "--simulate"])
        XCTAssertEqual(table.exitCode, 0, table.stderr)
        XCTAssertTrue(table.stdout.hasPrefix("Consumer "), table.stdout)
        XCTAssertTrue(table.stdout.contains("The world is unchanged."), table.stdout)
    }

    func testUnknownTargetsAndBadCombinationsAreErrors() throws {
        XCTAssertEqual(try Binary.run([], stdin: Self.world, state: state).exitCode, 0)
        let missing = try impact(["--vault", "nope"])
        XCTAssertEqual(missing.exitCode, 1)
        XCTAssertTrue(missing.stderr.hasPrefix("ERROR: ("), missing.stderr)
        XCTAssertEqual(try impact(["--vault", "kv-shared", "--key", "kv-shared/pg-key"]).exitCode, 2)
        XCTAssertEqual(try impact([]).exitCode, 2)
        XCTAssertEqual(try impact(["--key", "not-a-key"]).exitCode, 2)
    }
}
