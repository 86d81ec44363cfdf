import Cloud
import Foundation
import Runbook
import Shell
import Store

/// Where a game's reports go; each is written only when asked for.
public struct ReportPaths: Sendable {
    public var markdown: String?
    public var html: String?
    public var json: String?
    public var junit: String?

    public init(markdown: String? = nil, html: String? = nil, json: String? = nil, junit: String? = nil) {
        (self.markdown, self.html, self.json, self.junit) = (markdown, html, json, junit)
    }

    /// Each path is checked before the game ends, so a bad one changes nothing.
    func check() throws {
        for p in [markdown, html, json, junit].compactMap({ $0 }) { _ = try OutputTarget.resolve(p) }
    }

    public func write(_ r: GameDayReport) throws {
        if let p = markdown { try OutputTarget.resolve(p).write(Data(r.markdown.utf8)) }
        if let p = html { try OutputTarget.resolve(p).write(Data(r.html.utf8)) }
        if let p = json { try OutputTarget.resolve(p).write(try r.json()) }
        if let p = junit { try OutputTarget.resolve(p).write(Data(r.junit.utf8)) }
    }
}

/// The players' side of a game in progress: its status, declarations, reveal and end, on a session.
extension GameMaster {
    public static func status(_ session: Session) throws -> String {
        let game: GameDayRecord = try session.update { w in
            guard let g = w.gameDay else { throw GameDayError.noGame }
            guard !g.isOver else { throw GameDayError.alreadyEnded(g.endedAt!) }
            w.sampleProbes()
            return w.gameDay!
        }
        let now = session.world.now
        let elapsed = now.timeIntervalSince(game.startedAt)
        var out = "Game day: \(game.title)\n"
        out +=
            "Clock: \(AzDate.plain(now)) · \(AzDuration.describe(elapsed)) played of "
            + AzDuration.describe(game.budgetSeconds)
        if elapsed > game.budgetSeconds { out += " (over budget)" }
        out += "\n\nProbes:\n"
        let results = game.probeResults
        for p in game.probes {
            guard let r = results[p.name] else { continue }
            out +=
                r.passed
                ? "  ✔ \(p.name)\n"
                : "  ✘ \(p.name) (red since \(AzDate.plain(r.time)): \(r.failure ?? ""))\n"
        }
        out += "\n\(game.commands.count) command\(game.commands.count == 1 ? "" : "s") played, "
        out += "\(game.declarations.count) declaration\(game.declarations.count == 1 ? "" : "s")"
        out += game.revealedAt == nil ? "\n" : ", faults revealed\n"
        return out
    }

    public static func declare(_ session: Session, fault: String?, target: String?, text: String) throws -> String {
        if let fault, FaultDefinition.named(fault) == nil {
            throw GameDayPlan.Problem(
                line: 0,
                message: "unknown fault '\(fault)' (the catalogue: "
                    + FaultDefinition.catalogue.map(\.name).joined(separator: ", ") + ")")
        }
        let wall = session.wallClock()
        try session.update { try $0.declare(fault: fault, target: target, text: text, wall: wall) }
        return "declared at \(AzDate.plain(session.world.now)): \(text)\n"
    }

    public static func reveal(_ session: Session) throws -> String {
        let faults = try session.update { try $0.revealFaults() }
        var out = "The faults drawn for this game (revealing them costs points):\n"
        for f in faults {
            let state = f.injectedAt == nil ? "due \(AzDate.plain(f.at))" : "injected \(AzDate.plain(f.injectedAt!))"
            out += "  \(f.fault) on \(f.target): \(state)\(f.outcome.map { ", \($0)" } ?? "")\n"
        }
        return out
    }

    /// Ends the game, scores it and writes the reports asked for.
    public static func end(_ session: Session, reports: ReportPaths) throws -> GameDayReport {
        try reports.check()
        let game = try session.update { try $0.endGame() }
        let report = GameDayReport(
            scorecard: Scorecard.score(game, world: session.world, unreadable: unreadableData(session.world)),
            game: game)
        try reports.write(report)
        return report
    }

