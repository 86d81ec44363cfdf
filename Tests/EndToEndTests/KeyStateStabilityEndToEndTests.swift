import Foundation
import XCTest

/// Every consumer of a key, across every time-driven or manual key state, settles into one
/// state and stays there check after check: no consumer flips between Ready and Inaccessible
/// because what it holds in memory differs from one check to the next.
final class KeyStateStabilityEndToEndTests: BinaryTestCase {
    struct Consumer {
        let name: String
        let setup: [String]
        /// Its own key check interval.
        let interval: String
        /// Whether it follows a versionless key to its newest version.
        let versionless: Bool
    }

    static let vault = [
        "clock set 2030-01-01T00:00:00Z", "az group create -n rg -l eastus -o none",
        "az keyvault create -g rg -n kv-stable -l eastus --enable-purge-protection true "
            + "--enable-rbac-authorization false -o none",
        "az keyvault key create --vault-name kv-stable -n k -o none",
    ]

    static let consumers = [
        Consumer(
            name: "pg-stable",
            setup: vault + [
                "P=$(az postgres server create -g rg -n pg-stable -l eastus -u cloudsa -p Rehearse-2026! "
                    + "--assign-identity --query identity.principalId -o tsv --only-show-errors)",
                "az keyvault set-policy -n kv-stable --key-permissions get wrapKey unwrapKey --object-id $P -o none",
                "az postgres server key create -g rg --name pg-stable --kid "
                    + "$(az keyvault key show --vault-name kv-stable -n k --query key.kid -o tsv) -o none "
                    + "--only-show-errors",
            ], interval: "10m", versionless: false),
        Consumer(
            name: "pgfs-stable",
            setup: vault + [
                "P=$(az identity create -g rg -n pg-id --query principalId -o tsv)",
                "az keyvault set-policy -n kv-stable --object-id $P --key-permissions get list wrapKey unwrapKey "
                    + "-o none",
                "az postgres flexible-server create -g rg -n pgfs-stable "
                    + "--key https://kv-stable.vault.azure.net/keys/k "
                    + "--identity pg-id --public-access None -o none",
            ], interval: "1h", versionless: true),
        Consumer(
            name: "sb-stable",
            setup: vault + [
                "P=$(az servicebus namespace create -g rg -n sb-stable -l eastus --sku Premium --mi-system-assigned "
                    + "--query identity.principalId -o tsv)",
                "az keyvault set-policy -n kv-stable --object-id $P --key-permissions get wrapKey unwrapKey list "
                    + "-o none",
                "az servicebus namespace encryption add -g rg --namespace-name sb-stable --encryption-config "
                    + "key-name=k key-vault-uri=https://kv-stable.vault.azure.net -o none",
            ], interval: "5m", versionless: true),
    ]

    /// Each key state, as the lines that bring it about.
    static let keyStates: [(name: String, lines: [String], versionlessOnly: Bool)] = [
        ("disabled", ["az keyvault key set-attributes --vault-name kv-stable -n k --enabled false -o none"], false),
        (
            "expired",
            ["az keyvault key set-attributes --vault-name kv-stable -n k --expires 2030-01-01T03:00:00Z -o none"],
            false
        ),
        (
            "not yet valid",
            [
                "az keyvault key set-attributes --vault-name kv-stable -n k --not-before "
                    + "2031-01-01T00:00:00Z -o none"
            ], false
        ),
        ("deleted", ["az keyvault key delete --vault-name kv-stable -n k -o none"], false),
        (
            "rotated, old version disabled",
            [
                "OLD=$(az keyvault key show --vault-name kv-stable -n k --query key.kid -o tsv)",
                "az keyvault key rotate --vault-name kv-stable -n k -o none", "clock advance 2h",
                "az keyvault key set-attributes --id $OLD --enabled false -o none",
            ], true
        ),
    ]

    func lastState(_ consumer: String) throws -> String {
        try kd("activity --kind state --resource \(consumer) --query \"[-1].state\" -o tsv").stdout
    }

    func testEveryConsumerSettlesIntoOneStateForEveryKeyState() throws {
        for consumer in Self.consumers {
            for keyState in Self.keyStates where !keyState.versionlessOnly || consumer.versionless {
                try? FileManager.default.removeItem(atPath: state)
                let lines = consumer.setup + ["clock advance 1h"] + keyState.lines + ["clock advance 6h"]
                let r = try Binary.run(lines.flatMap { ["-c", $0] }, state: state)
                XCTAssertEqual(r.exitCode, 0, "\(consumer.name), \(keyState.name): \(r.stderr)")
                let settled = try lastState(consumer.name)
                var seen = [settled]
                for _ in 0..<8 {
                    XCTAssertEqual(try kd("clock advance \(consumer.interval)").exitCode, 0)
                    seen.append(try lastState(consumer.name))
                }
                XCTAssertEqual(Set(seen).count, 1, "\(consumer.name), key \(keyState.name): \(seen)")
                if !keyState.versionlessOnly {
                    XCTAssertNotEqual(
                        settled.trimmingCharacters(in: .whitespacesAndNewlines), "Ready",
                        "\(consumer.name) lost its key (\(keyState.name))")
                }
            }
        }
    }
}
