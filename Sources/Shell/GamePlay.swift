import AzureCLI
import Cloud
@preconcurrency import Foundation

/// What a session does for a game day: runs its probes, and says which of a player's lines the
/// game's journal records.
public enum GamePlay {
    /// A probe runs its lines in a session of its own on a copy of the world, as the operator:
    /// what it does to that copy is thrown away, so watching the steady state never changes it.
    public static func evaluate(_ world: World, _ probes: [GameProbe], _ variables: [String: String]) -> [ProbeResult] {
        probes.map { probe in
            let session = Session(world: world, variables: variables, environment: [:])
            for line in probe.lines {
                let o = session.execute(line)
                guard o.exitCode == 0 else {
                    let said =
                        (o.stderr + o.stdout).split(separator: "\n").first.map(String.init) ?? "exit \(o.exitCode)"
                    return ProbeResult(probe: probe.name, passed: false, failure: "\(line): \(said)")
                }
            }
            return ProbeResult(probe: probe.name, passed: true, failure: nil)
        }
    }

    /// `gameday ...` at the prompt. Its reports and scoring live above the shell, which the
    /// executable installs here.
    nonisolated(unsafe) public static var commands: (@Sendable (Session, [String]) -> LineOutcome)?

    private static let installed: Void = { World.probeEvaluator = evaluate }()

    static func installProbes() { _ = installed }

    /// The game's own commands (status, declarations) are recorded apart, and a blank line or a
    /// comment is not a command.
    static func isPlayed(_ line: String) -> Bool {
        let t = line.trimmingCharacters(in: .whitespaces)
        return !t.isEmpty && !t.hasPrefix("#") && t.split(separator: " ").first != "gameday"
    }

    /// An argv with the values of secret options masked, as the history keeps them.
    static func redacted(_ argv: [String]) -> [String] {
        let secrets = Set(HistoryRedaction.secrets(in: (["az"] + argv).map(quoted).joined(separator: " ")))
        return argv.map { secrets.contains($0) ? HistoryRedaction.mask : $0 }
    }

    /// A line's variables as the journal keeps them: a secret's value masked, as the history does.
    static func masked(_ variables: [String: String]) -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: variables.map { name, value in
                (name, HistoryRedaction.isSecretName(name) ? HistoryRedaction.mask : value)
            })
    }

    static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@,+%".contains($0) }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
