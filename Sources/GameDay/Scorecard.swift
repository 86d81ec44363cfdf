import Cloud
import Foundation

/// A game's score and its evidence, read off the game's record and the world it ended in: for
/// each fault, when it was injected (T0), when the steady state first went red (T1), when the
/// players first declared (T2), when the steady state was green again and held (T3); the points
/// for detection, recovery and diagnosis; every penalty with the command that caused it.
public struct Scorecard: Codable, Sendable, Equatable {
    public struct FaultScore: Codable, Sendable, Equatable {
        public let fault: String
        public let target: String
        public let scheduledAt: Date
        public let injectedAt: Date?
        public let landed: Bool
        public let outcome: String?
        public let firstRed: Date?
        public let declaredAt: Date?
        public let recoveredAt: Date?
        public let timeToDetectSeconds: Double?
        public let timeToRecoverSeconds: Double?
        public let diagnosed: Bool
        /// Whether what the fault did is undone at the end (its catalogue entry says what that means).
        public let undone: Bool
        public let recoveredMeans: String
    }

    public struct Line: Codable, Sendable, Equatable {
        public let item: String
        public let points: Int
        public let maximum: Int
        public let detail: String
        /// The player's command it is about, as it was typed (secrets masked).
        public let command: String?
        public let at: Date?
    }

    public let title: String
    public let seed: UInt64
    public let planSHA256: String
    public let startedAt: Date
    public let endedAt: Date
    public let faults: [FaultScore]
    public let lines: [Line]
    public let total: Int
    public let maximum: Int
    public let commands: Int
    public let declarations: Int
    public let revealed: Bool

    public static func score(_ game: GameDayRecord, world: World, unreadable: [Harm]) -> Scorecard {
        let end = game.endedAt ?? world.now
        let red = RedPeriods(game.samples, end: end)
        let rubric = game.rubric
        let landed = game.hiddenFaults.filter(\.landed)
        var lines = [Line]()
        var faults = [FaultScore]()
        for (i, f) in game.hiddenFaults.enumerated() {
            let definition = FaultDefinition.named(f.fault)
            guard f.landed, let t0 = f.injectedAt else {
                faults.append(
                    FaultScore(
                        fault: f.fault, target: f.target.description, scheduledAt: f.at, injectedAt: f.injectedAt,
                        landed: false, outcome: f.outcome ?? "not yet due when the game ended", firstRed: nil,
                        declaredAt: nil, recoveredAt: nil, timeToDetectSeconds: nil, timeToRecoverSeconds: nil,
                        diagnosed: false, undone: true, recoveredMeans: definition?.recovered ?? ""))
                continue
            }
            let t1 = red.firstRed(atOrAfter: t0)
            let from = t1 ?? t0
            let t2 = game.declarations.first { $0.virtualTime >= t0 }?.virtualTime
            let t3 = t1.flatMap { red.greenHeld(after: $0, hold: game.holdSeconds) }
            let diagnosed = game.declarations.contains { d in
                d.virtualTime >= t0 && d.fault == f.fault && d.target.map { Self.names($0, f.target) } == true
            }
            let share = { (points: Int) -> Int in
                points / landed.count + (landed.first.map { $0 == f } == true ? points % landed.count : 0)
            }
            let label = landed.count > 1 ? " (fault \(i + 1))" : ""
            let detectOK = t2.map { $0.timeIntervalSince(from) <= rubric.detectWithinSeconds } ?? false
            lines.append(
                Line(
                    item: "detection\(label)", points: detectOK ? share(rubric.detectPoints) : 0,
                    maximum: share(rubric.detectPoints),
                    detail: t2.map {
                        "declared \(Self.after($0.timeIntervalSince(from))) the steady state went red "
                            + "(within \(AzDuration.describe(rubric.detectWithinSeconds)) scores)"
                    } ?? "never declared", command: nil, at: t2))
            let recoverOK = t1 == nil || t3.map { $0.timeIntervalSince(from) <= rubric.recoverWithinSeconds } ?? false
            lines.append(
                Line(
                    item: "recovery\(label)", points: recoverOK ? share(rubric.recoverPoints) : 0,
                    maximum: share(rubric.recoverPoints),
                    detail: t1 == nil
                        ? "the steady state never went red"
                        : t3.map {
                            "green again \(AzDuration.describe($0.timeIntervalSince(from))) after it went red, "
                                + "and held "
                                + "\(AzDuration.describe(game.holdSeconds)) (within "
                                + "\(AzDuration.describe(rubric.recoverWithinSeconds)) scores)"
                        } ?? "the steady state was not green and held by the end",
                    command: nil, at: t3))
            lines.append(
                Line(
                    item: "diagnosis\(label)", points: diagnosed ? share(rubric.diagnosisPoints) : 0,
                    maximum: share(rubric.diagnosisPoints),
                    detail: diagnosed
                        ? "declared \(f.fault) on \(f.target)" : "no declaration named \(f.fault) on \(f.target)",
                    command: nil, at: nil))
            faults.append(
                FaultScore(
                    fault: f.fault, target: f.target.description, scheduledAt: f.at, injectedAt: t0, landed: true,
                    outcome: f.outcome, firstRed: t1, declaredAt: t2, recoveredAt: t3,
                    timeToDetectSeconds: t2.map { $0.timeIntervalSince(from) },
                    timeToRecoverSeconds: t3.map { $0.timeIntervalSince(from) }, diagnosed: diagnosed,
                    undone: definition?.undone(world, f) ?? false, recoveredMeans: definition?.recovered ?? ""))
        }
        if let r = game.revealedAt {
            lines.append(
                Line(
                    item: "reveal", points: -rubric.revealPenalty, maximum: 0,
                    detail: "the faults were revealed", command: "gameday reveal", at: r))
        }
        for c in game.commands {
            for h in c.harms {
                lines.append(
                    Line(
                        item: h.kind.rawValue,
                        points: -(rubric.harmPenalties[h.kind.rawValue] ?? h.kind.defaultPenalty),
                        maximum: 0, detail: "\(h.kind.summary): \(h.resource)", command: c.shown, at: c.virtualTime))
            }
        }
        for h in unreadable {
            lines.append(
                Line(
                    item: h.kind.rawValue, points: -(rubric.harmPenalties[h.kind.rawValue] ?? h.kind.defaultPenalty),
                    maximum: 0, detail: "\(h.kind.summary): \(h.resource)", command: nil, at: end))
        }
        let maximum = lines.reduce(0) { $0 + $1.maximum } + (landed.isEmpty ? 0 : 0)
        return Scorecard(
            title: game.title, seed: game.seed, planSHA256: game.planSHA256, startedAt: game.startedAt, endedAt: end,
            faults: faults, lines: lines, total: lines.reduce(0) { $0 + $1.points }, maximum: maximum,
            commands: game.commands.count, declarations: game.declarations.count, revealed: game.revealedAt != nil)
    }

