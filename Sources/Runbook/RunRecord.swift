import Cloud
import Crypto
import Foundation
import Store
#if canImport(Glibc)
import Glibc
#endif

/// A runbook's last run: its status and, for every step it reached, a digest of the step's text,
/// so a resumed run can tell that an earlier step was edited since its checkpoints were taken.
public struct RunRecord: Codable, Sendable {
    public var runbook: String
    /// `running` (or a run that was killed), `failed`, `stopped` (quit in step mode), `passed`.
    public var status: String
    /// The step to resume at: the one that failed, or that was in flight or quit.
    public var failedStep: Int?
    public var stepDigests: [Int: String]
    /// Steps with a checkpoint: the world and variables as that step began.
    public var checkpoints: [Int]
    /// How each earlier attempt of this run ended (a resumed run reports them), oldest first.
    public var attempts: [String] = []
    /// The first line of the last failure, for the attempt that comes after it.
    public var lastFailure: String?

    enum CodingKeys: String, CodingKey { case runbook, status, failedStep, stepDigests, checkpoints, attempts, lastFailure }

    public init(runbook: String, status: String, failedStep: Int?, stepDigests: [Int: String], checkpoints: [Int]) {
        self.runbook = runbook
        self.status = status
        self.failedStep = failedStep
        self.stepDigests = stepDigests
        self.checkpoints = checkpoints
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        runbook = try c.decode(String.self, forKey: .runbook)
        status = try c.decode(String.self, forKey: .status)
        failedStep = try c.decodeIfPresent(Int.self, forKey: .failedStep)
        stepDigests = try c.decode([Int: String].self, forKey: .stepDigests)
        checkpoints = try c.decode([Int].self, forKey: .checkpoints)
        attempts = try c.decodeIfPresent([String].self, forKey: .attempts) ?? []
        lastFailure = try c.decodeIfPresent(String.self, forKey: .lastFailure)
    }

    public struct Checkpoint: Codable, Sendable {
        public let world: World
        public let variables: [String: String]
    }

    /// What identifies a step's text: its title and its commands.
    static func digest(_ step: RunbookDocument.Step) -> String {
        let text = step.title + "\n" + step.commands.map(\.text).joined(separator: "\n")
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Where a runbook's record and checkpoints live: `STATE/runs/NAME-HASH/`, one folder per runbook
/// file (the hash of its absolute path, so two `drill.md` in different folders, or `a.b.md` and
/// `a_b.md`, never share one), `record.json` and one `checkpoint-N.json` per step. A step writes
/// only its own checkpoint, so its cost does not grow with the steps before it. The folder's lock
/// is held for the whole run: a second run of the same runbook is refused, and a killed run
/// releases it.
public final class RunRecordStore {
    public let directory: String
    private var lockFD: Int32 = -1

    public init(stateDirectory: String, runbook: String) {
        let absolute = URL(fileURLWithPath: runbook).standardizedFileURL.path
        let name = URL(fileURLWithPath: absolute).deletingPathExtension().lastPathComponent
        let slug = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }.prefix(60))
        let hash = SHA256.hash(data: Data(absolute.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
        directory = stateDirectory + "/runs/" + slug + "-" + hash
    }

    deinit { if lockFD >= 0 { close(lockFD) } }

    var recordPath: String { directory + "/record.json" }
    func checkpointPath(_ step: Int) -> String { directory + "/checkpoint-\(step).json" }

    /// Takes the run's lock, creating the folder (0700) first.
    public func lock() throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError("cannot create the run record folder \(directory): \(error.localizedDescription)")
        }
        lockFD = open(directory + "/lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard lockFD >= 0 else { throw StoreError("cannot open \(directory)/lock: \(String(cString: strerror(errno)))") }
        guard flock(lockFD, LOCK_EX | LOCK_NB) == 0 else {
            throw StoreError("this runbook is being run by another keydrill process (\(directory) is locked); wait for it to end")
        }
    }

    private static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .secondsSince1970
        return d
    }

    private static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .secondsSince1970
        return e
    }

    public func load() throws -> RunRecord? {
        guard FileManager.default.fileExists(atPath: recordPath) else { return nil }
        do {
            return try Self.decoder.decode(RunRecord.self, from: try Data(contentsOf: URL(fileURLWithPath: recordPath)))
        } catch {
            throw StoreError("The run record \(recordPath) cannot be read (\(error)); delete \(directory) to start the runbook afresh.")
        }
    }

    public func save(_ record: RunRecord) throws {
        try AtomicFile.write(try Self.encoder.encode(record), to: recordPath)
    }

    public func saveCheckpoint(_ step: Int, _ checkpoint: RunRecord.Checkpoint) throws {
        try AtomicFile.write(try Self.encoder.encode(checkpoint), to: checkpointPath(step))
    }

    public func checkpoint(_ step: Int) throws -> RunRecord.Checkpoint? {
        let path = checkpointPath(step)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try Self.decoder.decode(RunRecord.Checkpoint.self, from: try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw StoreError("The checkpoint \(path) cannot be read (\(error)); run the runbook afresh.")
        }
    }

    /// Removes the checkpoints of steps at or after `step`, which a new run replaces.
    public func removeCheckpoints(from step: Int) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix("checkpoint-") {
            let n = Int(name.dropFirst("checkpoint-".count).dropLast(".json".count)) ?? 0
            if n >= step { unlink(directory + "/" + name) }
        }
    }
}
