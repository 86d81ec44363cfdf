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
    /// Per checkpointed step: how many records of the run's world journal make its world.
    public var checkpointRecords: [Int: Int] = [:]
    /// Per checkpointed step: the variables as it began.
    public var checkpointVariables: [Int: [String: String]] = [:]

    enum CodingKeys: String, CodingKey {
        case runbook, status, failedStep, stepDigests, checkpoints, attempts, lastFailure, checkpointRecords,
            checkpointVariables
    }

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
        checkpointRecords = try c.decodeIfPresent([Int: Int].self, forKey: .checkpointRecords) ?? [:]
        checkpointVariables = try c.decodeIfPresent([Int: [String: String]].self, forKey: .checkpointVariables) ?? [:]
    }

    public struct Checkpoint: Codable, Sendable {
        public let world: World
        public let variables: [String: String]
    }

    /// What identifies a step's text: its title and its commands.
    static func digest(_ step: RunbookDocument.Step) -> String {
        let text = step.title + "\n" + step.commands.map(\.text).joined(separator: "\n")
        return sha256Hex(Data(text.utf8))
    }

    /// A SHA-256 as lowercase hex: how step digests and a runbook's hash in its reports are written.
    public static func sha256Hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

/// Where a runbook's record and checkpoints live: `STATE/runs/NAME-HASH/`, one folder per runbook
/// file (the hash of its absolute path, so two `drill.md` in different folders, or `a.b.md` and
/// `a_b.md`, never share one), `record.json`, and `world/`: a state directory that keeps history,
/// where each passed step's change is one journal record and a checkpoint is a record count. A
/// step writes only what it changed, so its cost does not grow with the steps or the world
/// before it. The folder's lock
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

    /// Takes the run's lock, creating the folder (0700) first.
    public func lock() throws {
        // A link planted at `runs` or at the run's folder would send the record and its worlds
        // (key material) wherever it points.
        for path in [(directory as NSString).deletingLastPathComponent, directory] {
            var st = stat()
            if lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFLNK {
                throw StoreError("\(path) is a symbolic link; keydrill does not follow it. Remove it.")
            }
        }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError("cannot create the run record folder \(directory): \(error.localizedDescription)")
        }
        lockFD = open(directory + "/lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard lockFD >= 0 else {
            throw StoreError("cannot open \(directory)/lock: \(String(cString: strerror(errno)))")
        }
        guard flock(lockFD, LOCK_EX | LOCK_NB) == 0 else {
            throw StoreError(
                "this runbook is being run by another keydrill process (\(directory) is locked); wait for it to end")
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
            return withIndex(
                try Self.decoder.decode(RunRecord.self, from: try Data(contentsOf: URL(fileURLWithPath: recordPath))))
        } catch {
            throw StoreError(
                "The run record \(recordPath) cannot be read (\(error)); delete \(directory) to start the runbook "
                    + "afresh."
            )
        }
    }

    public func save(_ record: RunRecord) throws {
        try AtomicFile.write(try Self.encoder.encode(record), to: recordPath)
    }

    /// The run's worlds: a state directory that keeps every step's change as a journal record,
    /// so saving a checkpoint costs what the step changed, whatever the size of the world.
    private var worlds: StateDirectory?

    private func worldStore() throws -> StateDirectory {
        if let w = worlds { return w }
        let w = try StateDirectory(path: directory + "/world", keepsHistory: true)
        worlds = w
        return w
    }

    /// A new run starts with no worlds.
    public func startFresh() throws {
        worlds = nil
        try? FileManager.default.removeItem(atPath: directory + "/world")
        unlink(indexPath)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        where name.hasPrefix("checkpoint-") {
            unlink(directory + "/" + name)
        }
    }

    /// Saves the checkpoint and appends its entry to `checkpoints.jsonl` (one durable line a
    /// step), so a step writes what it changed and one short line, never the whole record.
    public func saveCheckpoint(_ step: Int, _ checkpoint: RunRecord.Checkpoint, into record: inout RunRecord) throws {
        let store = try worldStore()
        try store.transaction { $0 = checkpoint.world }
        record.checkpointRecords[step] = store.recordCount
        record.checkpointVariables[step] = checkpoint.variables
        record.checkpoints = record.checkpoints.filter { $0 != step } + [step]
        let entry = IndexEntry(step: step, records: store.recordCount, variables: checkpoint.variables)
        var line = try JSONEncoder().encode(entry)
        line.append(UInt8(ascii: "\n"))
        let fd = open(indexPath, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError("cannot write \(indexPath): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        if let failure = AtomicFile.appendAll(fd, line) ?? (fdatasync(fd) != 0 ? String(cString: strerror(errno)) : nil)
        {
            throw StoreError("cannot write \(indexPath): \(failure)")
        }
    }

    struct IndexEntry: Codable {
        let step: Int
        let records: Int
        let variables: [String: String]
    }

    var indexPath: String { directory + "/checkpoints.jsonl" }

    /// The record with the checkpoints the index holds beyond it: a run killed between two
    /// saves of the record still resumes at the step in flight. A torn last line is ignored.
    func withIndex(_ record: RunRecord) -> RunRecord {
        guard let data = FileManager.default.contents(atPath: indexPath) else { return record }
        var r = record
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let e = try? JSONDecoder().decode(IndexEntry.self, from: Data(line)) else { continue }
            r.checkpointRecords[e.step] = e.records
            r.checkpointVariables[e.step] = e.variables
            r.checkpoints = r.checkpoints.filter { $0 != e.step } + [e.step]
            if r.status == "running" { r.failedStep = e.step }
        }
        return r
    }

    /// The world and variables as `step` began; later checkpoints are replaced as the run goes on.
    public func checkpoint(_ step: Int, of record: RunRecord) throws -> RunRecord.Checkpoint? {
        guard let n = record.checkpointRecords[step], let vars = record.checkpointVariables[step],
            let world = try worldStore().load(records: n)
        else { return nil }
        return RunRecord.Checkpoint(world: world, variables: vars)
    }
}
