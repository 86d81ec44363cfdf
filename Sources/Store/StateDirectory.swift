import Cloud
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A state directory refused for a reason the user must act on; nothing in it was changed.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The state directory: `world.json` (the world, with a format version) written atomically and
/// durably under an exclusive lock, files mode 0600 because they hold key material.
public final class StateDirectory: @unchecked Sendable {
    public static let formatName = "keydrill-world"
    public static let formatVersion = 1

    public let path: String
    private var lockFD: Int32 = -1
    /// What the file looked like when last read or written, to skip re-reading an unchanged file.
    private var lastSeen: FileStamp?
    private var cached: World?

    public var worldPath: String { path + "/world.json" }
    /// Patches appended after the snapshot in world.json, one JSON line per command.
    public var journalPath: String { path + "/journal.jsonl" }

    /// The snapshot's generation: journal lines of another generation are stale (written before
    /// the last compaction) and ignored.
    private var generation = 0
    private var snapshotBytes = 0
    /// The journal as last read or written: its stamp, the length of its complete lines, how
    /// many there are, and the world they lead to.
    private var journalState: (stamp: FileStamp?, validLength: Int, records: Int, world: World)?

    public init(path: String) throws {
        self.path = path
        try Self.makeDirectory(path)
    }

    deinit { if lockFD >= 0 { close(lockFD) } }

    static func makeDirectory(_ path: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            guard isDir.boolValue else { throw StoreError("state path \(path) exists and is not a directory") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError("cannot create the state directory \(path): \(Self.reason(error))")
        }
    }

    static func reason(_ error: Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }

    /// Runs `body` on the current world while holding the directory's lock, and journals what
    /// `body` changed, if anything. Another process waits up to `timeout` for the lock.
    public func transaction<T>(timeout: Double = 30, _ body: (inout World) throws -> T) throws -> T {
        try lock(timeout: timeout)
        defer { unlock() }
        var world = try load() ?? World.new(now: Date())
        let result = try body(&world)
        try save(world)
        return result
    }

