import Cloud
import Foundation

/// What a run produced, step by step: the source of every report.
public struct CommandRecord: Codable, Sendable {
    public let line: Int
    public let text: String
    public let stdout: String
    public let stderr: String
    public let exitCode: Int32
    public let virtualTime: Date
}

public struct StepResult: Codable, Sendable {
    public enum Status: String, Codable, Sendable {
        case passed, failed, skipped, notRun = "not run", restored = "restored from checkpoint"
    }
    public let number: Int
    public let title: String
    public var status: Status
    public var commands: [CommandRecord] = []
    public var failure: String?
    public var wallSeconds: Double = 0
    public var virtualStart: Date?
    public var virtualEnd: Date?
}

public struct RunbookResult: Codable, Sendable {
    public let path: String
    public let title: String
    public var steps: [StepResult]
    /// Key operations recorded during this run (the drill's evidence).
    public var audit: [AuditRecord]
    /// How the earlier attempts of a resumed run ended, oldest first.
    public var earlierAttempts: [String] = []
    public var wallSeconds: Double
    public var passed: Bool {
        steps.allSatisfy { $0.status == .passed || $0.status == .restored || $0.status == .skipped }
    }
}
