import Foundation

/// What `az keyvault key create` asks for.
public struct KeySpec: Sendable {
    public var kty: String = "RSA"
    public var size: Int?
    public var curve: String?
    public var keyOps: [String]?
    public var enabled = true
    public var notBefore: Date?
    public var expires: Date?
    public var tags: [String: String]?

    public init() {}
}

public struct KeyAttributesUpdate: Sendable {
    public var enabled: Bool?
    public var notBefore: Date?
    public var expires: Date?
    public var keyOps: [String]?
    public var tags: [String: String]?

    public init() {}
}

/// Key Vault's key operations, each through the one access path (`accessKey`).
extension World {
    static func validateKeyName(_ name: String) throws {
        guard !name.isEmpty, name.count <= 127,
            name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        else {
            throw CloudError.badRequest(
                "BadParameter", "The key name '\(name)' is invalid: use 1-127 letters, digits and hyphens.")
        }
    }

    /// A new version's key material and attributes. Called inside the access path, so a caller
    /// without permission is refused before any key is generated or the request is validated.
    static func makeVersion(_ spec: KeySpec, id: String, premium: Bool, now: Date) throws -> KeyVersion {
        let base = spec.kty.replacingOccurrences(of: "-HSM", with: "")
        if spec.kty.hasSuffix("-HSM"), !premium {
            throw CloudError.badRequest(
                "BadParameter", "Keys of type \(spec.kty) are only supported in Premium key vaults.")
        }
        let material: KeyMaterial
        switch base {
        case "RSA": material = try KeyMaterial.generateRSA(bits: spec.size ?? 2048)
        case "EC":
            let curve = spec.curve ?? "P-256"
            if curve == "P-256K" {
                throw CloudError(
                    "NotEmulated",
                    "keydrill does not emulate P-256K keys: swift-crypto has no secp256k1 curve. Use P-256, P-384 or "
                        + "P-521.",
                    status: 400)
            }
            material = try KeyMaterial.generateEC(curve: curve)
        default:
            throw CloudError.badRequest(
                "BadParameter",
                "Key type '\(spec.kty)' is not supported in key vaults (oct keys are available in Managed HSM only).")
        }
        let defaultOps =
            base == "RSA" ? ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"] : ["sign", "verify"]
        return KeyVersion(
            version: id, kty: spec.kty, material: material, keyOps: spec.keyOps ?? defaultOps, enabled: spec.enabled,
            notBefore: spec.notBefore, expires: spec.expires, created: now, updated: now,
            tags: spec.tags.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// Creates a key, or a new version of an existing one.
    public mutating func createKey(vault: String, name: String, spec: KeySpec, caller: Caller) throws -> (Vault, Key) {
        try addKeyVersion(vault: vault, name: name, operation: .create, caller: caller) { id, v, now in
            try World.makeVersion(spec, id: id, premium: v.sku == "premium", now: now)
        }
    }

    /// A new version of `name` (the key is created if new) through the access path, as create and
    /// import make one; a soft-deleted key's name cannot be reused.
    mutating func addKeyVersion(
        vault: String, name: String, operation: KeyOperation, caller: Caller,
        make: (_ id: String, _ vault: Vault, _ now: Date) throws -> KeyVersion
    ) throws -> (Vault, Key) {
        try World.validateKeyName(name)
        let versionID = ids.hex32()
        let now = self.now
        defer { scheduleLifetimeActions(vault: vault, key: name) }
        return try accessKey(vault: vault, key: name, version: nil, operation: operation, caller: caller) { v, _ in
            if v.deletedKeys[name.lowercased()] != nil {
                throw CloudError.conflict(
                    "Conflict",
                    "Key \(name) is currently in a deleted but recoverable state, and its name cannot be reused; in "
                        + "this state, the key can only be recovered or purged.",
                    innerCode: "ObjectIsDeletedButRecoverable")
            }
            let version = try make(versionID, v, now)
            var key = v.keys[name.lowercased()] ?? Key(name: name, versions: [])
            key.versions.append(version)
            v.keys[name.lowercased()] = key
            return ((v, key), version.version)
        }
    }

    public mutating func getKey(
        vault: String, name: String, version: String?, caller: Caller
    ) throws -> (Vault, Key, KeyVersion) {
        try accessKey(vault: vault, key: name, version: version, operation: .get, caller: caller) { v, kv in
            ((v, v.keys[name.lowercased()]!, kv!), nil)
        }
    }

    public mutating func listKeys(vault: String, caller: Caller) throws -> (Vault, [Key]) {
        try accessKey(vault: vault, key: nil, version: nil, operation: .list, caller: caller) { v, _ in
            ((v, v.keys.values.sorted { $0.name.lowercased() < $1.name.lowercased() }), nil)
        }
    }

    public mutating func listKeyVersions(vault: String, name: String, caller: Caller) throws -> (Vault, Key) {
        try accessKey(vault: vault, key: name, version: nil, operation: .listVersions, caller: caller) { v, _ in
            ((v, v.keys[name.lowercased()]!), nil)
        }
    }

    public mutating func updateKey(
        vault: String, name: String, version: String?, update u: KeyAttributesUpdate, caller: Caller
    ) throws -> (Vault, Key, KeyVersion) {
        let now = self.now
        defer { scheduleLifetimeActions(vault: vault, key: name) }
        return try accessKey(vault: vault, key: name, version: version, operation: .update, caller: caller) {
            v, target in
            var key = v.keys[name.lowercased()]!
            let i = key.versions.firstIndex { $0.version == target!.version }!
            if let e = u.enabled { key.versions[i].enabled = e }
            if let d = u.notBefore { key.versions[i].notBefore = d }
            if let d = u.expires { key.versions[i].expires = d }
            if let ops = u.keyOps { key.versions[i].keyOps = ops }
            if let t = u.tags { key.versions[i].tags = t.isEmpty ? nil : t }
            key.versions[i].updated = now
            v.keys[name.lowercased()] = key
            return ((v, key, key.versions[i]), nil)
        }
    }

    /// Soft delete of a key and all its versions, purged by the clock at the retention's end.
    public mutating func deleteKey(vault: String, name: String, caller: Caller) throws -> (Vault, DeletedKey) {
        let now = self.now
        let result: (Vault, DeletedKey) = try accessKey(
            vault: vault, key: name, version: nil, operation: .delete, caller: caller
        ) { v, _ in
            let key = v.keys.removeValue(forKey: name.lowercased())!
            let d = DeletedKey(
                key: key, deletedDate: now,
                scheduledPurgeDate: now.addingTimeInterval(Double(v.softDeleteRetentionInDays) * 86400))
            v.deletedKeys[name.lowercased()] = d
            return ((v, d), nil)
        }
        scheduler.schedule(
            .purgeDeletedKey(vault: result.0.name, key: result.1.key.name, deletedDate: result.1.deletedDate),
            at: result.1.scheduledPurgeDate)
        return result
    }

    static func deletedKeyNotFound(_ name: String) -> CloudError {
        CloudError.notFound("KeyNotFound", "Deleted Key not found: \(name)")
    }

    public mutating func getDeletedKey(vault: String, name: String, caller: Caller) throws -> (Vault, DeletedKey) {
        try accessKey(vault: vault, key: name, version: nil, operation: .getDeleted, caller: caller) { v, _ in
            guard let d = v.deletedKeys[name.lowercased()] else { throw World.deletedKeyNotFound(name) }
            return ((v, d), d.key.current.version)
        }
    }

    public mutating func listDeletedKeys(vault: String, caller: Caller) throws -> (Vault, [DeletedKey]) {
        try accessKey(vault: vault, key: nil, version: nil, operation: .listDeleted, caller: caller) { v, _ in
            ((v, v.deletedKeys.values.sorted { $0.key.name.lowercased() < $1.key.name.lowercased() }), nil)
        }
    }

    public mutating func recoverKey(vault: String, name: String, caller: Caller) throws -> (Vault, Key) {
        defer { scheduleLifetimeActions(vault: vault, key: name) }
        return try accessKey(vault: vault, key: name, version: nil, operation: .recover, caller: caller) { v, _ in
            guard let d = v.deletedKeys.removeValue(forKey: name.lowercased()) else {
                throw World.deletedKeyNotFound(name)
            }
            v.keys[name.lowercased()] = d.key
            return ((v, d.key), d.key.current.version)
        }
    }

    public mutating func purgeKey(vault: String, name: String, caller: Caller) throws {
        try accessKey(vault: vault, key: name, version: nil, operation: .purge, caller: caller) { v, _ in
            guard v.deletedKeys[name.lowercased()] != nil else { throw World.deletedKeyNotFound(name) }
            if v.purgeProtected {
                throw CloudError(
                    "Forbidden",
                    "Operation \"purge\" is not allowed because purge protection is enabled for this vault. Key "
                        + "Vault service will automatically purge it after the retention period has passed.\nVault: "
                            + "\(v.name);location=\(v.location)",
                    status: 403)
            }
            v.deletedKeys[name.lowercased()] = nil
            return ((), nil)
        }
    }

    mutating func finishKeyPurge(vault: String, key: String, deletedDate: Date) {
        // A key inside a deleted vault goes with the vault; only a live vault's deleted key is purged here.
        guard var v = vaults[vault.lowercased()], let d = v.deletedKeys[key.lowercased()], d.deletedDate == deletedDate
        else { return }
        v.deletedKeys[key.lowercased()] = nil
        vaults[vault.lowercased()] = v
    }

    /// A new version with the current version's type, size and operations; the rotation
    /// policy's expiryTime, when it has one, sets the new version's expiry.
    public mutating func rotateKey(vault: String, name: String, caller: Caller) throws -> (Vault, Key) {
        let versionID = ids.hex32()
        let now = self.now
        let result: (Vault, Key) = try accessKey(
            vault: vault, key: name, version: nil, operation: .rotate, caller: caller
        ) { v, current in
            var spec = KeySpec()
            spec.kty = current!.kty
            spec.size = current!.material.keySize
            spec.curve = current!.material.curve
            spec.keyOps = current!.keyOps
            var key = v.keys[name.lowercased()]!
            if let expiry = key.rotationPolicy?.expiryTime.flatMap(AzDuration.seconds) {
                spec.expires = now.addingTimeInterval(expiry)
            }
            let version = try World.makeVersion(spec, id: versionID, premium: v.sku == "premium", now: now)
            key.versions.append(version)
            v.keys[name.lowercased()] = key
            return ((v, key), version.version)
        }
        scheduleLifetimeActions(vault: vault, key: name)
        return result
    }

    /// encrypt / decrypt / wrapKey / unwrapKey with RSA-OAEP or RSA-OAEP-256.
    public mutating func cryptoOperation(
        _ op: KeyOperation, vault: String, name: String, version: String?, algorithm: String, data: Data, caller: Caller
    ) throws -> (kid: String, result: Data) {
        try accessKey(vault: vault, key: name, version: version, operation: op, caller: caller) { v, kv in
            let out: Data
            switch op {
            case .encrypt, .wrapKey: out = try kv!.material.rsaEncrypt(data, algorithm: algorithm)
            case .decrypt, .unwrapKey: out = try kv!.material.rsaDecrypt(data, algorithm: algorithm)
            default: throw CloudError.badRequest("BadParameter", "\(op.rawValue) is not a cryptographic operation")
            }
            return ((v.kid(v.keys[name.lowercased()]!.name, kv!.version), out), nil)
        }
    }
}
