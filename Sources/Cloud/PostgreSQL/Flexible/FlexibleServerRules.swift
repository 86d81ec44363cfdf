import Foundation

/// Flexible Server's capabilities as the location capability API reports them to az (tiers,
/// SKUs, storage sizes, versions), and the service's rules on when a server can be touched.
public enum FlexibleServerRules {
    /// Each tier's SKUs, smallest first; the first is az's default for the tier.
    public static let skus: [(tier: String, names: [String])] = [
        ("Burstable", ["Standard_B1ms", "Standard_B2s", "Standard_B2ms", "Standard_B4ms", "Standard_B8ms"]),
        (
            "GeneralPurpose",
            ["Standard_D2ds_v5", "Standard_D4ds_v5", "Standard_D8ds_v5", "Standard_D16ds_v5", "Standard_D32ds_v5"]
        ),
        (
            "MemoryOptimized",
            ["Standard_E2ds_v5", "Standard_E4ds_v5", "Standard_E8ds_v5", "Standard_E16ds_v5", "Standard_E32ds_v5"]
        ),
    ]
    public static let storageSizesGb = [32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767]
    public static let versions = ["13", "14", "15", "16", "17", "18"]
    public static let retentionDays = 7...35
    public static let maxReplicas = 5

    public static func tier(named text: String) -> String? {
        skus.first { $0.tier.lowercased() == text.lowercased() }?.tier
    }

    public static func sku(_ name: String, tier: String) -> FlexibleSku? {
        guard let t = skus.first(where: { $0.tier == tier }),
            let n = t.names.first(where: {
                $0.lowercased() == name.lowercased()
            })
        else { return nil }
        return FlexibleSku(name: n, tier: t.tier)
    }

    /// The DNS-name rule Single Server has too (az lowercases the name first).
    static func validateName(_ name: String) throws { try PostgresRules.validateName(name) }

    /// 8-128 characters from three of: upper case, lower case, digits, symbols.
    static func validatePassword(_ p: String) throws {
        let classes = [
            p.contains { $0.isUppercase }, p.contains { $0.isLowercase }, p.contains { $0.isNumber },
            p.contains { !$0.isLetter && !$0.isNumber },
        ].filter { $0 }.count
        guard (8...128).contains(p.count), classes >= 3 else {
            throw CloudError.badRequest(
                "PasswordNotComplex",
                "The password does not meet policy requirements: 8-128 characters from three of upper case letters, "
                    + "lower case letters, numbers and non-alphanumeric characters."
            )
        }
    }

    /// keydrill's reading of what Azure leaves open: an Inaccessible server takes delete and a
    /// change of key or identity (the documented ways out); everything else waits for Ready.
    static func requireAccessible(_ s: FlexibleServer, doing what: String) throws {
        guard s.state != FlexibleServerState.inaccessible else {
            throw CloudError.badRequest(
                "ServerInaccessible",
                "The server '\(s.name)' is Inaccessible because it cannot use its customer-managed key, so '\(what)' "
                    + "is not allowed. Restore access to the key (the server revalidates it by itself and becomes "
                    + "Ready), or update it to a key and identity it can use."
            )
        }
    }

    /// Geo-redundant backups go to the paired region, so a region without a pair has none.
    public static func supportsGeoRedundantBackup(_ location: String) -> Bool { Locations.pairs[location] != nil }

    static func requireGeoBackupSupport(_ s: FlexibleServer) throws {
        guard s.geoRedundantBackup != "Enabled" || supportsGeoRedundantBackup(s.location) else {
            throw CloudError.badRequest(
                "GeoRedundantBackupNotSupported",
                "Geo-redundant backup is not supported in '\(s.location)': it has no paired region.")
        }
    }

    static func requireStarted(_ s: FlexibleServer, doing what: String) throws {
        guard s.state != FlexibleServerState.stopped else {
            throw CloudError.badRequest(
                "ServerStopped", "The server '\(s.name)' is stopped: start it before '\(what)'.")
        }
    }
}
