import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a report goes, as the user named it. A regular file (or a new name) is replaced whole,
/// atomically; a stream is written in place: a character device (a terminal, `/dev/null`), a
/// FIFO, or this process's own standard output or error (`/dev/stdout`, `/dev/fd/1`), which a
/// rename would replace with a plain file, or fail on where the directory is not writable. A
/// directory, any other kind of file, and any path inside a keydrill state directory (this run's
/// or another) are refused with the reason, before anything runs.
public enum OutputTarget: Sendable, Equatable {
    case file(String)
    case device(String)
    case descriptor(Int32)

    public static func resolve(_ path: String) throws -> OutputTarget {
        if let fd = standardStream(path) { return .descriptor(fd) }
        var st = stat()
        guard stat(path, &st) == 0 else {
            try refuseInsideStateDirectory(path)
            return .file(path)
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG:
            try refuseInsideStateDirectory(path)
            return .file(path)
        case S_IFCHR, S_IFIFO: return .device(path)
        case S_IFDIR: throw StoreError("\(path) is a directory; name a file to write")
        default: throw StoreError("\(path) is neither a regular file, a character device nor a FIFO; name a file")
        }
    }

    /// The process's own descriptor a name stands for: `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`,
    /// `/proc/self/fd/N` (N 1 or 2).
    static func standardStream(_ path: String) -> Int32? {
        switch URL(fileURLWithPath: path).standardizedFileURL.path {
        case "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1": return 1
        case "/dev/stderr", "/dev/fd/2", "/proc/self/fd/2": return 2
        default: return nil
        }
    }

    /// A state directory is known by its world file; the folder the file would land in and each
    /// folder above it are looked at, links resolved, so no name reaches one by another way.
    static func refuseInsideStateDirectory(_ path: String) throws {
        var dir = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        // A folder not made yet lies in the nearest one that is.
        while true {
            if let real = realpath(dir.path, nil) {
                dir = URL(fileURLWithPath: String(cString: real))
                free(real)
                break
            }
            let up = dir.deletingLastPathComponent()
            if up.path == dir.path { return }
            dir = up
        }
        while true {
            if isStateDirectory(dir.path) {
                throw StoreError(
                    "\(path) is inside the keydrill state directory \(dir.path), whose files keydrill alone writes; "
                        + "choose a file outside it")
            }
            let up = dir.deletingLastPathComponent()
            if up.path == dir.path { return }
            dir = up
        }
    }

    static func isStateDirectory(_ dir: String) -> Bool {
        let fd = open(dir + "/world.json", O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 64)
        let n = head.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
        return n > 0 && String(decoding: head.prefix(n), as: UTF8.self).contains("\"\(StateDirectory.formatName)\"")
    }

    public func write(_ data: Data) throws {
        switch self {
        case .file(let path): try AtomicFile.write(data, to: path)
        case .device(let path):
            let fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
            guard fd >= 0 else { throw StoreError("cannot open \(path): \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            if let failure = AtomicFile.writeAll(fd, data) { throw StoreError("cannot write \(path): \(failure)") }
        case .descriptor(let fd):
            // What the process printed before comes first.
            fflush(nil)
            if let failure = AtomicFile.writeAll(fd, data) {
                throw StoreError("cannot write to descriptor \(fd): \(failure)")
            }
        }
    }
}
