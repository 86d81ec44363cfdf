import Foundation

/// Server parameters keydrill models: the ones the seed's procedures use. Others are refused as
/// not emulated rather than accepted and ignored.
public struct PostgresParameter: Sendable {
    public let name: String
    public let defaultValue: String
    public let allowedValues: [String]
    public let description: String
    /// Static parameters take effect at the next restart.
    public let needsRestart: Bool

    public static let all: [PostgresParameter] = [
        PostgresParameter(
            name: "azure.replication_support", defaultValue: "OFF", allowedValues: ["OFF", "REPLICA", "LOGICAL"],
            description:
                "Sets the level of replication support: OFF, REPLICA (read replicas) or LOGICAL (read replicas and "
                    + "logical decoding). A restart is required.",
            needsRestart: true)
    ]

    public static func named(_ name: String) throws -> PostgresParameter {
        guard let p = all.first(where: { $0.name == name.lowercased() }) else {
            throw CloudError(
                "NotEmulated",
                "keydrill does not emulate the server parameter '\(name)'; it emulates "
                    + "\(all.map(\.name).joined(separator: ", ")).",
                status: 400)
        }
        return p
    }
}

extension World {
    /// The value the service reports: the last one set, even while it waits for a restart.
    public func postgresConfiguration(server: PostgresServer, name: String) throws -> (PostgresParameter, String) {
        let p = try PostgresParameter.named(name)
        return (p, server.pendingConfiguration[p.name] ?? server.configuration[p.name] ?? p.defaultValue)
    }

    @discardableResult
    public mutating func setPostgresConfiguration(
        server name: String, resourceGroup: String, parameter: String, value: String?
    ) throws -> (PostgresServer, PostgresParameter, String) {
        var s = try postgresServer(name, resourceGroup: resourceGroup)
        try PostgresRules.requireAccessible(s, doing: "configuration set")
        let p = try PostgresParameter.named(parameter)
        let v = value ?? p.defaultValue
        guard let canonical = p.allowedValues.first(where: { $0.lowercased() == v.lowercased() }) else {
            throw CloudError.badRequest(
                "InvalidParameterValue",
                "Invalid value given for parameter '\(p.name)'. Specify a valid parameter value: "
                    + "\(p.allowedValues.joined(separator: ", "))."
            )
        }
        if p.needsRestart { s.pendingConfiguration[p.name] = canonical } else { s.configuration[p.name] = canonical }
        postgresServers[name.lowercased()] = s
        return (s, p, canonical)
    }
}
