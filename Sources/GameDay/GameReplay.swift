import Cloud
import Foundation
import Shell

extension GameMaster {
    public struct ReplayMismatch: Error, CustomStringConvertible {
        public let description: String
    }

    /// Plays a recorded game again from its plan, seed and journal, each command at its virtual
    /// time with its wall time, and returns the report it gives.
    public static func replay(_ recorded: GameDayReport, plan: GameDayPlan) throws -> GameDayReport {
        let old = recorded.game
        guard plan.sha256 == old.planSHA256 else {
            throw ReplayMismatch(
                description: "the plan is not the one played (its sha256 is \(plan.sha256.prefix(16)), the game's "
                    + "\(old.planSHA256.prefix(16)))")
        }
        var (world, vars) = try build(plan, variables: old.variables)
        let faults = try FaultDraw.draw(plan.faults, seed: old.seed, world: world, start: world.now)
        var record = GameDayRecord(
            title: plan.title, planPath: old.planPath, planSHA256: plan.sha256, seed: old.seed, startedAt: world.now,
            startedWall: old.startedWall, budgetSeconds: plan.budgetSeconds,
            probeIntervalSeconds: plan.probeIntervalSeconds, holdSeconds: plan.holdSeconds, clockRate: old.clockRate,
            probes: plan.probes.map { GameProbe(name: $0.name, lines: $0.lines.map(\.text)) }, rubric: plan.rubric,
            hiddenFaults: faults)
        record.variables = vars
        world.startGame(record)
        let session = Session(world: world, environment: [:])
        enum Step {
            case command(PlayedCommand)
            case declaration(Declaration)
            case reveal
        }
        // In the order they were played: a declaration or the reveal after the commands before it.
        var steps: [(Date, Step)] = []
        for (i, c) in old.commands.enumerated() {
            steps += old.declarations.filter { $0.afterCommands == i }.map { ($0.virtualTime, .declaration($0)) }
            if old.revealedAfterCommands == i, let r = old.revealedAt { steps.append((r, .reveal)) }
            steps.append((c.virtualTime, .command(c)))
        }
        steps += old.declarations.filter { $0.afterCommands >= old.commands.count }.map {
            ($0.virtualTime, .declaration($0))
        }
        if let n = old.revealedAfterCommands, n >= old.commands.count, let r = old.revealedAt {
            steps.append((r, .reveal))
        }
        func move(to t: Date) throws {
            guard t > session.world.now else { return }
            try session.update { _ = try $0.setClock(to: t) }
        }
        for (time, step) in steps {
            try move(to: time)
            switch step {
            case .command(let c):
                session.wallClock = { c.wallTime }
                session.variables.merge(c.variables) { _, recorded in recorded }
                _ = c.kind == .line ? session.execute(c.words.first ?? "") : session.runAz(c.words)
            case .declaration(let d):
                try session.update { try $0.declare(fault: d.fault, target: d.target, text: d.text, wall: d.wallTime) }
            case .reveal:
                _ = try session.update { try $0.revealFaults() }
            }
        }
        if let end = old.endedAt { try move(to: end) }
        let game = try session.update { try $0.endGame() }
        return GameDayReport(
            scorecard: Scorecard.score(game, world: session.world, unreadable: unreadableData(session.world)),
            game: game)
    }
}
