import Crypto
import Foundation

/// The envelope every customer-managed-key service uses: an AES-256 data key seals the data with
/// AES-GCM, and only the data key is wrapped with the customer's Key Vault key.
public enum DataKey {
    public static func generate() -> Data {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    }

    /// nonce || ciphertext || tag, the combined form AES-GCM gives.
    public static func seal(_ plaintext: Data, with key: Data) throws -> Data {
        let box = try AES.GCM.seal(plaintext, using: SymmetricKey(data: key))
        return box.combined!
    }

    public static func open(_ sealed: Data, with key: Data) throws -> Data {
        try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: SymmetricKey(data: key))
    }

    /// The algorithm services use to wrap a data key with an RSA key.
    public static let wrapAlgorithm = "RSA-OAEP-256"
}
