import Cloud
import Foundation
import Shell

/// What a run produced, step by step: the source of every report.
public struct CommandRecord: Codable, Sendable {
    public let line: Int
    /// As written in the runbook (secrets masked), and with the variables' values put in.
    public let text: String
    public var substituted: String?
    public let stdout: String
    public let stderr: String
    public let exitCode: Int32
    public let virtualTime: Date
    /// For an `assert` line: what its expression gave on the output it tested.
    public var assertion: AssertionRecord?
}

public struct StepResult: Codable, Sendable {
    public enum Status: String, Codable, Sendable {
        case passed, failed, skipped, notRun = "not run", restored = "restored from checkpoint"
    }
    public let number: Int
    public let title: String
    /// The step's prose as the runbook has it: what it does and what it expects.
    public var prose: String = ""
    public var status: Status
    public var commands: [CommandRecord] = []
    public var failure: String?
    public var wallSeconds: Double = 0
    public var virtualStart: Date?
    public var virtualEnd: Date?

    /// The virtual time the step took, when it ran.
    public var virtualSeconds: Double? { virtualEnd.flatMap { e in virtualStart.map { e.timeIntervalSince($0) } } }
}

public struct RunbookResult: Codable, Sendable {
    public let path: String
    public let title: String
    /// The runbook file's sha256, so a report names exactly what was run.
    public var sha256 = ""
    /// When the run began (wall clock, UTC) and which keydrill ran it.
    public var started = Date()
    public var keydrillVersion = ""
    /// Every variable at the end of the run (secrets masked), and which of them the runbook declares.
    public var variables: [String: String] = [:]
    public var declaredVariables: [String] = []
    public var virtualStart: Date?
    public var virtualEnd: Date?
    /// What happened to the resources: control-plane changes, state transitions, data read back.
    public var activity: [ActivityEvent] = []
    /// Each consumer that lost its key: time to detect, time to recover, data read back.
    public var measures: [ConsumerMeasure] = []
    public var steps: [StepResult]
    /// Key operations recorded during this run (the drill's evidence).
    public var audit: [AuditRecord]
    /// How the earlier attempts of a resumed run ended, oldest first.
    public var earlierAttempts: [String] = []
    public var wallSeconds: Double
    /// The virtual time the steps that ran took, and how many passed (or were restored).
    public var virtualSeconds: Double { steps.compactMap(\.virtualSeconds).reduce(0, +) }
    public var stepsPassed: Int { steps.filter { $0.status == .passed || $0.status == .restored }.count }
    public var passed: Bool {
        steps.allSatisfy { $0.status == .passed || $0.status == .restored || $0.status == .skipped }
    }
}
