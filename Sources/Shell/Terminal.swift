import AzureCLI
import Cloud
@preconcurrency import Foundation
@preconcurrency import Glibc

public enum Terminal {
    public static var isInteractive: Bool { isatty(0) == 1 && isatty(1) == 1 }

    /// The terminal's width, 80 when it cannot say.
    static var columns: Int {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
    public static func traits(environment: [String: String]) -> TerminalTraits {
        let tty = isatty(1) == 1
        let color = tty && (environment["NO_COLOR"] ?? "").isEmpty
        let confirm: (@Sendable (String) -> Bool)? = isatty(0) == 1 ? askYesNo : nil
        return TerminalTraits(stdoutIsTerminal: tty, colorAllowed: color, confirm: confirm)
    }

    /// az's y/N confirmation on a terminal. Read with read(2), not readLine: Ctrl-C interrupts
    /// the read (EINTR) and means no, where Swift's readLine retries on a stream whose error
    /// flag stays set and spins.
    @Sendable public static func askYesNo(_ question: String) -> Bool {
        StandardStreams.err(question)
        var answer = [UInt8]()
        var byte: UInt8 = 0
        while true {
            let n = read(0, &byte, 1)
            if n < 0 {
                // Ctrl-C answers the question; it does not interrupt the command after it.
                Interruption.clear()
                StandardStreams.err("\n")
                return false
            }
            if n == 0 || byte == UInt8(ascii: "\n") { break }
            answer.append(byte)
        }
        let text = String(decoding: answer, as: UTF8.self).lowercased().trimmingCharacters(in: .whitespaces)
        return ["y", "yes"].contains(text)
    }
}

/// Standard output and error, written without naming the C globals `stdout` and `stderr`, which
/// strict concurrency refuses in some of this module's compilation batches even under
/// `@preconcurrency import`.
enum StandardStreams {
    /// Through Swift's `print`, which shares the C stream's buffer with `fputs` and `print` elsewhere.
    static func out(_ s: String) { print(s, terminator: "") }

    /// Buffered output first (every C stream flushed), so the two interleave as they were written.
    static func err(_ s: String) {
        fflush(nil)
        FileHandle.standardError.write(Data(s.utf8))
    }
}