    static func after(_ seconds: Double) -> String {
        seconds < 0 ? "\(AzDuration.describe(-seconds)) before" : "\(AzDuration.describe(seconds)) after"
    }

    /// Whether a declared target names the fault's: its name, or an id or key URL that contains it.
    static func names(_ declared: String, _ target: FaultTarget) -> Bool {
        let d = declared.lowercased()
        let parts = target.name.lowercased().split(separator: "/").map(String.init)
        switch target.kind {
        case .vault:
            return d == parts[0] || d.hasSuffix("/vaults/\(parts[0])") || d.contains("://\(parts[0]).vault.")
        case .key:
            return d == parts.joined(separator: "/")
                || d.contains("://\(parts[0]).vault.") && d.contains("/keys/\(parts[1])")
        case .namespace:
            return d == parts[0] || d.hasSuffix("/namespaces/\(parts[0])")
        case .identity:
            return d == parts.joined(separator: "/") || d == parts[1]
                || d.hasSuffix(
                    "/resourcegroups/\(parts[0])/providers/microsoft.managedidentity/userassignedidentities/\(parts[1])"
                )
        }
    }
}

/// When the steady state was red (some probe failing), from the probe samples.
struct RedPeriods {
    /// Each red period's start and end (nil: still red at the end).
    private(set) var periods: [(start: Date, end: Date?)] = []
    let end: Date

    init(_ samples: [ProbeSample], end: Date) {
        self.end = end
        var failing = Set<String>()
        for s in samples {
            let wasRed = !failing.isEmpty
            if s.passed { failing.remove(s.probe) } else { failing.insert(s.probe) }
            if !wasRed, !failing.isEmpty { periods.append((s.time, nil)) }
            if wasRed, failing.isEmpty { periods[periods.count - 1].end = s.time }
        }
    }

    /// The first instant at or after `t` that the steady state was red.
    func firstRed(atOrAfter t: Date) -> Date? {
        for p in periods {
            if p.start >= t { return p.start }
            if p.end.map({ $0 > t }) ?? true { return t }
        }
        return nil
    }

    /// The start of the first green period after `t` that lasted `hold` (or reached the end having
    /// lasted it).
    func greenHeld(after t: Date, hold: Double) -> Date? {
        for (i, p) in periods.enumerated() {
            guard let greenFrom = p.end, greenFrom > t else { continue }
            let greenTo = i + 1 < periods.count ? periods[i + 1].start : end
            if greenTo.timeIntervalSince(greenFrom) >= hold { return greenFrom }
        }
        return nil
    }
}
