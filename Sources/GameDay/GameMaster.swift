import Cloud
import Foundation
import Runbook
import Shell
import Store

/// Starting, watching and ending a game day in a state directory.
public enum GameMaster {
    /// The world the plan describes, built from an empty one, with the plan's variables (and
    /// overrides) as its lines saw them.
    public static func build(_ plan: GameDayPlan, variables: [String: String] = [:]) throws -> (World, [String: String])
    {
        let vars = plan.variables.merging(variables) { _, given in given }
        let session = Session(
            world: World.new(now: RunbookRunner.startTime, seed: 1), variables: vars, environment: [:])
        for line in plan.world {
            let o = session.execute(line.text)
            guard o.exitCode == 0 else {
                let said = (o.stderr + o.stdout).trimmingCharacters(in: .whitespacesAndNewlines)
                throw GameDayPlan.Problem(line: line.number, message: "the world's line failed: \(line.text)\n\(said)")
            }
        }
        return (session.world, session.variables)
    }

    /// What `start` prints and the tests read.
    public struct Briefing: Sendable {
        public let text: String
        public let faults: Int
    }

    /// Builds the world, checks the steady state, draws the faults and puts the game on the clock
    /// of an empty state directory.
    public static func start(
        _ plan: GameDayPlan, path: String, seed: UInt64?, clockRate: Double?, variables: [String: String],
        store: StateDirectory, wall: Date = Date()
    ) throws -> Briefing {
        let seed = seed ?? plan.seed
        var (world, vars) = try build(plan, variables: variables)
        let probes = plan.probes.map { GameProbe(name: $0.name, lines: $0.lines.map(\.text)) }
        let red = GamePlay.evaluate(world, probes, vars).filter { !$0.passed }
        if let first = red.first {
            let heading = plan.probes.first { $0.name == first.probe }?.heading ?? 0
            throw GameDayPlan.Problem(
                line: heading,
                message:
                    "the steady state is red before any fault: probe '\(first.probe)' fails (\(first.failure ?? ""))"
            )
        }
        let faults = try FaultDraw.draw(plan.faults, seed: seed, world: world, start: world.now)
        let rate = clockRate ?? plan.clockRate
        var record = GameDayRecord(
            title: plan.title, planPath: path, planSHA256: plan.sha256, seed: seed, startedAt: world.now,
            startedWall: wall, budgetSeconds: plan.budgetSeconds, probeIntervalSeconds: plan.probeIntervalSeconds,
            holdSeconds: plan.holdSeconds, clockRate: rate, probes: probes, rubric: plan.rubric, hiddenFaults: faults)
        record.variables = vars
        world.settings.clockRate = rate
        world.wallAnchor = rate > 0 ? wall : nil
        world.startGame(record)
        let built = world
        try store.transaction { w in
            guard w.gameDay == nil else {
                throw StoreError(
                    w.gameInProgress
                        ? "a game day is already being played in \(store.path); end it first (keydrill gameday end)"
                        : "\(store.path) holds a game that has ended; start the next one in an empty state directory "
                            + "(--state DIR, or keydrill reset)")
            }
            guard w.resourceGroups.isEmpty, w.vaults.isEmpty, w.deletedVaults.isEmpty else {
                throw StoreError(
                    "\(store.path) already holds a world; a game day builds its own. Play in an empty state directory "
                        + "(--state DIR) or empty this one with keydrill reset")
            }
            w = built
        }
        return Briefing(text: briefing(plan, world: built, seed: seed, rate: rate), faults: faults.count)
    }

    static func briefing(_ plan: GameDayPlan, world: World, seed: UInt64, rate: Double) -> String {
        var out = "Game day: \(plan.title)\n"
        if let d = plan.description { out += "\(d)\n" }
        let clock =
            rate > 0
            ? "the clock runs at \(GameClock.rate(rate)) while you think"
            : "turn-based: the clock moves only when you move it (clock advance DURATION)"
        out +=
            "\nSeed \(seed) · virtual start \(AzDate.plain(world.now)) · budget "
            + AzDuration.describe(plan.budgetSeconds)
        out += " · probes every \(AzDuration.describe(plan.probeIntervalSeconds))\nClock: \(clock)\n"
        out += "\nThe estate:\n"
        for k in world.keysInUse() {
            out += "  key \(k.key) (\(k.state)): used by \(k.consumers.joined(separator: ", "))\n"
        }
        out += "\nSteady state (every probe green now):\n"
        for p in plan.probes { out += "  ✔ \(p.name)\n" }
        if !plan.briefing.isEmpty { out += "\n" + plan.briefing + "\n" }
        out += """

            \(plan.faults.count) fault\(plan.faults.count == 1 ? " is" : "s are") hidden on the clock. \
            Find, diagnose and recover without making it worse.
              keydrill                    the shell (or eval "$(keydrill env)" and your own scripts with az)
              gameday status              the clock and the probes, green or red now
              gameday declare --fault F --target T "what we think"    a detection and a diagnosis
              gameday end                 score the game and write the reports
              keydrill gameday faults     the fault catalogue

            """
        return out
    }
}

enum GameClock {
    static func rate(_ r: Double) -> String {
        let perMinute = r * 60
        let shown = r == r.rounded() && r < 1e15 ? String(Int(r)) : String(r)
        return "\(shown)× (a wall minute is \(AzDuration.describe(perMinute)))"
    }
}
