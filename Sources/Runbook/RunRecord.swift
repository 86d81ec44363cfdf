import Cloud
import Foundation
import Store

/// A runbook's last run under the state directory: the world and the variables as each step
/// began, so a failed run resumes at the failed step and `--from` starts anywhere it reached.
public struct RunRecord: Codable, Sendable {
    public struct Checkpoint: Codable, Sendable {
        public let world: World
        public let variables: [String: String]
    }

    public var runbook: String
    public var status: String
    public var failedStep: Int?
    /// Keyed by step number: the state before that step ran.
    public var checkpoints: [Int: Checkpoint]

    static func path(stateDirectory: String, runbook: String) -> String {
        let name = URL(fileURLWithPath: runbook).deletingPathExtension().lastPathComponent
        let slug = name.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }
        return stateDirectory + "/runs/" + String(slug) + ".json"
    }

    static func load(stateDirectory: String, runbook: String) throws -> RunRecord? {
        let p = path(stateDirectory: stateDirectory, runbook: runbook)
        guard let data = FileManager.default.contents(atPath: p) else { return nil }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .secondsSince1970
            return try decoder.decode(RunRecord.self, from: data)
        } catch {
            throw StoreError("The run record \(p) cannot be read (\(error)); delete it to start the runbook afresh.")
        }
    }

    func save(stateDirectory: String) throws {
        let p = RunRecord.path(stateDirectory: stateDirectory, runbook: runbook)
        try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        try AtomicFile.write(try encoder.encode(self), to: p)
    }
}
