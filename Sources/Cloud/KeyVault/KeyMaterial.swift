import Crypto
import _CryptoExtras
import Foundation

/// Real key pairs from swift-crypto. The private key never leaves the emulated vault: only the
/// public parts are printed, and wrap/unwrap/encrypt/decrypt run here.
public enum KeyMaterial: Codable, Sendable, Equatable {
    case rsa(privateDER: Data, modulus: Data, exponent: Data)
    case ec(curve: String, privateRaw: Data, x: Data, y: Data)

    public static func generateRSA(bits: Int) throws -> KeyMaterial {
        let size: _RSA.Signing.KeySize
        switch bits {
        case 2048: size = .bits2048
        case 3072: size = .bits3072
        case 4096: size = .bits4096
        default:
            throw CloudError.badRequest(
                "BadParameter",
                "The specified RSA key size '\(bits)' is not supported. Supported sizes are 2048, 3072 and 4096.")
        }
        let key = try _RSA.Encryption.PrivateKey(keySize: size)
        let p = try key.publicKey.getKeyPrimitives()
        return .rsa(privateDER: key.derRepresentation, modulus: p.modulus, exponent: p.publicExponent)
    }

    public static func generateEC(curve: String) throws -> KeyMaterial {
        func split(_ raw: Data) -> (Data, Data) { (raw.prefix(raw.count / 2), raw.suffix(raw.count / 2)) }
        switch curve {
        case "P-256":
            let k = P256.Signing.PrivateKey()
            let (x, y) = split(k.publicKey.rawRepresentation)
            return .ec(curve: curve, privateRaw: k.rawRepresentation, x: x, y: y)
        case "P-384":
            let k = P384.Signing.PrivateKey()
            let (x, y) = split(k.publicKey.rawRepresentation)
            return .ec(curve: curve, privateRaw: k.rawRepresentation, x: x, y: y)
        case "P-521":
            let k = P521.Signing.PrivateKey()
            let (x, y) = split(k.publicKey.rawRepresentation)
            return .ec(curve: curve, privateRaw: k.rawRepresentation, x: x, y: y)
        default:
            throw CloudError.badRequest("BadParameter", "The curve '\(curve)' is not supported.")
        }
    }

    public var keySize: Int? {
        if case .rsa(_, let n, _) = self { return (n.first == 0 ? n.count - 1 : n.count) * 8 }
        return nil
    }

    public var curve: String? {
        if case .ec(let c, _, _, _) = self { return c }
        return nil
    }

    /// RSA-OAEP (SHA-1) and RSA-OAEP-256, the algorithms Key Vault offers for wrap and encrypt.
    /// A wrap a clock move prepared for this key and data (`PreparedWraps`) is taken instead of
    /// computing another.
    public func rsaEncrypt(_ data: Data, algorithm: String) throws -> Data {
        if case .rsa(let der, _, _) = self,
            let ready = PreparedWraps.shared.takeWrap(der: der, algorithm: algorithm, plaintext: data)
        {
            return ready
        }
        return try computeRSAEncrypt(data, algorithm: algorithm)
    }

    public func rsaDecrypt(_ data: Data, algorithm: String) throws -> Data {
        if case .rsa(let der, _, _) = self,
            let ready = PreparedWraps.shared.takeUnwrap(der: der, algorithm: algorithm, ciphertext: data)
        {
            return ready
        }
        return try computeRSADecrypt(data, algorithm: algorithm)
    }

    func computeRSAEncrypt(_ data: Data, algorithm: String) throws -> Data {
        guard case .rsa(let der, _, _) = self else { throw Self.wrongKeyType(algorithm) }
        let key = try ParsedKeyCache.shared.rsa(der)
        return try key.publicKey.encrypt(data, padding: try Self.padding(algorithm))
    }

    func computeRSADecrypt(_ data: Data, algorithm: String) throws -> Data {
        guard case .rsa(let der, _, _) = self else { throw Self.wrongKeyType(algorithm) }
        let key = try ParsedKeyCache.shared.rsa(der)
        do {
            return try key.decrypt(data, padding: try Self.padding(algorithm))
        } catch let e as CloudError {
            throw e
        } catch {
            throw CloudError.badRequest(
                "BadParameter",
                "Unable to decrypt the specified ciphertext with the key: the data was not encrypted with this key "
                    + "version and algorithm."
            )
        }
    }

    static func padding(_ algorithm: String) throws -> _RSA.Encryption.Padding {
        switch algorithm {
        case "RSA-OAEP": return .PKCS1_OAEP
        case "RSA-OAEP-256": return .PKCS1_OAEP_SHA256
        case "RSA1_5":
            throw CloudError(
                "NotEmulated",
                "keydrill does not emulate RSA1_5 (PKCS#1 v1.5 encryption); use RSA-OAEP or RSA-OAEP-256.", status: 400)
        default: throw wrongKeyType(algorithm)
        }
    }

    static func wrongKeyType(_ algorithm: String) -> CloudError {
        CloudError.badRequest("BadParameter", "Invalid algorithm '\(algorithm)' for this key type.")
    }
}

/// Parsing a DER private key makes BoringSSL check the whole key (RSA_check_key), which costs more
/// than the wrap it is parsed for; a service holds its keys parsed, and so does this process.
final class ParsedKeyCache: @unchecked Sendable {
    static let shared = ParsedKeyCache()
    private let lock = NSLock()
    private var rsaKeys: [Data: _RSA.Encryption.PrivateKey] = [:]
    private let capacity = 4096

    func rsa(_ der: Data) throws -> _RSA.Encryption.PrivateKey {
        lock.lock()
        defer { lock.unlock() }
        if let k = rsaKeys[der] { return k }
        let k = try _RSA.Encryption.PrivateKey(derRepresentation: der)
        if rsaKeys.count >= capacity { rsaKeys.removeAll(keepingCapacity: true) }
        rsaKeys[der] = k
        return k
    }
}
