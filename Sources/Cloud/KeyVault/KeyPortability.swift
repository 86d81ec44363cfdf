import Crypto
import _CryptoExtras
import Foundation

/// Keys that leave or enter a vault: a private key imported from PEM, the public part
/// downloaded, and backups. A backup is a sealed blob that only a vault of the same subscription
/// can restore (Azure: same subscription and geography), every version and attribute included.
extension KeyMaterial {
    /// An RSA or EC private key in PEM (PKCS#1, SEC 1 or PKCS#8), as az's import reads it.
    public static func importPEM(_ pem: String) throws -> KeyMaterial {
        if let rsa = try? _RSA.Encryption.PrivateKey(pemRepresentation: pem) {
            let p = try rsa.publicKey.getKeyPrimitives()
            return .rsa(privateDER: rsa.derRepresentation, modulus: p.modulus, exponent: p.publicExponent)
        }
        func split(_ raw: Data) -> (Data, Data) { (raw.prefix(raw.count / 2), raw.suffix(raw.count / 2)) }
        if let k = try? P256.Signing.PrivateKey(pemRepresentation: pem) {
            let (x, y) = split(k.publicKey.rawRepresentation)
            return .ec(curve: "P-256", privateRaw: k.rawRepresentation, x: x, y: y)
        }
        if let k = try? P384.Signing.PrivateKey(pemRepresentation: pem) {
            let (x, y) = split(k.publicKey.rawRepresentation)
            return .ec(curve: "P-384", privateRaw: k.rawRepresentation, x: x, y: y)
        }
        if let k = try? P521.Signing.PrivateKey(pemRepresentation: pem) {
            let (x, y) = split(k.publicKey.rawRepresentation)
            return .ec(curve: "P-521", privateRaw: k.rawRepresentation, x: x, y: y)
        }
        throw CloudError.badRequest("BadParameter", "Could not deserialize key data.")
    }

    /// The public key as SubjectPublicKeyInfo, PEM or DER, as `az keyvault key download` writes it.
    public func publicKey(pem: Bool) throws -> Data {
        switch self {
        case .rsa(let der, _, _):
            let pub = try _RSA.Encryption.PrivateKey(derRepresentation: der).publicKey
            return pem ? Data((pub.pemRepresentation + "\n").utf8) : pub.derRepresentation
        case .ec(let curve, let raw, _, _):
            let (p, d): (String, Data)
            switch curve {
            case "P-256":
                let k = try P256.Signing.PrivateKey(rawRepresentation: raw).publicKey
                (p, d) = (k.pemRepresentation, k.derRepresentation)
            case "P-384":
                let k = try P384.Signing.PrivateKey(rawRepresentation: raw).publicKey
                (p, d) = (k.pemRepresentation, k.derRepresentation)
            default:
                let k = try P521.Signing.PrivateKey(rawRepresentation: raw).publicKey
                (p, d) = (k.pemRepresentation, k.derRepresentation)
            }
            return pem ? Data((p + "\n").utf8) : d
        }
    }
}

extension World {
    /// Imports a private key as a new version of `name` (the key is created if it is new).
    public mutating func importKey(
        vault: String, name: String, material: KeyMaterial, spec: KeySpec, caller: Caller
    ) throws -> (Vault, Key) {
        try addKeyVersion(vault: vault, name: name, operation: .import, caller: caller) { id, _, now in
            let kty: String
            if case .rsa = material { kty = "RSA" } else { kty = "EC" }
            let defaultOps =
                kty == "RSA" ? ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"] : ["sign", "verify"]
            return KeyVersion(
                version: id, kty: kty, material: material, keyOps: spec.keyOps ?? defaultOps, enabled: spec.enabled,
                notBefore: spec.notBefore, expires: spec.expires, created: now, updated: now,
                tags: spec.tags.flatMap { $0.isEmpty ? nil : $0 })
        }
    }

    /// The sealing key of this subscription's backups.
    private var backupKey: SymmetricKey {
        SymmetricKey(data: SHA256.hash(data: Data("keydrill key backup \(subscription.id.lowercased())".utf8)))
    }

    static let backupMagic = Data("KDKEYBACKUP1".utf8)

    public mutating func backupKey(vault: String, name: String, caller: Caller) throws -> Data {
        let sealKey = backupKey
        return try accessKey(vault: vault, key: name, version: nil, operation: .backup, caller: caller) { v, _ in
            let key = v.keys[name.lowercased()]!
            let box = try AES.GCM.seal(try JSONEncoder().encode(key), using: sealKey)
            return (World.backupMagic + box.combined!, nil)
        }
    }

    public mutating func restoreKey(vault: String, backup: Data, caller: Caller) throws -> (Vault, Key) {
        let sealKey = backupKey
        func invalid() -> CloudError {
            CloudError.badRequest(
                "BadParameter",
                "Backup blob contains invalid or corrupt version. It cannot be restored to this vault: a key backup "
                    + "restores only into a vault of the subscription it was taken in.")
        }
        guard backup.starts(with: World.backupMagic),
            let box = try? AES.GCM.SealedBox(combined: backup.dropFirst(World.backupMagic.count)),
            let plain = try? AES.GCM.open(box, using: sealKey),
            let key = try? JSONDecoder().decode(Key.self, from: plain)
        else { throw invalid() }
        defer { scheduleLifetimeActions(vault: vault, key: key.name) }
        return try accessKey(vault: vault, key: key.name, version: nil, operation: .restore, caller: caller) { v, _ in
            if v.keys[key.name.lowercased()] != nil || v.deletedKeys[key.name.lowercased()] != nil {
                throw CloudError.conflict(
                    "Conflict",
                    "There was a conflict restoring the key '\(v.kid(key.name))'. This can happen if the key has the "
                        + "same name as one that already exists or is in the deleted state.")
            }
            var restored = key
            restored.notifiedVersion = nil
            v.keys[key.name.lowercased()] = restored
            return ((v, restored), restored.current.version)
        }
    }
}
