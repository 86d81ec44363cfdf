import Foundation

/// How a game day runs on the world's clock: its faults and its probe samples are scheduled
/// events, hidden from `status` and `clock advance -v` (the players must find the faults).
extension World {
    /// Evaluates a game's probes on a world. Probes are keydrill lines, which the layers above
    /// Cloud run; the executable installs this once, before any world is touched.
    nonisolated(unsafe) public static var probeEvaluator:
        (@Sendable (World, [GameProbe], [String: String]) -> [ProbeResult])?

    public var gameInProgress: Bool { gameDay.map { !$0.isOver } ?? false }

    /// Puts a game on the clock: each fault at its time, the first probe sample one interval on,
    /// and the probes' results now as the first samples.
    public mutating func startGame(_ game: GameDayRecord) {
        gameDay = game
        for (i, f) in game.hiddenFaults.enumerated() { scheduler.schedule(.injectFault(index: i), at: f.at) }
        scheduler.schedule(.sampleProbes, at: now.addingTimeInterval(game.probeIntervalSeconds))
        sampleProbes()
    }

    /// Runs the probes now and records each one whose result changed.
    public mutating func sampleProbes() {
        guard let game = gameDay, !game.isOver, let evaluate = World.probeEvaluator else { return }
        var copy = self
        copy.gameDay = nil
        copy.scheduler = Scheduler()
        copy.signInAsOperator()
        let last = game.probeResults
        for r in evaluate(copy, game.probes, game.variables) where last[r.probe]?.passed != r.passed {
            gameDay!.samples.append(ProbeSample(time: now, probe: r.probe, passed: r.passed, failure: r.failure))
        }
    }

    mutating func runGameDayEvent(_ action: ScheduledAction) {
        guard let game = gameDay, !game.isOver else { return }
        switch action {
        case .injectFault(let i):
            injectFault(i)
        case .liftFault(let i):
            liftFault(i)
        case .sampleProbes:
            sampleProbes()
            let next = now.addingTimeInterval(game.probeIntervalSeconds)
            if next <= game.startedAt.addingTimeInterval(game.budgetSeconds) {
                scheduler.schedule(.sampleProbes, at: next)
            }
        default:
            break
        }
    }

    private mutating func injectFault(_ i: Int) {
        guard var f = gameDay?.hiddenFaults[i], let definition = FaultDefinition.named(f.fault) else { return }
        f.injectedAt = now
        // A fault lands whole or not at all, as any operation on the world.
        var attempt = self
        do {
            f.outcome = try definition.inject(&attempt, f.target, &f)
            f.landed = true
            self = attempt
            if let d = f.durationSeconds { scheduler.schedule(.liftFault(index: i), at: now.addingTimeInterval(d)) }
        } catch let e as CloudError {
            f.outcome = "did not land: \(e.message)"
        } catch {
            f.outcome = "did not land: \(error)"
        }
        gameDay!.hiddenFaults[i] = f
    }

    private mutating func liftFault(_ i: Int) {
        guard var f = gameDay?.hiddenFaults[i], f.landed, !f.lifted else { return }
        FaultDefinition.named(f.fault)?.lift?(&self, f)
        f.lifted = true
        gameDay!.hiddenFaults[i] = f
    }

    /// Records a player's command with the harm it did (comparing the world before it), then
    /// samples the probes.
    public mutating func recordPlayed(_ command: PlayedCommand, before: World) {
        guard gameInProgress else { return }
        var c = command
        c.harms = harms(since: before)
        gameDay!.commands.append(c)
        sampleProbes()
    }

    public mutating func declare(fault: String?, target: String?, text: String, wall: Date) throws {
        guard gameInProgress else { throw GameDayError.noGame }
        var d = Declaration(virtualTime: now, wallTime: wall, fault: fault, target: target, text: text)
        d.afterCommands = gameDay!.commands.count
        gameDay!.declarations.append(d)
    }

    /// Shows the faults (costing the rubric's reveal penalty).
    public mutating func revealFaults() throws -> [DrawnFault] {
        guard gameInProgress else { throw GameDayError.noGame }
        if gameDay!.revealedAt == nil {
            gameDay!.revealedAt = now
            gameDay!.revealedAfterCommands = gameDay!.commands.count
        }
        return gameDay!.hiddenFaults
    }

    /// Ends the game: nothing more is recorded or injected.
    public mutating func endGame() throws -> GameDayRecord {
        guard let game = gameDay else { throw GameDayError.noGame }
        guard !game.isOver else { throw GameDayError.alreadyEnded(game.endedAt!) }
        sampleProbes()
        gameDay!.endedAt = now
        scheduler.cancel { $0.isGameDay }
        return gameDay!
    }
}

public enum GameDayError: Error, Sendable, Equatable, CustomStringConvertible {
    case noGame
    case alreadyEnded(Date)

    public var description: String {
        switch self {
        case .noGame:
            return "no game day is being played in this state directory: start one with keydrill gameday start PLAN.md"
        case .alreadyEnded(let t):
            return "this game day already ended (at \(AzDate.plain(t)) virtual time); its reports were written then. "
                + "Start another with keydrill gameday start PLAN.md in an empty state directory"
        }
    }
}
