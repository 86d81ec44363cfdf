import Foundation

/// A game day in progress in a world: what the players defend (the probes), the faults drawn for
/// them (hidden: no command shows them until `gameday reveal` or the end), and everything the
/// game records as it is played. It lives in the world so that a command and its record commit
/// together: a crash never keeps one without the other.
public struct GameDayRecord: Codable, Sendable, Equatable {
    public var title: String
    public var planPath: String
    public var planSHA256: String
    public var seed: UInt64
    public var startedAt: Date
    public var startedWall: Date
    public var budgetSeconds: Double
    public var probeIntervalSeconds: Double
    /// How long the steady state must stay green for the game to count it recovered.
    public var holdSeconds: Double
    public var clockRate: Double
    public var probes: [GameProbe]
    /// The plan's variables, which its probes read as its world lines did.
    public var variables: [String: String] = [:]
    public var rubric: GameRubric
    /// The facilitator's draw. Named so that anyone reading the state directory's files knows
    /// what they are looking at: a game day is a training aid, not a security boundary.
    public var hiddenFaults: [DrawnFault]
    /// Each probe's result when the game started, then each time one changed.
    public var samples: [ProbeSample] = []
    public var commands: [PlayedCommand] = []
    public var declarations: [Declaration] = []
    public var revealedAt: Date?
    /// How many commands had been played when the faults were revealed (a replay's order).
    public var revealedAfterCommands: Int?
    public var endedAt: Date?

    public init(
        title: String, planPath: String, planSHA256: String, seed: UInt64, startedAt: Date, startedWall: Date,
        budgetSeconds: Double, probeIntervalSeconds: Double, holdSeconds: Double, clockRate: Double,
        probes: [GameProbe], rubric: GameRubric, hiddenFaults: [DrawnFault]
    ) {
        self.title = title
        self.planPath = planPath
        self.planSHA256 = planSHA256
        self.seed = seed
        self.startedAt = startedAt
        self.startedWall = startedWall
        self.budgetSeconds = budgetSeconds
        self.probeIntervalSeconds = probeIntervalSeconds
        self.holdSeconds = holdSeconds
        self.clockRate = clockRate
        self.probes = probes
        self.rubric = rubric
        self.hiddenFaults = hiddenFaults
    }

    public var isOver: Bool { endedAt != nil }

    /// Each probe's last recorded result.
    public var probeResults: [String: ProbeSample] {
        var out = [String: ProbeSample]()
        for s in samples { out[s.probe] = s }
        return out
    }
}

/// A named check of the steady state: keydrill lines that must all succeed.
public struct GameProbe: Codable, Sendable, Equatable {
    public let name: String
    public let lines: [String]

    public init(name: String, lines: [String]) {
        self.name = name
        self.lines = lines
    }
}

public struct ProbeResult: Sendable, Equatable {
    public let probe: String
    public let passed: Bool
    /// The first failing line and what it printed, when it failed.
    public let failure: String?

    public init(probe: String, passed: Bool, failure: String?) {
        self.probe = probe
        self.passed = passed
        self.failure = failure
    }
}

public struct ProbeSample: Codable, Sendable, Equatable {
    public let time: Date
    public let probe: String
    public let passed: Bool
    public let failure: String?
}

/// A fault the draw placed on the clock.
public struct DrawnFault: Codable, Sendable, Equatable {
    public let fault: String
    public let target: FaultTarget
    public let at: Date
    /// How long a fault with a duration lasts before Chaos Studio lifts it.
    public let durationSeconds: Double?
    public var injectedAt: Date?
    /// What the injection did, or why it did not land.
    public var outcome: String?
    public var landed = false
    /// The key version a key fault acted on.
    public var version: String?
    /// Whether a fault with a duration has been lifted.
    public var lifted = false
    /// The network rules a fault with a duration replaced, put back when it lifts.
    public var savedNetworkAcls: NetworkAcls?

    public init(fault: String, target: FaultTarget, at: Date, durationSeconds: Double?) {
        self.fault = fault
        self.target = target
        self.at = at
        self.durationSeconds = durationSeconds
    }
}

/// One command a player ran, from any of keydrill's doors (shell, one-shot, az shim).
public struct PlayedCommand: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// A line of keydrill's line language.
        case line
        /// One az command's argv exactly as given (the shim, `keydrill az`).
        case az
    }

    public let kind: Kind
    /// When it started, on the virtual clock (after the clock followed the wall clock).
    public let virtualTime: Date
    public let wallTime: Date
    public let principal: String
    /// The line, or the argv; secrets already masked for display in `shown`.
    public let words: [String]
    public let shown: String
    public let exitCode: Int32
    /// The irreversible harm this command did, if any.
    public var harms: [Harm] = []
    /// The variables a line read, with their values (secrets masked): what a replay gives it.
    public var variables: [String: String] = [:]

    public init(
        kind: Kind, virtualTime: Date, wallTime: Date, principal: String, words: [String], shown: String,
        exitCode: Int32
    ) {
        self.kind = kind
        self.virtualTime = virtualTime
        self.wallTime = wallTime
        self.principal = principal
        self.words = words
        self.shown = shown
        self.exitCode = exitCode
    }
}

/// "We think it is this": a detection, and with `fault` and `target` a diagnosis.
public struct Declaration: Codable, Sendable, Equatable {
    public let virtualTime: Date
    public let wallTime: Date
    /// How many commands had been played when it was made: where a replay puts it.
    public var afterCommands = 0
    public let fault: String?
    public let target: String?
    public let text: String

    public init(virtualTime: Date, wallTime: Date, fault: String?, target: String?, text: String) {
        self.virtualTime = virtualTime
        self.wallTime = wallTime
        self.fault = fault
        self.target = target
        self.text = text
    }
}

/// Points the scorecard awards and takes away; a plan's rubric overrides any of them.
public struct GameRubric: Codable, Sendable, Equatable {
    public var detectWithinSeconds: Double = 3600
    public var detectPoints = 30
    public var recoverWithinSeconds: Double = 4 * 3600
    public var recoverPoints = 40
    public var diagnosisPoints = 30
    public var revealPenalty = 20
    /// Penalties for irreversible harm, by `Harm.Kind` raw value.
    public var harmPenalties: [String: Int] = Dictionary(
        uniqueKeysWithValues: Harm.Kind.allCases.map { ($0.rawValue, $0.defaultPenalty) })

    public init() {}

    public var maximum: Int { detectPoints + recoverPoints + diagnosisPoints }
}
