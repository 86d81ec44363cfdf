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

/// The state directory, under an exclusive lock, files mode 0600 because they hold key material:
/// - `world.json`: the snapshot's core (everything but the tables), with its format version,
///   generation and checksum (`SealedCore`), replaced atomically;
/// - `tables-GENERATION.bin`: the snapshot's tables (keys, deleted keys, the audit log), entry by
///   entry with an index, read on demand (`TableFile`);
/// - `journal.bin`: what each command changed since the snapshot, one durable record per command
///   (`Journal`), folded into a new snapshot when it has grown.
/// Loading reads the core and the journal's record headers; a command then reads only the
/// entries it uses and appends only what it changed.
public final class StateDirectory: @unchecked Sendable {
    public static let formatName = "keydrill-world"
    public static let formatVersion = 3

    public let path: String
    private var lockFD: Int32 = -1

    public var worldPath: String { path + "/world.json" }
    public var journalPath: String { path + "/journal.bin" }
    func tablesPath(_ generation: Int) -> String { path + "/tables-\(generation).bin" }

    /// The directory as last read or written by this process.
    private struct Loaded {
        var worldStamp: FileStamp
        var journalStamp: FileStamp?
        var generation: Int
        /// The format read; below the current one, the next save writes a snapshot.
        var format: Int
        var world: World
        /// Where the next journal record goes; 0 when the journal must be (re)started.
        var journalLength: Int
        var snapshotBytes: Int
        /// The size of the last whole core written, and the patch bytes journaled since: a record
        /// carries the whole core again once the patches outweigh it, so loading decodes at most
        /// one core and patches of about its size, however long the journal.
        var coreBytes: Int
        var patchBytesSinceCore: Int
        /// Where each journal record ends.
        var recordEnds: [Int] = []
    }
    private var loaded: Loaded?

    public init(path: String, keepsHistory: Bool = false) throws {
        self.path = path
        self.keepsHistory = keepsHistory
        try Self.makeDirectory(path)
    }

    /// A directory that keeps every change as its own journal record, never folded, so the world
    /// as of any earlier record can be loaded (`load(records:)`): a runbook run's checkpoints,
    /// where a step costs what it changed, not the size of the world.
    public let keepsHistory: Bool

    /// How many journal records the world as last read or written has.
    public var recordCount: Int { loaded?.recordEnds.count ?? 0 }

    deinit { if lockFD >= 0 { close(lockFD) } }

    static func makeDirectory(_ path: String) throws {
        var st = stat()
        if lstat(path, &st) == 0 {
            try checkOwnDirectory(path, st)
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError("cannot create the state directory \(path): \(Self.reason(error))")
        }
    }

    /// The state directory must be the user's own: a link could send writes elsewhere, and a
    /// directory others may write in lets them plant links or replace the world.
    static func checkOwnDirectory(_ path: String, _ st: stat) throws {
        let type = st.st_mode & S_IFMT
        if type == S_IFLNK {
            throw StoreError(
                "the state directory \(path) is a symbolic link; keydrill does not follow it. Give the directory it "
                    + "points to with --state."
            )
        }
        guard type == S_IFDIR else { throw StoreError("state path \(path) exists and is not a directory") }
        if st.st_mode & S_IWOTH != 0 {
            throw StoreError(
                "the state directory \(path) is writable by every user, who could replace the world or plant links "
                    + "in it; keydrill will not use it. Run 'chmod o-w \(path)' or choose another --state."
            )
        }
        if st.st_uid != geteuid(), st.st_mode & S_IWGRP != 0 {
            throw StoreError(
                "the state directory \(path) belongs to another user and is writable by its group; keydrill will not "
                    + "use it. Choose another --state."
            )
        }
    }

