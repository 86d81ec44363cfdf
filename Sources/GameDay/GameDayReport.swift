import Cloud
import Foundation
import Runbook

/// A played game as evidence: the scorecard, the faults revealed, the probes red and green, every
/// declaration and every player command with its times, principal and harm. Written as Markdown
/// and HTML from one list of blocks, as JSON (which `gameday replay` reads back) and as JUnit.
public struct GameDayReport: Codable, Sendable, Equatable {
    public let scorecard: Scorecard
    public let game: GameDayRecord

    public init(scorecard: Scorecard, game: GameDayRecord) {
        self.scorecard = scorecard
        self.game = game
    }

    public func blocks() -> [ReportBlock] {
        let s = scorecard
        var out: [ReportBlock] = [
            .heading(1, "Game day: \(s.title)"),
            .paragraph(
                "**Score \(s.total) of \(s.maximum)** · seed \(s.seed) · plan `\(game.planPath)` (sha256 "
                    + "`\(s.planSHA256.prefix(16))`) · virtual \(AzDate.plain(s.startedAt)) to "
                    + AzDate.plain(s.endedAt)
                    + " · \(s.commands) command\(s.commands == 1 ? "" : "s"), \(s.declarations) declaration"
                    + "\(s.declarations == 1 ? "" : "s")\(s.revealed ? " · faults revealed" : "")"),
            .heading(2, "Scorecard"),
            .table(
                header: ["Item", "Points", "Of", "Detail", "Command"],
                rows: s.lines.map { l in
                    [l.item, String(l.points), String(l.maximum), l.detail, l.command.map(ReportRenderer.code) ?? ""]
                }),
            .heading(2, "The faults"),
            .table(
                header: [
                    "Fault", "Target", "Injected", "What it did", "First red", "Declared", "Green and held",
                    "Diagnosed", "Undone at the end",
                ],
                rows: s.faults.map { f in
                    [
                        f.fault, f.target, f.injectedAt.map(AzDate.plain) ?? "(not injected)", f.outcome ?? "",
                        f.firstRed.map(AzDate.plain) ?? "never", f.declaredAt.map(AzDate.plain) ?? "never",
                        f.recoveredAt.map(AzDate.plain) ?? "no", f.diagnosed ? "yes" : "no",
                        "\(f.undone ? "yes" : "no") (\(f.recoveredMeans))",
                    ]
                }),
        ]
        if let svg = GameTimeline.svg(self) { out += [.heading(2, "Timeline"), .svg(svg)] }
        out += [
            .heading(2, "The steady state"),
            .table(
                header: ["Virtual time", "Probe", "Result", "Failure"],
                rows: game.samples.map {
                    [AzDate.plain($0.time), $0.probe, $0.passed ? "green" : "red", $0.failure ?? ""]
                }
            ),
            .heading(2, "Declarations"),
            game.declarations.isEmpty
                ? .paragraph("None.")
                : .table(
                    header: ["Virtual time", "Wall time", "Fault", "Target", "What we think"],
                    rows: game.declarations.map {
                        [
                            AzDate.plain($0.virtualTime), AzDate.plain($0.wallTime), $0.fault ?? "", $0.target ?? "",
                            $0.text,
                        ]
                    }),
            .heading(2, "The players' commands"),
            game.commands.isEmpty
                ? .paragraph("None.")
                : .table(
                    header: ["#", "Virtual time", "Wall time", "Principal", "Command", "Exit", "Harm"],
                    rows: game.commands.enumerated().map { i, c in
                        [
                            String(i + 1), AzDate.plain(c.virtualTime), AzDate.plain(c.wallTime), c.principal,
                            ReportRenderer.code(c.shown), String(c.exitCode),
                            c.harms.map { "\($0.kind.rawValue) \(ActivityEvent.shortName($0.resource))" }
                                .joined(separator: ", "),
                        ]
                    }),
        ]
        return out
    }

    public var markdown: String { ReportRenderer.markdown(blocks()) }
    public var html: String { ReportRenderer.html(blocks(), title: "Game day: \(scorecard.title)") }

    public func json() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return try e.encode(self)
    }

    public static func decode(_ data: Data) throws -> GameDayReport {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return try d.decode(GameDayReport.self, from: data)
    }

    /// One testcase per scorecard item; an item that scored less than its points, or a penalty, fails.
    public var junit: String {
        let s = scorecard
        let failed = s.lines.filter { $0.points < $0.maximum || $0.points < 0 }
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        x += "<testsuites name=\"keydrill gameday\" tests=\"\(s.lines.count)\" failures=\"\(failed.count)\">\n"
        x += "  <testsuite name=\"\(ReportRenderer.escape("Game day: \(s.title)"))\" tests=\"\(s.lines.count)\" "
        x += "failures=\"\(failed.count)\">\n"
        x += "    <properties><property name=\"score\" value=\"\(s.total)/\(s.maximum)\"/>"
        x += "<property name=\"seed\" value=\"\(s.seed)\"/></properties>\n"
        for l in s.lines {
            x += "    <testcase classname=\"gameday\" name=\"\(ReportRenderer.escape(l.item))\""
            if l.points < l.maximum || l.points < 0 {
                let what = "\(l.points) of \(l.maximum): \(l.detail)" + (l.command.map { " (\($0))" } ?? "")
                x += ">\n      <failure message=\"\(ReportRenderer.escape(what))\"/>\n    </testcase>\n"
            } else {
                x += "/>\n"
            }
        }
        return x + "  </testsuite>\n</testsuites>\n"
    }
}
