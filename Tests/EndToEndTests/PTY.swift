@preconcurrency import Foundation
@preconcurrency import Glibc
import XCTest

/// The built binary on a pseudo-terminal, the way a person meets the interactive shell:
/// openpty, posix_spawn as a session leader with the terminal as stdin/stdout/stderr, default
/// signal dispositions (test threads may block SIGINT), and a reader with timeouts.
final class PTYChild {
    let master: Int32
    let pid: pid_t
    private(set) var output = ""

    /// keydrill's shell on a state directory, with its own history file and no colour.
    static func keydrill(state: String, history: String) throws -> PTYChild {
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm"
        env["LANG"] = "C.UTF-8"
        env["NO_COLOR"] = "1"
        env["KEYDRILL_HISTORY"] = history
        return try PTYChild(arguments: [Binary.url.path, "--state", state], environment: env)
    }

    init(arguments: [String], environment: [String: String]) throws {
        var m: Int32 = 0, s: Int32 = 0
        var name = [CChar](repeating: 0, count: 128)
        var size = winsize(ws_row: 24, ws_col: 120, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&m, &s, &name, nil, &size) == 0 else { throw POSIXError(.EIO) }
        _ = fcntl(m, F_SETFD, FD_CLOEXEC)
        _ = fcntl(s, F_SETFD, FD_CLOEXEC)
        master = m
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 0, name, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGINT, SIGQUIT, SIGTSTP, SIGWINCH, SIGPIPE, SIGTERM, SIGHUP] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        // POSIX_SPAWN_SETSID is behind _GNU_SOURCE: 0x80 in glibc.
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | 0x80))
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        var child: pid_t = 0
        let rc = posix_spawn(&child, arguments[0], &actions, &attr, argv, envp)
        argv.forEach { free($0) }
        envp.forEach { free($0) }
        posix_spawn_file_actions_destroy(&actions)
        posix_spawnattr_destroy(&attr)
        close(s)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        pid = child
    }

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        close(master)
    }

    func send(_ text: String) {
        var bytes = Array(text.utf8)
        _ = write(master, &bytes, bytes.count)
    }

    private func pump(for seconds: Double) {
        var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&fds, 1, Int32(seconds * 1000)) > 0 else { return }
        var buf = [UInt8](repeating: 0, count: 4096)
        let n = read(master, &buf, buf.count)
        if n > 0 { output += String(decoding: buf[0..<n], as: UTF8.self) }
    }

    /// Waits until the output since `from` contains `needle`; returns the index after it.
    @discardableResult
    func expect(
        _ needle: String, after from: String.Index? = nil, timeout: Double = 10, file: StaticString = #filePath,
        line: UInt = #line
    ) -> String.Index? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let start = from ?? output.startIndex
            if let r = output[start...].range(of: needle) { return r.upperBound }
            pump(for: 0.05)
        }
        XCTFail(
            "timed out waiting for \(needle.debugDescription); got \(output.debugDescription)", file: file, line: line)
        return nil
    }

    /// After a prompt: wait until libedit has put the terminal in raw mode, so keys are not
    /// handled by the canonical line discipline first.
    func waitForRawMode(timeout: Double = 5) {
        let deadline = Date().addingTimeInterval(timeout)
        var t = termios()
        while Date() < deadline {
            if tcgetattr(master, &t) == 0, t.c_lflag & tcflag_t(ICANON) == 0 { return }
            usleep(1000)
        }
    }

    func prompt(after from: String.Index? = nil) -> String.Index? {
        let i = expect("> ", after: from)
        waitForRawMode()
        return i
    }

    func waitForExit(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while Date() < deadline {
            pump(for: 0.02)
            if waitpid(pid, &status, WNOHANG) == pid { return (status >> 8) & 0xff }
        }
        return nil
    }
}
