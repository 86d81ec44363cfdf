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
    /// The random prefix, then the counter (big-endian) in the last four bytes.
    var nonce: [UInt8]
    var counter: UInt32 = 0

    public init(key: Data) {
        self.key = SymmetricKey(data: key)
        var g = SystemRandomNumberGenerator()
        nonce = (0..<8).map { _ in UInt8.random(in: 0...255, using: &g) } + [0, 0, 0, 0]
    }

    public mutating func seal(_ plaintext: Data) throws -> Data {
        counter += 1
        for i in 0..<4 { nonce[8 + i] = UInt8(truncatingIfNeeded: counter >> (24 - 8 * i)) }
        return try AES.GCM.seal(plaintext, using: key, nonce: try AES.GCM.Nonce(data: nonce)).combined!
    }
}
