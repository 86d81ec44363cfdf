import Foundation

/// One version of a Key Vault key: real key material plus its attributes. Attributes and tags
/// belong to a version, as in Key Vault.
public struct KeyVersion: Codable, Sendable, Equatable {
    public let version: String
    public let kty: String
    public let material: KeyMaterial
    public var keyOps: [String]
    public var enabled: Bool
    public var notBefore: Date?
    public var expires: Date?
    public let created: Date
    public var updated: Date
    public var tags: [String: String]?
}

public struct Key: Codable, Sendable, Equatable {
    public let name: String
    /// Oldest first; the last is the current version.
    public var versions: [KeyVersion]
    public var rotationPolicy: RotationPolicy? = nil
    /// The version a Notify action has already fired for, so it fires once per version.
    public var notifiedVersion: String? = nil

    public var current: KeyVersion { versions[versions.count - 1] }

    public func version(_ v: String?) -> KeyVersion? {
        guard let v, !v.isEmpty else { return current }
        return versions.first { $0.version.lowercased() == v.lowercased() }
    }
}

/// A soft-deleted key (all its versions) waiting for recovery until its scheduled purge date.
public struct DeletedKey: Codable, Sendable, Equatable {
    public var key: Key
    public let deletedDate: Date
    public let scheduledPurgeDate: Date
}

extension Vault {
    /// Key Vault's recovery level, from the vault's soft-delete retention and purge protection.
    public var recoveryLevel: String {
        switch (softDeleteRetentionInDays == 90, purgeProtected) {
        case (true, true): return "Recoverable"
        case (true, false): return "Recoverable+Purgeable"
        case (false, true): return "CustomizedRecoverable"
        case (false, false): return "CustomizedRecoverable+Purgeable"
        }
    }

    public var uri: String { "https://\(name).vault.azure.net" }

    public func kid(_ key: String, _ version: String? = nil) -> String {
        version.map { "\(uri)/keys/\(key)/\($0)" } ?? "\(uri)/keys/\(key)"
    }
}
