import Foundation
import XCTest
import JMESPath

/// `az keyvault key rotation-policy` through the binary, and the clock running the policy.
final class RotationPolicyEndToEndTests: BinaryTestCase {
    func testRotationPolicyShowUpdateAndTheClockRotating() throws {
        _ = try kd(
            "az group create -n rg -l westus -o none",
            "az keyvault create --enable-rbac-authorization false -n kv1 -g rg -o none",
            "az keyvault key create --vault-name kv1 -n key1 -o none")
        let initial = try JSON.parse(try kd("az keyvault key rotation-policy show --vault-name kv1 -n key1").stdout)
        XCTAssertEqual(
            initial,
            try JSON.parse(
                """
                {"createdOn": null, "expiresIn": null, "id": "https://kv1.vault.azure.net/keys/key1/rotationpolicy",
                 "lifetimeActions": [{"action": "Notify", "timeAfterCreate": null, "timeBeforeExpiry": "P30D"}],
                 "updatedOn": null}
                """))
        let file = state + "-policy.json"
        try """
        {"lifetimeActions": [{"trigger": {"timeAfterCreate": "P90D"}, "action": {"type": "Rotate"}},
                             {"trigger": {"timeBeforeExpiry": "P30D"}, "action": {"type": "Notify"}}],
         "attributes": {"expiryTime": "P2Y"}}
        """.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let updated = try kd("az keyvault key rotation-policy update --vault-name kv1 -n key1 --value \(file)")
        XCTAssertEqual(updated.exitCode, 0, updated.stderr)
        let shown = try JSON.parse(try kd("az keyvault key rotation-policy show --vault-name kv1 -n key1").stdout)
        XCTAssertEqual(shown["expiresIn"], "P2Y")
        XCTAssertEqual(
            shown["lifetimeActions"][0],
            try JSON.parse(#"{"action": "Rotate", "timeAfterCreate": "P90D", "timeBeforeExpiry": null}"#))
        XCTAssertNotNil(shown["createdOn"].stringValue?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00/))

        XCTAssertEqual(
            try kd("clock advance 89d", "az keyvault key list-versions --vault-name kv1 -n key1 --query length(@)")
                .stdout.split(separator: "\n").last, "1")
        XCTAssertEqual(
            try kd("clock advance 1d", "az keyvault key list-versions --vault-name kv1 -n key1 --query length(@)")
                .stdout.split(separator: "\n").last, "2")
        // Manual rotation applies the policy's expiry to the new version too.
        let rotated = try JSON.parse(try kd("az keyvault key rotate --vault-name kv1 -n key1").stdout)
        let created = AzDateParse(rotated["attributes"]["created"].stringValue!)
        let expires = AzDateParse(rotated["attributes"]["expires"].stringValue!)
        XCTAssertEqual(expires.timeIntervalSince(created), 730 * 86400)
        let audit = try kd("audit --vault-name kv1 --query \"[?operation=='KeyRotate'].caller\" -o tsv").stdout
        XCTAssertEqual(audit, "Azure Key Vault (rotation policy)\nadmin@contoso.com\n")

        let bad = try kd(
            #"az keyvault key rotation-policy update --vault-name kv1 -n key1 --value "#
                + #"'{"lifetimeActions":[{"trigger":{"timeAfterCreate":"P1D"},"action":{"type":"Rotate"}}]}'"#
        )
        XCTAssertEqual(bad.exitCode, 1)
        XCTAssertTrue(
            bad.stderr.hasPrefix(
                "ERROR: (BadParameter) The timeAfterCreate 'P1D' of the Rotate action is shorter than the minimum of "
                    + "7 days (P7D)."
            ), bad.stderr)
        XCTAssertEqual(
            try JSON.parse(try kd("az keyvault key rotation-policy show --vault-name kv1 -n key1").stdout)["expiresIn"],
            "P2Y", "a refused policy changes nothing")
        let unknown = try kd(
            #"az keyvault key rotation-policy update --vault-name kv1 -n key1 --value '{"lifetimeAction":[]}'"#)
        XCTAssertEqual(
            unknown.stderr,
            "ERROR: Invalid rotation policy for --value: unknown field 'lifetimeAction' in the policy.\n")
    }
}

private func AzDateParse(_ s: String) -> Date {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    return f.date(from: s)!
}
