import Foundation

/// A server parameter (configuration) keydrill emulates, with the attributes the service reports
/// for it (Learn's generated server-parameter tables, PostgreSQL 16). The ones a data-encryption
/// drill checks or re-applies after a restore: transport security and connection logging.
public struct FlexibleParameterDefinition: Sendable, Equatable {
    public let name: String
    public let description: String
    /// ConfigurationDataType: `Boolean`, `Enumeration`, ...
    public let dataType: String
    public let defaultValue: String
    /// As the service lists them, comma-separated.
    public let allowedValues: String
    public let isDynamic: Bool
    /// A PostgreSQL manual anchor (under the server's major version) or a full link.
    let documentation: String

    public func documentationLink(version: String) -> String {
        documentation.hasPrefix("https://")
            ? documentation : "https://www.postgresql.org/docs/\(version)/\(documentation)"
    }

    var allowed: [String] { allowedValues.split(separator: ",").map(String.init) }

    /// The value as the service stores it (the allowed spelling), or nil when it is not allowed.
    /// An enumeration without a default may be set back to empty.
    func canonical(_ value: String) -> String? {
        if value.isEmpty { return defaultValue.isEmpty ? "" : nil }
        return allowed.first { $0.lowercased() == value.lowercased() }
    }
}

/// What a server holds for a parameter the user changed (`source` is `user-override`).
public struct FlexibleParameterOverride: Codable, Sendable, Equatable {
    public let value: String
    public let source: String
}

/// A parameter's definition with the value a server has for it.
public struct FlexibleParameterValue: Sendable, Equatable {
    public let definition: FlexibleParameterDefinition
    public let value: String
    public let source: String
}

public enum FlexibleServerParameters {
    public static let systemDefault = "system-default"
    public static let userOverride = "user-override"
    static let sources = [systemDefault, userOverride]

    private static func boolean(
        _ name: String, _ description: String, _ anchor: String, default d: String = "on"
    )
        -> FlexibleParameterDefinition
    {
        FlexibleParameterDefinition(
            name: name, description: description, dataType: "Boolean", defaultValue: d, allowedValues: "on,off",
            isDynamic: true, documentation: anchor)
    }

    public static let catalogue: [FlexibleParameterDefinition] = [
        boolean(
            "log_checkpoints", "Logs each checkpoint.", "runtime-config-logging.html#GUC-LOG-CHECKPOINTS"),
        boolean(
            "log_connections", "Logs each successful connection.",
            "runtime-config-logging.html#GUC-LOG-CONNECTIONS"),
        boolean(
            "log_disconnections", "Logs end of a session, including duration.",
            "runtime-config-logging.html#GUC-LOG-DISCONNECTIONS"),
        boolean(
            "require_secure_transport",
            "Whether client connections to the server are required to use some form of secure transport.",
            "https://go.microsoft.com/fwlink/?linkid=2282200"),
        FlexibleParameterDefinition(
            name: "ssl_max_protocol_version", description: "Sets the maximum SSL/TLS protocol version to use.",
            dataType: "Enumeration", defaultValue: "", allowedValues: "TLSv1.2,TLSv1.3", isDynamic: true,
            documentation: "runtime-config-connection.html#GUC-SSL-MAX-PROTOCOL-VERSION"),
        FlexibleParameterDefinition(
            name: "ssl_min_protocol_version", description: "Sets the minimum SSL/TLS protocol version to use.",
            dataType: "Enumeration", defaultValue: "TLSv1.2", allowedValues: "TLSv1.2,TLSv1.3", isDynamic: true,
            documentation: "runtime-config-connection.html#GUC-SSL-MIN-PROTOCOL-VERSION"),
    ]

    static func definition(_ name: String, server s: FlexibleServer) throws -> FlexibleParameterDefinition {
        if let d = catalogue.first(where: { $0.name == name.lowercased() }) { return d }
        throw CloudError(
            "NotEmulated",
            "keydrill does not emulate the server parameter '\(name)' of Flexible Server '\(s.name)'; it emulates "
                + "\(catalogue.map(\.name).joined(separator: ", ")).",
            status: 400)
    }
}

extension World {
    public func flexibleParameters(server: String, resourceGroup: String) throws -> [FlexibleParameterValue] {
        let s = try flexibleServer(server, resourceGroup: resourceGroup)
        return FlexibleServerParameters.catalogue.map { parameterValue($0, of: s) }
    }

    public func flexibleParameter(
        server: String, resourceGroup: String, name: String
    ) throws
        -> FlexibleParameterValue
    {
        let s = try flexibleServer(server, resourceGroup: resourceGroup)
        return parameterValue(try FlexibleServerParameters.definition(name, server: s), of: s)
    }

    func parameterValue(_ d: FlexibleParameterDefinition, of s: FlexibleServer) -> FlexibleParameterValue {
        guard let o = s.parameterOverrides?[d.name] else {
            return FlexibleParameterValue(
                definition: d, value: d.defaultValue, source: FlexibleServerParameters.systemDefault)
        }
        return FlexibleParameterValue(definition: d, value: o.value, source: o.source)
    }

    /// Sets a parameter; its default value (what az sends when no value is given) brings it back
    /// to `system-default`. Every emulated parameter is dynamic: it applies without a restart. The
    /// engine applies it, so the server must be running and able to use its key.
    @discardableResult
    public mutating func setFlexibleParameter(
        server: String, resourceGroup: String, name: String, value: String, source: String
    ) throws -> FlexibleParameterValue {
        var s = try flexibleServer(server, resourceGroup: resourceGroup)
        let d = try FlexibleServerParameters.definition(name, server: s)
        guard FlexibleServerParameters.sources.contains(source) else {
            throw CloudError.badRequest(
                "InvalidParameterValue", "Invalid value given for parameter source. Specify a valid parameter value.")
        }
        guard let v = d.canonical(value) else {
            throw CloudError.badRequest(
                "InvalidParameterValue",
                "Invalid value given for parameter '\(d.name)'. Specify a valid parameter value: "
                    + "\(d.allowed.joined(separator: ", ")).")
        }
        try FlexibleServerRules.requireStarted(s, doing: "parameter set")
        try FlexibleServerRules.requireAccessible(s, doing: "parameter set")
        var overrides = s.parameterOverrides ?? [:]
        overrides[d.name] =
            v == d.defaultValue
            ? nil : FlexibleParameterOverride(value: v, source: FlexibleServerParameters.userOverride)
        s.parameterOverrides = overrides.isEmpty ? nil : overrides
        flexibleServers[s.name.lowercased()] = s
        return parameterValue(d, of: s)
    }
}