    /// Workload data that can no longer be read back whole at the end: each server that holds
    /// rows reads them on a copy of the world, as the operator, through the workload's own read.
    static func unreadableData(_ world: World) -> [Harm] {
        var copy = world
        copy.gameDay = nil
        copy.signInAsOperator()
        let servers: Set<String> = [ResourceType.singleServer, ResourceType.flexibleServer]
        return world.consumers().filter { $0.holdsData && servers.contains($0.state.type) }.compactMap { c in
            let read = try? copy.readPostgresRows(server: c.name, resourceGroup: c.resourceGroup)
            return read?.verified == true ? nil : Harm(kind: .dataUnreadable, resource: c.id)
        }
    }

    public static func scoreText(_ r: GameDayReport) -> String {
        let s = r.scorecard
        var out = "Game day over: \(s.title)\nScore: \(s.total) of \(s.maximum)\n"
        for l in s.lines {
            out += "  \(String(format: "%4d", l.points))/\(l.maximum)  \(l.item): \(l.detail)"
            out += l.command.map { "  [\($0)]" } ?? ""
            out += "\n"
        }
        out += "Faults:\n"
        for f in s.faults {
            out +=
                "  \(f.fault) on \(f.target): \(f.injectedAt.map { "injected \(AzDate.plain($0))" } ?? "not injected")"
            if let t = f.timeToDetectSeconds { out += ", detected after \(AzDuration.describe(max(t, 0)))" }
            if let t = f.timeToRecoverSeconds { out += ", recovered after \(AzDuration.describe(t))" }
            out += "\n"
        }
        return out
    }

    /// `gameday ...` typed at the prompt.
    public static func promptCommand(_ session: Session, _ words: [String]) -> LineOutcome {
        var o = LineOutcome()
        do {
            switch words.first {
            case "status" where words.count == 1:
                o.stdout = try status(session)
            case "declare":
                var (fault, target, text): (String?, String?, [String]) = (nil, nil, [])
                var rest = Array(words.dropFirst())
                while let w = rest.first {
                    rest.removeFirst()
                    if w == "--fault" || w == "--target" {
                        guard let v = rest.first else { return usage("\(w) needs a value") }
                        rest.removeFirst()
                        if w == "--fault" { fault = v } else { target = v }
                    } else {
                        text.append(w)
                    }
                }
                guard !text.isEmpty || fault != nil else {
                    return usage("gameday declare needs what you think: gameday declare [--fault F] [--target T] TEXT")
                }
                o.stdout = try declare(
                    session, fault: fault, target: target,
                    text: text.isEmpty ? "\(fault!)" : text.joined(separator: " "))
            case "reveal" where words.count == 1:
                o.stdout = try reveal(session)
            case "end":
                var paths = ReportPaths()
                var rest = Array(words.dropFirst())
                while let w = rest.first {
                    rest.removeFirst()
                    guard let v = rest.first else { return usage("\(w) needs a file") }
                    rest.removeFirst()
                    switch w {
                    case "--report": paths.markdown = v
                    case "--html": paths.html = v
                    case "--json": paths.json = v
                    case "--junit": paths.junit = v
                    default: return usage("gameday end: unknown option '\(w)'")
                    }
                }
                o.stdout = scoreText(try end(session, reports: paths))
            default:
                return usage(BuiltinCatalogue.spec("gameday")?.usage ?? "gameday status")
            }
        } catch {
            o.stderr = "ERROR: \(error)\n"
            o.exitCode = 1
        }
        return o
    }

    static func usage(_ text: String) -> LineOutcome {
        var o = LineOutcome()
        o.stderr = "ERROR: usage: \(text)\n"
        o.exitCode = 2
        return o
    }
}
