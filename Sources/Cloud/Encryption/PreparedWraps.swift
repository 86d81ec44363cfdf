import Crypto
import Dispatch
import Foundation
import _CryptoExtras

/// The RSA work of key checks that fall due together, done ahead on every core. A check still goes
/// through the one access path, one by one and in order (permissions, firewall, key state, audit);
/// only its wrap and unwrap, when it reaches them, find their results already computed. Both are
/// real: the wrap is a fresh RSA-OAEP encryption of the data key, the unwrap a private-key
/// decryption of exactly that ciphertext, and since a version's key material never changes, a
/// result computed a moment earlier is the result. One unwrap is a private-key operation, the
/// cost of a check after any change (about half a millisecond with swift-crypto here:
/// `crypto-ceiling`).
final class PreparedWraps: @unchecked Sendable {
    static let shared = PreparedWraps()

    private struct Wrap: Hashable {
        let der: Data
        let algorithm: String
        let plaintext: Data
    }
    private struct Unwrap: Hashable {
        let der: Data
        let algorithm: String
        let ciphertext: Data
    }
    private let lock = NSLock()
    /// Off: every check computes its own (a test compares the two).
    var isEnabled = true
    /// How many prepared results were taken, ever (for tests).
    private(set) var taken = 0
    private var wraps: [Wrap: [Data]] = [:]
    private var unwraps: [Unwrap: Data] = [:]

    /// A wrap computed ahead for this key and data key, once.
    func takeWrap(der: Data, algorithm: String, plaintext: Data) -> Data? {
        lock.lock()
        defer { lock.unlock() }
        let k = Wrap(der: der, algorithm: algorithm, plaintext: plaintext)
        guard var ready = wraps[k], !ready.isEmpty else { return nil }
        let c = ready.removeLast()
        wraps[k] = ready.isEmpty ? nil : ready
        taken += 1
        return c
    }

    /// The unwrap of a ciphertext prepared with `takeWrap`'s, once.
    func takeUnwrap(der: Data, algorithm: String, ciphertext: Data) -> Data? {
        lock.lock()
        defer { lock.unlock() }
        let p = unwraps.removeValue(forKey: Unwrap(der: der, algorithm: algorithm, ciphertext: ciphertext))
        if p != nil { taken += 1 }
        return p
    }

    /// Wraps and unwraps each data key with its key, spread over the processor's cores. swift-crypto
    /// does not declare its RSA keys Sendable, so each core parses its own from the DER (once per
    /// key and tick) rather than share the process's parsed ones.
    func prepare(_ jobs: [(material: KeyMaterial, dataKey: Data)], algorithm: String) {
        guard isEnabled else { return }
        let results = UnsafeMutableBufferPointer<(Data, Data)?>.allocate(capacity: jobs.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let shared = Results(results)
        let lanes = max(1, min(ProcessInfo.processInfo.activeProcessorCount, jobs.count))
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            var parsed = [Data: _RSA.Encryption.PrivateKey]()
            for i in stride(from: lane, to: jobs.count, by: lanes) {
                guard case .rsa(let der, _, _) = jobs[i].material, let padding = try? KeyMaterial.padding(algorithm)
                else { continue }
                guard let key = parsed[der] ?? (try? _RSA.Encryption.PrivateKey(derRepresentation: der)) else {
                    continue
                }
                parsed[der] = key
                guard let c = try? key.publicKey.encrypt(jobs[i].dataKey, padding: padding),
                    let p = try? key.decrypt(c, padding: padding)
                else { continue }
                shared.buffer[i] = (c, p)
            }
        }
        lock.lock()
        defer { lock.unlock() }
        for (i, job) in jobs.enumerated() {
            guard case .rsa(let der, _, _) = job.material, let (c, p) = results[i] else { continue }
            wraps[Wrap(der: der, algorithm: algorithm, plaintext: job.dataKey), default: []].append(c)
            unwraps[Unwrap(der: der, algorithm: algorithm, ciphertext: c)] = p
        }
    }

    /// What a clock move prepared and did not use is dropped when it ends.
    func clear() {
        lock.lock()
        defer { lock.unlock() }
        wraps = [:]
        unwraps = [:]
    }

    /// Each iteration writes its own slot only.
    private final class Results: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<(Data, Data)?>
        init(_ b: UnsafeMutableBufferPointer<(Data, Data)?>) { buffer = b }
    }
}

/// A data key a due check will wrap and unwrap, if it gets that far.
struct PlannedWrap {
    let vault: String
    let key: String
    /// Nil: the key's current version.
    let version: String?
    let dataKey: Data
}

extension World {
    /// Key checks due from now up to `limit` with nothing else between them cannot change each
    /// other's inputs; their wraps are prepared together. A check whose memo holds needs no
    /// cryptography and is left out. Returns how many of the due events were looked at.
    mutating func prepareDueKeyChecks(through limit: Date) -> Int {
        var jobs = [(material: KeyMaterial, dataKey: Data)]()
        var looked = 0
        for e in scheduler.events {
            guard e.at <= limit, e.action.isKeyCheck else { break }
            looked += 1
            for w in plannedWraps(e.action) {
                guard let k = vaults[w.vault.lowercased()]?.keys[w.key.lowercased()],
                    let v = w.version.map({ want in k.versions.first { $0.version == want } }) ?? k.current
                else { continue }
                jobs.append((v.material, w.dataKey))
            }
        }
        if jobs.count > 1 { PreparedWraps.shared.prepare(jobs, algorithm: DataKey.wrapAlgorithm) }
        return looked
    }

    /// The wraps `action`'s check would make with its data key in memory, unless its memo holds.
    private func plannedWraps(_ action: ScheduledAction) -> [PlannedWrap] {
        action.keyCheck.map { $0.kind.keyCheck.plannedWraps(self, $0.name) } ?? []
    }
}
