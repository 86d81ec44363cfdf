import AzureCLI
@preconcurrency import Foundation
@preconcurrency import Glibc

public enum Terminal {
    public static var isInteractive: Bool { isatty(0) == 1 && isatty(1) == 1 }

    /// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
    public static func traits(environment: [String: String]) -> TerminalTraits {
        let tty = isatty(1) == 1
        let color = tty && (environment["NO_COLOR"] ?? "").isEmpty
        let confirm: (@Sendable (String) -> Bool)? = isatty(0) == 1 ? askYesNo : nil
        return TerminalTraits(stdoutIsTerminal: tty, colorAllowed: color, confirm: confirm)
    }

    /// az's y/N confirmation on a terminal.
    @Sendable static func askYesNo(_ question: String) -> Bool {
        fputs(question, stderr)
        fflush(stderr)
        guard let answer = readLine() else { return false }
        return ["y", "yes"].contains(answer.lowercased().trimmingCharacters(in: .whitespaces))
    }
}
