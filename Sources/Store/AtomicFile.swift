import Foundation
#if canImport(Glibc)
import Glibc
#endif

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

    /// Appends every byte to a descriptor opened by the caller; the error text on failure.
    public static func appendAll(_ fd: Int32, _ data: Data) -> String? { writeAll(fd, data) }

    static func syncDirectory(_ dir: String) {
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }

    /// Replaces `path` with `data` (mode 0600) or leaves it as it was. The temporary file is
    /// created afresh, never opened through a link planted at its name, and the rename replaces
    /// a link at `path` rather than writing where it points.
    public static func write(_ data: Data, to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let tmp = "\(path).tmp-\(getpid())"
        unlink(tmp)
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError("cannot write in \(dir): \(String(cString: strerror(errno))); nothing was changed")
        }
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
