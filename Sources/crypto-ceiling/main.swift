import Crypto
import Dispatch
import Foundation
@preconcurrency import _CryptoExtras

// What swift-crypto itself does, with no keydrill code around it, for tools/bench.sh: the ceiling
// of the two benchmarks bound by it. Prints one JSON object.
// - RSA-2048 OAEP-256 decryptions (a key check's unwrap), 1,000 on one core and on every core.
// - AES-256-GCM seal and open of 200,000 16-byte items under one key with counter nonces (the
//   workload benchmark's rows), in a loop.

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let key = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
let dataKey = Data(repeating: 7, count: 32)
let wrapped = try (0..<1000).map { _ in try key.publicKey.encrypt(dataKey, padding: .PKCS1_OAEP_SHA256) }
let oneCore = try seconds { for c in wrapped { _ = try key.decrypt(c, padding: .PKCS1_OAEP_SHA256) } }
let der = key.derRepresentation
let allCores = seconds {
    let lanes = ProcessInfo.processInfo.activeProcessorCount
    DispatchQueue.concurrentPerform(iterations: lanes) { lane in
        // A key per lane: swift-crypto does not declare its RSA keys Sendable.
        guard let own = try? _RSA.Encryption.PrivateKey(derRepresentation: der) else { return }
        for i in stride(from: lane, to: wrapped.count, by: lanes) {
            _ = try? own.decrypt(wrapped[i], padding: .PKCS1_OAEP_SHA256)
        }
    }
}

let aes = SymmetricKey(size: .bits256)
let items = 200_000
let payload = Data(repeating: 7, count: 16)
var nonce = [UInt8](repeating: 1, count: 12)
var sealed = [Data]()
sealed.reserveCapacity(items)
let seal = try seconds {
    for i in 0..<items {
        for b in 0..<4 { nonce[8 + b] = UInt8(truncatingIfNeeded: i >> (24 - 8 * b)) }
        sealed.append(try AES.GCM.seal(payload, using: aes, nonce: try AES.GCM.Nonce(data: nonce)).combined!)
    }
}
let open = try seconds {
    for s in sealed { _ = try AES.GCM.open(AES.GCM.SealedBox(combined: s), using: aes) }
}
let report: [String: Double] = [
    "rsa2048_unwraps_1000_one_core_ms": (oneCore * 1000).rounded(), "rsa2048_unwraps_1000_all_cores_ms":
        (allCores * 1000).rounded(), "gcm16_seal_per_s": (Double(items) / seal).rounded(),
    "gcm16_open_per_s": (Double(items) / open).rounded(),
    "gcm16_both_per_s": (Double(2 * items) / (seal + open)).rounded(),
]
print(String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]), as: UTF8.self))
