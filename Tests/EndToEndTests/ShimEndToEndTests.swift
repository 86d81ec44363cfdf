import Foundation
import XCTest

/// A team's own bash script runs unchanged against keydrill: `keydrill shim DIR` puts an `az` on
/// PATH (or `eval "$(keydrill env)"`), with pipes, `set -e`, `$(...)`, loops and background jobs.
final class ShimEndToEndTests: BinaryTestCase {
    static let script = #"""
        set -euo pipefail
        RG=rg-script
        az group create --name "$RG" --location westus --output none
        az keyvault create --enable-rbac-authorization false --name kv-script --resource-group "$RG" \
          --enable-purge-protection true --output none
        KID=$(az keyvault key create --vault-name kv-script --name cmk --kty RSA --size 2048 --query key.kid -o tsv)
        echo "key version: ${KID##*/}" | awk '{ print length($3) }'
        for i in 1 2 3; do az identity create -g "$RG" -n "id-$i" -o none & done
        wait
        az identity list -g "$RG" --query "[].name" -o tsv | sort | tr '\n' ' '
        echo
        if ! az group show -n missing-group >/dev/null 2>&1; then echo "missing: $?"; fi
        az group show -n missing-group 2>/dev/null || echo "exit $?"
        az keyvault key list --vault-name kv-script --query "length(@)"
        """#

    func testABashScriptRunsUnchangedThroughTheShim() throws {
        let dir = state + "-bin"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let shim = try Binary.run(["shim", dir])
        XCTAssertEqual(shim.exitCode, 0, shim.stderr)
        let r = try bash(Self.script, path: dir)
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(r.stdout, "32\nid-1 id-2 id-3 \nmissing: 0\nexit 3\n1\n", r.stderr)
    }

    func testAPollLoopWithSleepSeesVirtualTimePassAtTheClockRate() throws {
        let dir = state + "-bin"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertEqual(try Binary.run(["shim", dir]).exitCode, 0)
        // An asynchronous deletion finishes a minute of virtual time later: at 600 virtual
        // seconds a wall second, the loop's sleeps let it pass; without a rate it never would.
        let script = """
            export KEYDRILL_CLOCK_RATE=600
            az group create -n rg -l westus -o none
            az group delete -n rg --yes --no-wait
            tries=0
            while az group show -n rg -o none 2>/dev/null; do
              tries=$((tries + 1)); [ $tries -lt 100 ] || { echo "never deleted"; exit 1; }
              sleep 0.05
            done
            echo deleted
            """
        let r = try bash(script, path: dir)
        XCTAssertEqual(r.exitCode, 0, r.stdout + r.stderr)
        XCTAssertEqual(r.stdout, "deleted\n")
        // Off (the default), the clock stays where the commands left it.
        let before = try kd("clock now").stdout
        usleep(300_000)
        XCTAssertEqual(try kd("clock now").stdout, before)
    }

    func testKeydrillAzKeepsArgvExactlyAndEnvPutsAnAzOnPath() throws {
        // An argument with spaces and quotes reaches az as one word, as bash passed it.
        let r = try Binary.run(
            [
                "az", "group", "create", "-n", "rg", "-l", "westus", "--tags", "owner=ops team", "--query",
                "tags.owner", "-o", "tsv",
            ], state: state)
        XCTAssertEqual(r.stdout, "ops team\n", r.stderr)
        let env = try Binary.run(["env"], state: state)
        XCTAssertEqual(env.exitCode, 0, env.stderr)
        let listed = try bash(
            "eval \"$(cat <<'EOF'\n\(env.stdout)EOF\n)\"; az group list --query [].name -o tsv; command -v az",
            path: "/nonexistent")
        XCTAssertEqual(listed.stdout, "rg\n\(state!)/bin/az\n", listed.stderr)
    }
}
