import Cloud
import Foundation
import Shell
import Store
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs a runbook's bash (a `bash`/`sh`/`console` block, or a Learn line using pipes) in real
/// bash, against the run's world: the world goes into a private state directory, an `az` shim
/// (a link to keydrill) goes first on PATH with the runbook's variables exported, and the world
/// bash's `az` calls left comes back into the session. The exit status is bash's.
///
/// The step's directory holds a copy of the world (key material), so it lives in the state
/// directory's private `tmp/`, not in the shared temporary directory. Bash runs in a process
/// group of its own, ended with keydrill: a signal that stops keydrill stops it, and a step a
/// kill left behind (its lock free, its group still running) is ended and removed by the next
/// run in that state directory.
struct BashStep {
    /// The keydrill executable the shim links to.
    let keydrill: String
    let stateDirectory: String

    struct Outcome {
        var stdout = ""
        var stderr = ""
        var exitCode: Int32 = 0
    }

    static func area(_ stateDirectory: String) -> String { stateDirectory + "/tmp" }

    func run(_ script: String, session: Session, environment: [String: String]) -> Outcome {
        var o = Outcome()
        let dir = Self.area(stateDirectory) + "/bash-\(UUID().uuidString)"
        var lock: Int32 = -1
        defer {
            try? FileManager.default.removeItem(atPath: dir)
            if lock >= 0 { close(lock) }
        }
        do {
            try Self.makePrivateArea(stateDirectory)
            try FileManager.default.createDirectory(
                atPath: dir + "/bin", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            lock = open(dir + "/lock", O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard lock >= 0, flock(lock, LOCK_EX | LOCK_NB) == 0 else {
                throw StoreError("cannot lock \(dir): \(String(cString: strerror(errno)))")
            }
            try FileManager.default.createSymbolicLink(atPath: dir + "/bin/az", withDestinationPath: keydrill)
            let world = session.world
            try StateDirectory(path: dir + "/state").transaction { $0 = world }
        } catch {
            o.stderr = "ERROR: cannot prepare bash's state directory: \(error)\n"
            o.exitCode = 1
            return o
        }
        var env = environment
        for (k, v) in session.variables
        where k.range(of: #"^[A-Za-z_][A-Za-z0-9_]*$"#, options: .regularExpression) != nil {
            env[k] = v
        }
        env["PATH"] = dir + "/bin:" + (environment["PATH"] ?? "/usr/bin:/bin")
        env["KEYDRILL_STATE"] = dir + "/state"
        // -e: the block stops at its first failing command, as a CI step does.
        switch ProcessGroup.run(["/bin/bash", "-e", "-c", script], environment: env) {
        case .failure(let e):
            o.stderr = "ERROR: cannot run bash: \(e.message)\n"
            o.exitCode = 127
            return o
        case .success(let r):
            (o.stdout, o.stderr, o.exitCode) = (r.stdout, r.stderr, r.status)
        }
        do {
            // Decoded whole, so nothing reads the private directory once it is gone.
            guard let left = try StateDirectory(path: dir + "/state").load() else { return o }
            let data = try JSONEncoder().encode(left)
            try session.adopt(world: try JSONDecoder().decode(World.self, from: data))
        } catch {
            o.stderr += "ERROR: cannot read back the world bash left: \(error)\n"
            o.exitCode = 1
        }
        return o
    }

    /// `tmp/` is the state directory's own, mode 0700; a link planted there is refused.
    static func makePrivateArea(_ stateDirectory: String) throws {
        let path = area(stateDirectory)
        var st = stat()
        if lstat(path, &st) == 0 {
            guard st.st_mode & S_IFMT == S_IFDIR else {
                throw StoreError("\(path) is not a directory (a link?); keydrill does not follow it. Remove it.")
            }
            return
        }
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// Ends and removes what a killed run's bash steps left: a step directory whose lock nobody
    /// holds, and whatever still runs against it.
    static func sweep(_ stateDirectory: String) {
        let path = area(stateDirectory)
        var st = stat()
        guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFDIR,
            let names = try? FileManager.default.contentsOfDirectory(atPath: path)
        else { return }
        for name in names where name.hasPrefix("bash-") {
            let dir = path + "/" + name
            let fd = open(dir + "/lock", O_RDWR | O_NOFOLLOW | O_CLOEXEC)
            if fd >= 0 {
                defer { close(fd) }
                guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue }
            }
            ProcessGroup.endRunning(marker: "KEYDRILL_STATE=\(dir)/state")
            try? FileManager.default.removeItem(atPath: dir)
        }
    }
}

/// A child in a process group of its own, so that it and everything it starts can be ended
/// together: on a signal that ends keydrill, and by the next run when keydrill was killed.
enum ProcessGroup {
    struct Result {
        var stdout: String
        var stderr: String
        var status: Int32
    }

    /// The group running now (0: none), for the signal handler.
    private static let current = Atomic<Int32>(0)
    private static let signals = [SIGINT, SIGTERM, SIGHUP]

    static func run(_ argv: [String], environment: [String: String]) -> Swift.Result<Result, StoreError> {
        var out: [Int32] = [0, 0], err: [Int32] = [0, 0]
        guard pipe(&out) == 0, pipe(&err) == 0 else { return .failure(StoreError(String(cString: strerror(errno)))) }
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        for fd in out + err { posix_spawn_file_actions_addclose(&actions, fd) }
        // Nothing else keydrill holds open (the state's lock, the pipes of whoever started
        // keydrill) reaches bash, or a script's background job would hold them after keydrill ends.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            if let fd = Int32(name), fd > 2, !(out + err).contains(fd) {
                _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
            }
        }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in signals { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        let args = argv.map { strdup($0) } + [nil]
        let env = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (args + env).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, args, env)
        close(out[1])
        close(err[1])
        guard spawned == 0 else {
            close(out[0])
            close(err[0])
            return .failure(StoreError(String(cString: strerror(spawned))))
        }
        current.store(pid, ordering: .relaxed)
        installHandlers()
        defer {
            current.store(0, ordering: .relaxed)
            restoreHandlers()
        }
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        let errFD = err[0]
        DispatchQueue.global().async(group: group) {
            errData = FileHandle(fileDescriptor: errFD, closeOnDealloc: true).readDataToEndOfFile()
        }
        let outData = FileHandle(fileDescriptor: out[0], closeOnDealloc: true).readDataToEndOfFile()
        group.wait()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        // Whatever the script left running in the background ends with it.
        killpg(pid, SIGKILL)
        let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return .success(
            Result(
                stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self),
                status: code))
    }

    nonisolated(unsafe) private static var previous: [Int32: sigaction] = [:]

    private static func installHandlers() {
        for s in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in
                let group = ProcessGroup.current.load(ordering: .relaxed)
                if group > 0 { killpg(group, SIGKILL) }
                // Then end as the signal would have ended keydrill.
                Glibc.signal(signal, SIG_DFL)
                raise(signal)
            }
            var old = sigaction()
            sigaction(s, &action, &old)
            previous[s] = old
        }
    }

    private static func restoreHandlers() {
        for (s, old) in previous {
            var o = old
            sigaction(s, &o, nil)
        }
        previous = [:]
    }

    /// Ends every process still running against `dir` (its environment names the step's state
    /// directory), with its group: a kill can come before keydrill has recorded anything, so
    /// the processes are found by what they carry, and an unrelated one is never touched.
    static func endRunning(marker: String) {
        let mine = getpid()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(name), pid > 1, pid != mine,
                let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ"),
                environ.split(separator: 0).contains(where: { String(decoding: $0, as: UTF8.self) == marker })
            else { continue }
            let group = getpgid(pid)
            if group > 1, group != getpgrp() { killpg(group, SIGKILL) } else { kill(pid, SIGKILL) }
        }
    }
}