    /// Reads the world (the snapshot plus its journal), or nil when the directory has none yet.
    /// A last journal line without its newline is a write a crash cut short: it is ignored, so
    /// the world is the one before that command.
    public func load() throws -> World? {
        guard let stamp = FileStamp(path: worldPath) else {
            lastSeen = nil
            cached = nil
            journalState = nil
            return nil
        }
        if cached == nil || stamp != lastSeen {
            guard let data = FileManager.default.contents(atPath: worldPath) else {
                throw StoreError("cannot read \(worldPath): permission denied or unreadable; keydrill will not overwrite it")
            }
            let (world, gen) = try Self.decode(data, path: worldPath)
            lastSeen = stamp
            cached = world
            generation = gen
            snapshotBytes = data.count
            journalState = nil
        }
        let jstamp = FileStamp(path: journalPath)
        if let j = journalState, j.stamp == jstamp { return j.world }
        guard let jstamp else {
            journalState = (nil, 0, 0, cached!)
            return cached
        }
        // Read only what was appended since the last read when the journal just grew.
        var state = (stamp: FileStamp?.none, validLength: 0, records: 0, world: cached!)
        if let j = journalState, let old = j.stamp, old.inode == jstamp.inode, jstamp.size >= Int64(j.validLength) {
            state = j
        }
        guard let handle = FileHandle(forReadingAtPath: journalPath) else {
            throw StoreError("cannot read \(journalPath): permission denied or unreadable; keydrill will not overwrite it")
        }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(state.validLength))
        let tail = handle.readDataToEndOfFile()
        var offset = 0
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        while let nl = tail[(tail.startIndex + offset)...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = tail[(tail.startIndex + offset)..<nl]
            let record: JournalRecord
            do {
                record = try decoder.decode(JournalRecord.self, from: line)
            } catch {
                throw StoreError("the journal \(journalPath) is corrupt at byte \(state.validLength + offset) (\(error)); keydrill will not overwrite it. Move the state directory away to start a new world.")
            }
            if record.generation == generation { state.world.apply(record.patch) }
            offset = nl - tail.startIndex + 1
            state.records += 1
        }
        state.validLength += offset
        state.stamp = jstamp
        journalState = state
        return state.world
    }

    struct JournalRecord: Codable {
        let generation: Int
        let patch: WorldPatch
    }

    static func decode(_ data: Data, path: String) throws -> (World, Int) {
        struct Header: Decodable { let format: String; let version: Int; let generation: Int? }
        struct Envelope: Decodable { let world: World }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data)
        } catch {
            throw StoreError("the state file \(path) is corrupt or truncated (\(data.count) bytes) and was not loaded; keydrill will not overwrite it. Move it away to start a new world, or use --state DIR.")
        }
        guard header.format == formatName else {
            throw StoreError("\(path) is not a keydrill state file (format '\(header.format)'); keydrill will not overwrite it")
        }
        guard header.version <= formatVersion else {
            throw StoreError("the state file \(path) was written by a newer keydrill (format version \(header.version); this keydrill reads up to \(formatVersion)); upgrade keydrill. The file was not changed.")
        }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .secondsSince1970
            return (try decoder.decode(Envelope.self, from: data).world, header.generation ?? 0)
        } catch {
            throw StoreError("the state file \(path) is corrupt (\(error)); keydrill will not overwrite it. Move it away to start a new world, or use --state DIR.")
        }
    }

    static func encode(_ world: World, generation: Int) throws -> Data {
        struct Envelope: Encodable { let format: String; let version: Int; let generation: Int; let world: World }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(Envelope(format: formatName, version: formatVersion, generation: generation, world: world))
    }

    /// Appends what changed to the journal (one line, fdatasync), or, when the journal has
    /// outgrown the snapshot, writes a new snapshot (temporary file, fsync, rename, fsync of the
    /// directory) and drops the journal. A crash leaves the world before or after the command.
    public func save(_ world: World) throws {
        guard lastSeen != nil, let j = journalState else {
            try writeSnapshot(world)
            return
        }
        // One comparison finds both whether anything changed and what to journal.
        let patch = WorldPatch(from: j.world, to: world)
        if patch.isEmpty { return }
        guard j.validLength < max(1 << 20, snapshotBytes), j.records < 5000 else {
            try writeSnapshot(world)
            return
        }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        var line = try encoder.encode(JournalRecord(generation: generation, patch: patch))
        line.append(UInt8(ascii: "\n"))
        let created = j.stamp == nil
        let fd = open(journalPath, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError("cannot write in \(path): \(String(cString: strerror(errno))); nothing was changed") }
        defer { close(fd) }
        // Drop a torn tail left by a crash before appending after it.
        if ftruncate(fd, off_t(j.validLength)) != 0 || lseek(fd, off_t(j.validLength), SEEK_SET) < 0 {
            throw StoreError("cannot write \(journalPath): \(String(cString: strerror(errno))); the previous state was kept")
        }
        if let failure = AtomicFile.writeAll(fd, line) ?? (fdatasync(fd) != 0 ? String(cString: strerror(errno)) : nil) {
            _ = ftruncate(fd, off_t(j.validLength))
            throw StoreError("cannot write \(journalPath): \(failure); the previous state was kept")
        }
        if created { AtomicFile.syncDirectory(path) }
        journalState = (FileStamp(path: journalPath), j.validLength + line.count, j.records + 1, world)
    }

    private func writeSnapshot(_ world: World) throws {
        let data = try Self.encode(world, generation: generation + 1)
        try AtomicFile.write(data, to: worldPath)
        generation += 1
        snapshotBytes = data.count
        // Lines of the old generation are ignored if this unlink does not survive a crash.
        unlink(journalPath)
        lastSeen = FileStamp(path: worldPath)
        cached = world
        journalState = (nil, 0, 0, world)
    }

    private func lock(timeout: Double) throws {
        if lockFD < 0 {
            lockFD = open(path + "/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard lockFD >= 0 else { throw StoreError("cannot open the lock file in \(path): \(String(cString: strerror(errno)))") }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(lockFD, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                throw StoreError("cannot lock \(path): \(String(cString: strerror(errno)))")
            }
            guard Date() < deadline else {
                throw StoreError("another keydrill process has held the state directory \(path) for \(Int(timeout)) s; nothing was changed")
            }
            usleep(5_000)
        }
    }

    private func unlock() { if lockFD >= 0 { flock(lockFD, LOCK_UN) } }
}

struct FileStamp: Equatable {
    let inode: UInt64
    let size: Int64
    let mtimeNanos: Int64

    init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        mtimeNanos = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
    }
}

public enum AtomicFile {
    /// Writes every byte; the error text on failure.
    static func writeAll(_ fd: Int32, _ data: Data) -> String? {
        var failure: String?
        data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += n
            }
        }
        return failure
    }

    static func syncDirectory(_ dir: String) {
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }

    public static func write(_ data: Data, to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let tmp = "\(path).tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError("cannot write in \(dir): \(String(cString: strerror(errno))); nothing was changed") }
        let failure = writeAll(fd, data) ?? (fsync(fd) != 0 ? String(cString: strerror(errno)) : nil)
        close(fd)
        if let failure {
            unlink(tmp)
            throw StoreError("cannot write \(path): \(failure); the previous state was kept")
        }
        guard rename(tmp, path) == 0 else {
            let m = String(cString: strerror(errno))
            unlink(tmp)
            throw StoreError("cannot replace \(path): \(m); the previous state was kept")
        }
        syncDirectory(dir)
    }
}
