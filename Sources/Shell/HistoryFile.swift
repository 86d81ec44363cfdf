import Foundation
import Store
#if canImport(Glibc)
import Glibc
#endif

/// The interactive shell's history file: one entry a line, appended (mode 0600) the moment it is
/// entered, so a closed terminal or a kill loses nothing. Plain text, as bash and psql keep it:
/// a backslash is written `\\` and a line break inside an entry (a continued line) `\n`. A link
/// at the path is refused, never followed. libedit's own format (`_HiStOrY_V2_`, spaces as
/// `\040`), which earlier keydrills wrote, is still read.
struct HistoryFile {
    let path: String
    /// Entries kept; the file is rewritten to the newest ones when it holds twice as many.
    let limit: Int

    enum Problem: Error, CustomStringConvertible {
        case link(String)
        var description: String {
            switch self {
            case .link(let p):
                return "the history file \(p) is a symbolic link; keydrill does not follow it, so history is not kept"
            }
        }
    }

    init(path: String, limit: Int = 1000) throws {
        self.path = path
        self.limit = limit
        var st = stat()
        if lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFLNK { throw Problem.link(path) }
    }

    func load() -> [String] {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        let data = FileHandle(fileDescriptor: fd, closeOnDealloc: true).readDataToEndOfFile()
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).map(
            String.init)
        let libedit = lines.first == "_HiStOrY_V2_"
        if libedit { lines.removeFirst() }
        var entries = lines.map { libedit ? Self.unvis($0) : Self.decode($0) }
        if entries.count > 2 * limit || libedit {
            entries = Array(entries.suffix(limit))
            try? AtomicFile.write(Data(entries.map { Self.encode($0) + "\n" }.joined().utf8), to: path)
        }
        return Array(entries.suffix(limit))
    }

    func append(_ entry: String) {
        let dir = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(
            atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = AtomicFile.appendAll(fd, Data((Self.encode(entry) + "\n").utf8))
    }

    static func encode(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func decode(_ s: String) -> String {
        var out = ""
        var escaped = false
        for ch in s {
            if escaped {
                out.append(ch == "n" ? "\n" : ch)
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else {
                out.append(ch)
            }
        }
        return out
    }

    /// libedit's strvis encoding: `\ooo` octal escapes and `\\`.
    static func unvis(_ s: String) -> String {
        var bytes = [UInt8]()
        let u = Array(s.utf8)
        var i = 0
        while i < u.count {
            if u[i] == UInt8(ascii: "\\"), i + 4 <= u.count,
                let n = UInt8(String(decoding: u[(i + 1)..<(i + 4)], as: UTF8.self), radix: 8)
            {
                bytes.append(n)
                i += 4
            } else if u[i] == UInt8(ascii: "\\"), i + 1 < u.count {
                bytes.append(u[i + 1])
                i += 2
            } else {
                bytes.append(u[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