    /// Opens a file of the directory for reading, never through a link planted at its name.
    static func openForReading(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ELOOP {
                throw StoreError("\(path) is a symbolic link; keydrill will not follow it. Remove it.")
            }
            throw StoreError("cannot read \(path): \(String(cString: strerror(errno))); keydrill will not overwrite it")
        }
        return fd
    }

    static func readPrivateFile(_ path: String) throws -> Data {
        let fd = try openForReading(path)
        defer { close(fd) }
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else {
                throw StoreError(
                    "cannot read \(path): \(String(cString: strerror(errno))); keydrill will not overwrite it")
            }
            if n == 0 { return data }
            data.append(contentsOf: chunk[0..<n])
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
        warning = nil
        var world = try load() ?? World.new(now: Date())
        let result = try body(&world)
        try checkEntries()
        try save(world)
        return result
    }

    /// Every set of stored entries this directory handed out, to find an unreadable one.
    private var sources = [WeakEntries]()
    private struct WeakEntries { weak var entries: StoredEntries? }

    /// Throws the first unreadable entry a command met (it saw "no entry" there), so nothing it
    /// did is written and its output gives way to the corruption message.
    public func checkEntries() throws {
        sources.removeAll { $0.entries == nil }
        for s in sources { if let f = s.entries?.fault { throw f } }
    }

    /// Reads the world, or nil when the directory has none yet. Unchanged files since the last
    /// read or write by this process are not read again.
    public func load() throws -> World? { try load(upTo: nil) }

    /// The world as of the first `records` journal records; the next change is appended after
    /// them, replacing the later ones.
    public func load(records: Int) throws -> World? { try load(upTo: records) }

    private func load(upTo limit: Int?) throws -> World? {
        guard let stamp = FileStamp(path: worldPath) else {
            loaded = nil
            return nil
        }
        let journalStamp = FileStamp(path: journalPath)
        if limit == nil, let l = loaded, l.worldStamp == stamp, l.format == 1 || l.journalStamp == journalStamp {
            return l.world
        }
        let data = try Self.readPrivateFile(worldPath)
        let header = try Self.header(data, path: worldPath)
        switch SealedCore.verify(data) {
        case .some(false):
            throw StoreError(
                "the state file \(worldPath) is corrupt (it fails its checksum) and was not loaded; keydrill will "
                    + "not overwrite it. Move the state directory away to start a new world, or use --state DIR."
            )
        case nil where header.version >= 3:
            throw StoreError(
                "the state file \(worldPath) is corrupt (its checksum is missing) and was not loaded; keydrill will "
                    + "not overwrite it. Move the state directory away to start a new world, or use --state DIR."
            )
        default:
            break
        }
        if header.version == 1 {
            let world = try LegacyFormat.load(data, path: worldPath, generation: header.generation, directory: path)
            loaded = Loaded(
                worldStamp: stamp, journalStamp: nil, generation: header.generation, format: 1, world: world,
                journalLength: 0, snapshotBytes: data.count, coreBytes: data.count, patchBytesSinceCore: 0)
            return world
        }
        let snapshot = try TableFile(path: tablesPath(header.generation), generation: header.generation)
        var journal: MappedFile?
        var scan = Journal.Scan()
        if journalStamp != nil {
            journal = try MappedFile(path: journalPath)
            scan = try Journal.scan(journal!, generation: header.generation)
            if let limit, limit < scan.records.count {
                scan.records = Array(scan.records.prefix(limit))
                scan.validLength = scan.records.last?.end ?? Journal.headerSize
            }
        }
        // The latest whole core, then the patches after it.
        var world: World
        var coreBytes = data.count
        var patchBytes = 0
        let lastWhole = scan.records.lastIndex { $0.coreKind == .whole }
        if let lastWhole {
            let r = scan.records[lastWhole]
            world = try decodeCore(
                World.self, journal!.data(r.core.offset, r.core.length), what: "the journal \(journalPath)")
            coreBytes = r.core.length
        } else {
            world = try decodeCore(Envelope.self, data, what: "the state file \(worldPath)").world
        }
        for r in scan.records[((lastWhole ?? -1) + 1)...] where r.coreKind == .patch {
            world.apply(
                try decodeCore(
                    WorldPatch.self, journal!.data(r.core.offset, r.core.length), what: "the journal \(journalPath)"))
            patchBytes += r.core.length
        }
        let entries = StoredEntries(snapshot: snapshot, journal: journal, records: scan.records)
        sources.append(WeakEntries(entries: entries))
        world.attachTables({ entries.view($0) }, auditCount: entries.count(.audit))
        let format = header.version < 3 || snapshot.isLegacy || scan.legacy ? 2 : Self.formatVersion
        loaded = Loaded(
            worldStamp: stamp, journalStamp: journalStamp, generation: header.generation, format: format, world: world,
            journalLength: scan.stale ? 0 : scan.validLength, snapshotBytes: data.count + snapshot.file.count,
            coreBytes: coreBytes, patchBytesSinceCore: patchBytes, recordEnds: scan.records.map(\.end))
        return world
    }

    private struct Envelope: Codable {
        var format: String
        var version: Int
        var generation: Int?
        var world: World
    }

    private func decodeCore<T: Decodable>(_ type: T.Type, _ data: Data, what: String) throws -> T {
        do {
            return try StoreCoding.decoder.decode(type, from: data)
        } catch {
            throw StoreError(
                "\(what) is corrupt (\(error)); keydrill will not overwrite it. Move the state directory away to "
                    + "start a new world, or use --state DIR."
            )
        }
    }

    static func header(_ data: Data, path: String) throws -> (version: Int, generation: Int) {
        struct Header: Decodable { let format: String; let version: Int; let generation: Int? }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data)
        } catch {
            throw StoreError(
                "the state file \(path) is corrupt or truncated (\(data.count) bytes) and was not loaded; keydrill "
                    + "will not overwrite it. Move it away to start a new world, or use --state DIR."
            )
        }
        guard header.format == formatName else {
            throw StoreError(
                "\(path) is not a keydrill state file (format '\(header.format)'); keydrill will not overwrite it")
        }
        guard header.version <= formatVersion else {
            throw StoreError(
                "the state file \(path) was written by a newer keydrill (format version \(header.version); this "
                    + "keydrill reads up to \(formatVersion)); upgrade keydrill. The file was not changed."
            )
        }
        return (header.version, header.generation ?? 0)
    }

    /// The journal is folded into a new snapshot once it is half the snapshot's size (at least
    /// 4 MiB, at most 32 MiB), so loading never reads more than a bounded journal and a fold's
    /// cost is spread over the commands that grew it.
    private func journalIsFull(_ l: Loaded) -> Bool {
        if keepsHistory { return false }
        return l.journalLength >= journalLimit ?? max(4 << 20, min(l.snapshotBytes / 2, 32 << 20))
    }

    /// Tests set a small limit to fold often.
    var journalLimit: Int?

    /// What the last transaction could not keep although its command succeeded: the audit
    /// records of a read in a directory this user may not write.
    public private(set) var warning: String?

    /// Appends what changed to the journal (one record, fdatasync), or writes a new snapshot when
    /// the journal is full. A crash leaves the world before or after the command.
    public func save(_ world: World) throws {
        guard let l = loaded else {
            try writeSnapshot(world)
            return
        }
        let encoder = StoreCoding.encoder
        let patch = WorldPatch(from: l.world, to: world)
        var entries = [(table: WorldTable, key: String, value: Data?)]()
        let before = l.world.storedTables, after = world.storedTables
        for id in after.keys.sorted() {
            let t = after[id]!
            for c in try t.changes(since: before[id], encoder: encoder).sorted(by: { $0.key < $1.key }) {
                entries.append((t.table, c.key, c.value))
            }
        }
        for id in before.keys.sorted() where after[id] == nil {
            let t = before[id]!
            for k in t.allKeys { entries.append((t.table, k, nil)) }
        }
        try checkEntries()
        // What a read only observed (a state seen for the first time, a key's expiry falling due)
        // is written with the next change: it is observed again then, dated when it happened.
        if patch.isEmpty || patch.onlyObserves, entries.isEmpty { return }
        do {
            if l.format != Self.formatVersion || journalIsFull(l) {
                try writeSnapshot(world)
            } else {
                try append(patch: patch, entries: entries, world: world, to: l)
            }
        } catch let e as StoreError
            where patch.isEmpty && entries.allSatisfy({ $0.table == .audit || $0.table == .auditRuns })
        {
            // A read (key show, key list) appends only its audit records: serve it, and say
            // what was not kept, rather than refuse a read in a directory one may only read.
            warning = "the audit record of this command was not kept: \(e.message)"
        }
    }

    private func append(
        patch: WorldPatch, entries: [(table: WorldTable, key: String, value: Data?)], world: World,
        to l: Loaded
    ) throws {
        var next = l
        var kind = Journal.CoreKind.none
        var core = Data()
        if !patch.isEmpty {
            core = try StoreCoding.encoder.encode(patch)
            kind = .patch
            if l.patchBytesSinceCore + core.count > max(4096, l.coreBytes) {
                core = try StoreCoding.encoder.encode(world.core)
                kind = .whole
                next.coreBytes = core.count
                next.patchBytesSinceCore = 0
            } else {
                next.patchBytesSinceCore += core.count
            }
        }
        var bytes = Journal.record(coreKind: kind, core: core, entries: entries)
        let fresh = l.journalLength == 0
        if fresh { bytes = Journal.header(generation: l.generation) + bytes }
        let fd = open(journalPath, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError("cannot write in \(path): \(String(cString: strerror(errno))); nothing was changed")
        }
        defer { close(fd) }
        // Drop a torn tail (or a stale journal) before appending.
        if ftruncate(fd, off_t(l.journalLength)) != 0 || lseek(fd, off_t(l.journalLength), SEEK_SET) < 0 {
            throw StoreError(
                "cannot write \(journalPath): \(String(cString: strerror(errno))); the previous state was kept")
        }
        if let failure = AtomicFile.writeAll(fd, bytes) ?? (fdatasync(fd) != 0 ? String(cString: strerror(errno)) : nil)
        {
            _ = ftruncate(fd, off_t(l.journalLength))
            throw StoreError("cannot write \(journalPath): \(failure); the previous state was kept")
        }
        if fresh { AtomicFile.syncDirectory(path) }
        next.world = world
        next.journalLength += bytes.count
        next.recordEnds.append(next.journalLength)
        next.journalStamp = FileStamp(path: journalPath)
        loaded = next
    }

    /// A new snapshot: the tables file (durable), then `world.json` naming it, replaced
    /// atomically; only then are the old tables and the journal removed. A crash in between
    /// leaves the old snapshot and its journal, or the new snapshot and a journal of the old
    /// generation, which is ignored.
    private func writeSnapshot(_ world: World) throws {
        let generation = (loaded?.generation ?? 0) + 1
        let encoder = StoreCoding.encoder
        var byTable = [WorldTable: [(key: String, value: Data)]]()
        for t in world.storedTables.values { byTable[t.table, default: []] += try t.allEntries(encoder: encoder) }
        try checkEntries()
        let tables = WorldTable.allCases.map { t in
            (t, (byTable[t] ?? []).sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) })
        }
        let tablesPath = tablesPath(generation)
        try TableFile.write(path: tablesPath, generation: generation, tables: tables)
        let core = SealedCore.seal(
            try StoreCoding.encoder.encode(
                Envelope(
                    format: Self.formatName, version: Self.formatVersion, generation: generation, world: world.core)))
        do {
            try AtomicFile.write(core, to: worldPath)
        } catch {
            unlink(tablesPath)
            throw error
        }
        unlink(journalPath)
        unlink(path + "/" + LegacyFormat.journalName)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        where name.hasPrefix("tables-") && name.hasSuffix(".bin") && name != "tables-\(generation).bin" {
            unlink(path + "/" + name)
        }
        let tablesBytes = (try? FileManager.default.attributesOfItem(atPath: tablesPath)[.size] as? Int) ?? 0
        loaded = Loaded(
            worldStamp: FileStamp(path: worldPath)!, journalStamp: nil, generation: generation,
            format: Self.formatVersion, world: world,
            journalLength: 0, snapshotBytes: core.count + tablesBytes, coreBytes: core.count, patchBytesSinceCore: 0)
    }

    /// Empties the directory (the world, the journal, run records, checkpoints) under its lock,
    /// so the next command starts a new world; the directory itself and its lock stay.
    public func reset() throws {
        try lock(timeout: 30)
        defer { unlock() }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] where name != "lock" {
            do {
                try FileManager.default.removeItem(atPath: path + "/" + name)
            } catch {
                throw StoreError("cannot remove \(path)/\(name): \(Self.reason(error))")
            }
        }
        AtomicFile.syncDirectory(path)
        loaded = nil
    }

    private func lock(timeout: Double) throws {
        if lockFD < 0 {
            lockFD = open(path + "/lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
            // A directory the user may only read still serves reads: flock works on a read-only
            // descriptor, and a change fails later with a clear error.
            if lockFD < 0, errno == EACCES || errno == EROFS {
                lockFD = open(path + "/lock", O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            }
            if lockFD < 0, errno == ELOOP {
                throw StoreError("\(path)/lock is a symbolic link; keydrill will not follow it. Remove it.")
            }
            guard lockFD >= 0 else {
                throw StoreError("cannot open the lock file in \(path): \(String(cString: strerror(errno)))")
            }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(lockFD, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                throw StoreError("cannot lock \(path): \(String(cString: strerror(errno)))")
            }
            guard Date() < deadline else {
                throw StoreError(
                    "another keydrill process has held the state directory \(path) for \(Int(timeout)) s; nothing "
                        + "was changed"
                )
            }
            usleep(5_000)
        }
        if !swept {
            swept = true
            removeAbandonedTemporaries()
        }
    }

    private var swept = false

    /// A temporary file in the directory is a write that a killed process left unfinished:
    /// writers hold the lock while they write, and this process holds it now.
    private func removeAbandonedTemporaries() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] where name.contains(".tmp-") {
            unlink(path + "/" + name)
        }
    }

    private func unlock() { if lockFD >= 0 { flock(lockFD, LOCK_UN) } }
}
