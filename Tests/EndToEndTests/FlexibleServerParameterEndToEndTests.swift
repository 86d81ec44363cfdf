import Foundation
import JMESPath
import XCTest

/// Flexible Server parameters, backups, the portal's Data encryption blade and the generic
/// resource view, through the binary; and az's "(... | --ids) are required" on every command that
/// takes --ids, replayed from what az itself answered (tools/az-ids-required.json).
final class FlexibleServerParameterEndToEndTests: BinaryTestCase {
    func text(_ r: Binary.Result) -> String { r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) }

    func lastError(_ r: Binary.Result) -> String? {
        r.stderr.components(separatedBy: "\n").last { $0.hasPrefix("ERROR") }
    }

    func server() throws {
        XCTAssertEqual(
            try kd(
                "az group create -n rg -l eastus -o none",
                "az postgres flexible-server create -g rg -n pgfs1 --public-access None -o none"
            ).exitCode, 0)
    }

    func testParametersHaveTheSDKsShapeAndAzsSetAndTableRules() throws {
        try server()
        let show = try kd("az postgres flexible-server parameter show -g rg -s pgfs1 -n require_secure_transport")
        XCTAssertEqual(show.exitCode, 0, show.stderr)
        let p = try JSON.parse(show.stdout)
        // The SDK's Configuration through az's todict, plus az's resourceGroup.
        XCTAssertEqual(
            p.objectValue?.keys.sorted(),
            [
                "allowedValues", "dataType", "defaultValue", "description", "documentationLink", "id",
                "isConfigPendingRestart", "isDynamicConfig", "isReadOnly", "name", "resourceGroup", "source",
                "systemData", "type", "unit", "value",
            ])
        XCTAssertEqual(p["source"].stringValue, "system-default")
        XCTAssertTrue(p["id"].stringValue!.hasSuffix("/flexibleServers/pgfs1/configurations/require_secure_transport"))
        let set = try kd(
            "az postgres flexible-server parameter set -g rg -s pgfs1 -n require_secure_transport -v OFF"
                + " --query \"join(' ', [value, source])\" -o tsv")
        XCTAssertEqual(text(set), "off user-override")
        // No value and no source: az sends the default, which is system-default again.
        let reset = try kd(
            "az postgres flexible-server parameter set -g rg -s pgfs1 -n require_secure_transport"
                + " --query \"join(' ', [value, source])\" -o tsv")
        XCTAssertEqual(text(reset), "on system-default")
        // az's table transformer for the group: its columns in its order; on one object it fails.
        let table = try kd("az postgres flexible-server parameter list -g rg -s pgfs1 -o table")
        XCTAssertEqual(
            table.stdout.components(separatedBy: "\n").first?.split(separator: " ").map(String.init),
            ["Name", "DataType", "DefaultValue", "Source", "AllowedValues"])
        let oneTable = try kd("az postgres flexible-server parameter show -g rg -s pgfs1 -n log_connections -o table")
        XCTAssertEqual(oneTable.exitCode, 1)
        XCTAssertEqual(
            lastError(oneTable),
            "ERROR: Table output unavailable. Use the --query option to specify an appropriate query. Use --debug "
                + "for more info.")
        XCTAssertEqual(
            try kd("az postgres flexible-server parameter show -g rg -s pgfs1 -n log_connections -o table --query name")
                .exitCode, 0, "with --query az does not transform")
        let bad = try kd("az postgres flexible-server parameter set -g rg -s pgfs1 -n log_connections -v maybe")
        XCTAssertEqual(bad.exitCode, 1)
        XCTAssertTrue(bad.stderr.contains("ERROR: (InvalidParameterValue) "), bad.stderr)
        // set reads the parameter first and turns that failure into a plain error: exit 1, not 3.
        XCTAssertEqual(
            try kd("az postgres flexible-server parameter set -g rg -s nosuch -n log_connections -v on").exitCode, 1)
        XCTAssertEqual(
            try kd("az postgres flexible-server parameter show -g rg -s nosuch -n log_connections").exitCode, 3)
        let other = try kd("az postgres flexible-server parameter show -g rg -s pgfs1 -n work_mem")
        XCTAssertEqual(other.exitCode, 1)
        XCTAssertTrue(other.stderr.contains("keydrill does not emulate the server parameter 'work_mem'"), other.stderr)
    }

    func testBackupsAreDailyAndNamedAfterTheirCompletion() throws {
        try server()
        let created = try JSON.parse(try kd("az postgres flexible-server show -g rg -n pgfs1").stdout)["systemData"][
            "createdAt"
        ].stringValue
        let list = try JSON.parse(try kd("az postgres flexible-server backup list -g rg -s pgfs1").stdout)
        XCTAssertEqual(list.arrayValue?.count, 1)
        let b = list[0]
        XCTAssertEqual(b["completedTime"].stringValue, created)
        XCTAssertEqual(b["backupType"].stringValue, "Full")
        XCTAssertEqual(b["source"].stringValue, "Automatic")
        XCTAssertEqual(b["name"].stringValue?.hasPrefix("backup_6"), true)
        XCTAssertEqual(
            b.objectValue?.keys.sorted(),
            ["backupType", "completedTime", "id", "name", "resourceGroup", "source", "systemData", "type"])
        XCTAssertEqual(try kd("clock advance 2d").exitCode, 0)
        XCTAssertEqual(
            text(try kd("az postgres flexible-server backup list -g rg -s pgfs1 --query \"length(@)\"")), "3")
        let shown = try kd("az postgres flexible-server backup show -g rg -s pgfs1 -n \(b["name"].stringValue!)")
        XCTAssertEqual(try JSON.parse(shown.stdout)["completedTime"].stringValue, created)
        XCTAssertEqual(try kd("az postgres flexible-server backup show -g rg -s pgfs1 -n backup_1").exitCode, 3)
    }

    func testThePortalBladeChangesTheKeyOrIdentityTheWayTheBladePicks() throws {
        XCTAssertEqual(
            try kd(
                "az group create -n rg -l eastus -o none",
                "az keyvault create -g rg -n kv1 -l eastus --enable-purge-protection true"
                    + " --enable-rbac-authorization false -o none",
                "az keyvault create -g rg -n kvwest -l westus --enable-purge-protection true -o none",
                "az keyvault key create --vault-name kv1 -n k1 -o none",
                "az identity create -g rg -n uai1 -o none", "az identity create -g rg -n uai2 -o none"
            ).exitCode, 0)
        for i in ["uai1", "uai2"] {
            let pid = text(try kd("az identity show -g rg -n \(i) --query principalId -o tsv"))
            XCTAssertEqual(
                try kd("az keyvault set-policy -n kv1 --object-id \(pid) --key-permissions get list wrapKey unwrapKey")
                    .exitCode, 0)
        }
        let kid = text(try kd("az keyvault key show --vault-name kv1 -n k1 --query key.kid -o tsv"))
        XCTAssertEqual(
            try kd(
                "az postgres flexible-server create -g rg -n pgfs1 --key \(kid) --identity uai1 --public-access None"
                    + " -o none",
                "az postgres flexible-server create -g rg -n smk1 --public-access None -o none"
            ).exitCode, 0)
        let blade = "portal postgres flexible-server data-encryption save -g rg -n pgfs1"
        let west = try kd("\(blade) --vault-name kvwest --key-name k1")
        XCTAssertEqual(west.exitCode, 1)
        XCTAssertEqual(
            lastError(west),
            "ERROR: The blade lists only key vaults in the server's region (East US): 'kvwest' is in West US.")
        let versionless = try kd("\(blade) --key-identifier https://kv1.vault.azure.net/keys/k1")
        XCTAssertEqual(versionless.exitCode, 1, "without the automatic update box a version is needed")
        let saved = try kd(
            "\(blade) --vault-name kv1 --key-name k1 --automatic-key-version-update --identity uai2"
                + " --query \"join(' ', [dataEncryption.primaryKeyUri, dataEncryption.primaryUserAssignedIdentityId])\""
                + " -o tsv")
        XCTAssertEqual(saved.exitCode, 0, saved.stderr)
        XCTAssertTrue(saved.stdout.hasPrefix("https://kv1.vault.azure.net/keys/k1 /subscriptions/"), saved.stdout)
        XCTAssertTrue(text(saved).hasSuffix("/userAssignedIdentities/uai2"))
        // The box starts ticked for a versionless key: choosing another identity keeps it versionless.
        let identityOnly = try kd("\(blade) --identity uai1 --query dataEncryption.primaryKeyUri -o tsv")
        XCTAssertEqual(text(identityOnly), "https://kv1.vault.azure.net/keys/k1", identityOnly.stderr)
        let pinned = try kd("\(blade) --key-identifier \(kid) --query dataEncryption.primaryKeyUri -o tsv")
        XCTAssertEqual(text(pinned), kid, "a versioned key pasted unticks the box")
        let geo = try kd("\(blade) --backup-identity uai1")
        XCTAssertTrue(lastError(geo)?.contains("has no geo-redundant backup") == true, geo.stderr)
        let smk = try kd("portal postgres flexible-server data-encryption save -g rg -n smk1 --key-identifier \(kid)")
        XCTAssertEqual(smk.exitCode, 1)
        XCTAssertTrue(lastError(smk)?.contains("uses a service-managed key") == true, smk.stderr)
    }

    func testResourceCommandsAndThePrincipalPickerKnowFlexibleServers() throws {
        try server()
        XCTAssertEqual(
            text(try kd("az resource list -g rg --query \"[].type\" -o tsv")),
            "Microsoft.DBforPostgreSQL/flexibleServers")
        let shown = try kd(
            "az resource show -g rg -n pgfs1 --resource-type Microsoft.DBforPostgreSQL/flexibleServers"
                + " --query properties.state -o tsv")
        XCTAssertEqual(text(shown), "Ready", shown.stderr)
        XCTAssertEqual(
            text(
                try kd(
                    "az resource update -g rg -n pgfs1 --resource-type Microsoft.DBforPostgreSQL/flexibleServers"
                        + " --set tags.owner=ops --query tags.owner -o tsv")), "ops")
        XCTAssertEqual(
            text(try kd("az postgres flexible-server show -g rg -n pgfs1 --query tags.owner -o tsv")), "ops")
        XCTAssertEqual(
            try kd(
                "az keyvault create -g rg -n kv1 -l eastus --enable-rbac-authorization false -o none",
                "az postgres flexible-server identity update -g rg -s pgfs1 --system-assigned Enabled -o none"
            ).exitCode, 0)
        let pid = text(try kd("az postgres flexible-server show -g rg -n pgfs1 --query identity.principalId -o tsv"))
        let added = try kd(
            "portal keyvault access-policy add --vault-name kv1 --principal pgfs1 --key-permissions get"
                + " --query \"properties.accessPolicies[-1].objectId\" -o tsv")
        XCTAssertEqual(text(added), pid, added.stderr)
    }

    /// az's generate_missing_parameters: without -g a group is made, without -n a server name,
    /// both `prefix` + digits to 15 characters, the group in az's default region.
    func testCreateWithoutAGroupOrANameMakesBothAsAzDoes() throws {
        let r = try kd("az postgres flexible-server create --public-access None --query id -o tsv")
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let parts = text(r).split(separator: "/").map(String.init)
        let group = parts[3], server = parts[7]
        XCTAssertTrue(group.hasPrefix("group") && group.count == 15 && group.dropFirst(5).allSatisfy(\.isNumber), group)
        XCTAssertTrue(server.hasPrefix("server") && server.count == 15, server)
        XCTAssertTrue(r.stderr.contains("WARNING: Creating Resource Group '\(group)'..."), r.stderr)
        XCTAssertFalse(r.stderr.contains("Checking the existence"), "az checks only a group it was given")
        XCTAssertEqual(text(try kd("az group show -n \(group) --query location -o tsv")), "canadacentral")
    }

    /// az names an ignored option by the first of its option strings as registered (its parser
    /// order), whatever the user typed.
    func testOptionsIgnoredForIdsAreNamedAsAzRegisteredThem() throws {
        try server()
        let id = text(try kd("az postgres flexible-server show -g rg -n pgfs1 --query id -o tsv"))
        let listed = try kd("az postgres flexible-server backup list --ids \(id) -g rg --query \"length(@)\"")
        XCTAssertEqual(text(listed), "1", listed.stderr)
        XCTAssertTrue(
            listed.stderr.contains("WARNING: option '--resource-group' will be ignored due to use of '--ids'."),
            listed.stderr)
        XCTAssertEqual(try kd("az identity create -g rg -n uai1 -o none").exitCode, 0)
        let uai = text(try kd("az identity show -g rg -n uai1 --query id -o tsv"))
        let shown = try kd("az identity show --ids \(uai) --name other --query name -o tsv")
        XCTAssertEqual(text(shown), "uai1")
        XCTAssertTrue(
            shown.stderr.contains("WARNING: option '-n' will be ignored due to use of '--ids'."), shown.stderr)
    }

    /// Each command that takes --ids, run as az was run without --ids and without the arguments
    /// an id fills: keydrill names the same missing options in the same order, with az's exit code
    /// (for an AAZ command, the first required field AAZ itself names).
    func testEveryCommandTakingIdsNamesWhatAzRequiresWithoutThem() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../tools/az-ids-required.json")
        let recorded = try XCTUnwrap(try JSON.parse(String(contentsOf: url, encoding: .utf8))["commands"].objectValue)
        XCTAssertGreaterThan(recorded.count, 50)
        var asking = 0
        for (name, probe) in recorded {
            let argv = try XCTUnwrap(probe["argv"].arrayValue).compactMap(\.stringValue)
            let r = try Binary.run(["az"] + argv, state: state)
            let required = probe["required"].arrayValue?.compactMap(\.stringValue) ?? []
            if let aaz = probe["aazRequired"].arrayValue?.compactMap(\.stringValue), let first = aaz.first {
                XCTAssertEqual(r.exitCode, 1, name)
                XCTAssertEqual(lastError(r), "ERROR: InvalidArgumentValue: Missing required field: \(first)", name)
                XCTAssertEqual(lastError(r), probe["error"].stringValue, name)
                continue
            }
            if required.isEmpty {
                XCTAssertFalse(r.stderr.contains("| --ids) are required"), "\(name): \(r.stderr)")
                continue
            }
            asking += 1
            XCTAssertEqual(r.exitCode, 1, name)
            XCTAssertEqual(lastError(r), "ERROR: (\(required.joined(separator: " ")) | --ids) are required", name)
            XCTAssertEqual(lastError(r), probe["error"].stringValue, name)
        }
        XCTAssertGreaterThan(asking, 30)
    }
}
