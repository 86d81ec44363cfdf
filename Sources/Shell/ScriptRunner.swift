@preconcurrency import Foundation
@preconcurrency import Glibc

/// Runs lines one logical line at a time (a trailing `\` or an open quote joins the next line),
/// printing as it goes. It stops at the first failing line unless told to keep going, and answers
/// the first failure's exit code (0 when every line passed).
public struct ScriptRunner {
    public let session: Session
    public let keepGoing: Bool
    let output: OutputSink

    public init(session: Session, keepGoing: Bool, output: OutputSink = .standard) {
        self.session = session
        self.keepGoing = keepGoing
        self.output = output
    }

    public func run(lines: some Sequence<String>) -> Int32 {
        var firstFailure: Int32 = 0
        var pending = ""
        var lineNumber = 0
        for physical in lines {
            lineNumber += 1
            pending = pending.isEmpty ? physical : pending + "\n" + physical
            if LineLexer.needsContinuation(pending) { continue }
            let text = pending
            pending = ""
            let o = session.execute(text)
            output.write(o)
            if o.exitRequested { return firstFailure != 0 ? firstFailure : o.exitCode }
            if o.exitCode != 0 {
                if firstFailure == 0 { firstFailure = o.exitCode }
                if !keepGoing { return o.exitCode }
            }
        }
        if !pending.isEmpty {
            // The input ended inside a quote or after a trailing backslash: run what there is, so
            // the user gets the lexer's own message naming the column.
            let o = session.execute(pending)
            output.write(o)
            if o.exitCode != 0, firstFailure == 0 { firstFailure = o.exitCode }
        }
        return firstFailure
    }
}

/// Where a line's output goes: the process's stdout and stderr, or a capture for tests.
public final class OutputSink: @unchecked Sendable {
    private let writeOut: (String) -> Void
    private let writeErr: (String) -> Void

    public init(stdout: @escaping (String) -> Void, stderr: @escaping (String) -> Void) {
        writeOut = stdout
        writeErr = stderr
    }

    public static let standard = OutputSink(stdout: StandardStreams.out, stderr: StandardStreams.err)

    public func write(_ o: LineOutcome) {
        if !o.stdout.isEmpty { writeOut(o.stdout) }
        if !o.stderr.isEmpty { writeErr(o.stderr) }
    }
}

/// Lines from standard input, read with stdio's buffering (libedit reads a byte at a time).
public struct StandardInputLines: Sequence, IteratorProtocol {
    public init() {}
    public mutating func next() -> String? { readLine(strippingNewline: true) }
}
