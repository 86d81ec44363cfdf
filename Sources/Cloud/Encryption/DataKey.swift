import Crypto
import Foundation

/// The envelope every customer-managed-key service uses: an AES-256 data key seals the data with
/// AES-GCM, and only the data key is wrapped with the customer's Key Vault key.
public enum DataKey {
    public static func generate() -> Data {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    }

    /// Opens nonce || ciphertext || tag, the combined form `BatchSealer` writes.
    public static func open(_ sealed: Data, with key: SymmetricKey) throws -> Data {
        try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key)
    }

    /// The algorithm services use to wrap a data key with an RSA key.
    public static let wrapAlgorithm = "RSA-OAEP-256"
}

/// Seals a batch under one key without a random-number syscall per item: each nonce is a random
/// 8-byte prefix drawn once for the batch and a 4-byte counter, so nonces never repeat within the
/// batch and collide across batches only with a 2^-64 chance per pair.
public struct BatchSealer {
    let key: SymmetricKey
    let prefix: [UInt8]
    var counter: UInt32 = 0

    public init(key: Data) {
        self.key = SymmetricKey(data: key)
        var g = SystemRandomNumberGenerator()
        prefix = (0..<8).map { _ in UInt8.random(in: 0...255, using: &g) }
    }

    public mutating func seal(_ plaintext: Data) throws -> Data {
        counter += 1
        let c = counter
        let nonce = try AES.GCM.Nonce(
            data: prefix + [UInt8(c >> 24), UInt8((c >> 16) & 0xff), UInt8((c >> 8) & 0xff), UInt8(c & 0xff)])
        return try AES.GCM.seal(plaintext, using: key, nonce: nonce).combined!
    }
}
