import JMESPath

/// The `table_transformer`s az registers for the commands keydrill emulates (found by loading
/// az's own command table: account list, group list, resource list, role assignment list, role
/// definition list, postgres flexible-server create, list and the parameter group, and az 2.79's
/// postgres server list). `-o table` without `--query` prints their rows,
/// in their column order; a key they read that the result lacks is Python's KeyError, which az
/// reports as "Table output unavailable" after the command ran.
enum TableTransformers {
    /// `r[key]`: present (null included) or a KeyError.
    private static func field(_ r: JSON, _ key: String) throws -> JSON {
        guard let o = r.objectValue, let v = o[key] else { throw CLIError("KeyError: '\(key)'") }
        return v
    }

    private static func rows(_ value: JSON) throws -> [JSON] {
        guard let rows = value.arrayValue else { throw CLIError("not a list") }
        return rows
    }

    /// profile's `transform_account_list`.
    static let accountList: @Sendable (JSON) throws -> JSON = { value in
        .array(
            try rows(value).map { r in
                .object([
                    ("Name", try field(r, "name")), ("CloudName", try field(r, "cloudName")),
                    ("SubscriptionId", try field(r, "id")), ("TenantId", try field(r, "tenantId")),
                    ("State", r["state"]), ("IsDefault", try field(r, "isDefault")),
                ])
            })
    }

    /// resource's `transform_resource_group_list`.
    static let resourceGroupList: @Sendable (JSON) throws -> JSON = { value in
        .array(
            try rows(value).map { r in
                .object([
                    ("Name", try field(r, "name")), ("Location", try field(r, "location")),
                    ("Status", try field(try field(r, "properties"), "provisioningState")),
                ])
            })
    }

    /// resource's `transform_resource_list`.
    static let resourceList: @Sendable (JSON) throws -> JSON = { value in
        .array(
            try rows(value).map { r in
                .object([
                    ("Name", try field(r, "name")), ("ResourceGroup", try field(r, "resourceGroup")),
                    ("Location", try field(r, "location")), ("Type", try field(r, "type")),
                    ("Status", try field(r, "provisioningState")),
                ])
            })
    }

    /// role's `transform_assignment_list`.
    static let roleAssignmentList: @Sendable (JSON) throws -> JSON = { value in
        .array(
            try rows(value).map { r in
                .object([
                    ("Principal", try field(r, "principalName")), ("Role", try field(r, "roleDefinitionName")),
                    ("Scope", try field(r, "scope")),
                ])
            })
    }

    /// role's `transform_definition_list`.
    static let roleDefinitionList: @Sendable (JSON) throws -> JSON = { value in
        .array(
            try rows(value).map { r in
                .object([
                    ("Name", try field(r, "roleName")), ("Type", try field(r, "type")),
                    ("Description", try field(r, "description")),
                ])
            })
    }

    /// postgresql's `table_transform_output_parameters`, registered for the whole `parameter` group:
    /// it iterates its input, so on `show` and `set` (one object) it fails.
    static let parameters: @Sendable (JSON) throws -> JSON = { value in
        .array(
            try rows(value).map { r in
                .object([
                    ("Name", try field(r, "name")), ("DataType", try field(r, "dataType")),
                    ("DefaultValue", try field(r, "defaultValue")), ("Source", try field(r, "source")),
                    ("AllowedValues", try field(r, "allowedValues")),
                ])
            })
    }

    /// postgresql's `table_transform_output`, registered for `flexible-server create`. It reads
    /// `resource group` and `connection string`, which create's result (`connectionString`) does
    /// not have: az 2.91 answers `create -o table` with "Table output unavailable" once the
    /// server exists, and so does keydrill.
    static let flexibleServerCreate: @Sendable (JSON) throws -> JSON = { value in
        .array(
            try [
                "host", "username", "password", "location", "skuname", "resource group", "id", "version",
                "connection string",
            ].map { key in .object([("Property", .string(key)), ("Value", try field(value, key))]) })
    }

    /// postgresql's `table_transform_output_list_servers`: the state columns only when the first
    /// server's id is a flexible server's. az 2.79's rdbms module registers the same function for
    /// Single Server's `postgres server list`, whose servers have `storageProfile`, not `storage`:
    /// there it is a KeyError, and az 2.79 answers "Table output unavailable".
    static let serverList: @Sendable (JSON) throws -> JSON = { value in
        let servers = try rows(value)
        guard let first = servers.first else { return .array([]) }
        let flexible = (try field(first, "id")).stringValue?.contains("flexibleServers") ?? false
        return .array(
            try servers.map { s in
                guard let size = (try field(try field(s, "storage"), "storageSizeGb")).numberValue else {
                    throw CLIError("TypeError: int() argument must be a string or a number")
                }
                var row: [(String, JSON?)] = [
                    ("Name", try field(s, "name")), ("Resource Group", try field(s, "resourceGroup")),
                    ("Location", try field(s, "location")), ("Version", try field(s, "version")),
                    ("Storage Size(GiB)", .number(size.rounded(.towardZero))),
                    ("Tier", try field(try field(s, "sku"), "tier")), ("SKU", try field(try field(s, "sku"), "name")),
                ]
                if flexible {
                    row += [
                        ("State", try field(s, "state")),
                        ("HA State", try field(try field(s, "highAvailability"), "state")),
                        ("Availability zone", try field(s, "availabilityZone")),
                    ]
                }
                return .object(row)
            })
    }
}
