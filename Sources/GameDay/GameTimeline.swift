import Cloud
import Foundation
import Runbook

/// The game on one picture: the hidden faults, each probe red and green, each declaration and
/// each player command, on the virtual clock from the start to the end.
enum GameTimeline {
    static let labelWidth = 190.0
    static let plotWidth = 760.0
    static let laneHeight = 26.0
    static let top = 40.0

    static func svg(_ report: GameDayReport) -> String? {
        let game = report.game
        let start = game.startedAt
        let end = max(report.scorecard.endedAt, start.addingTimeInterval(60))
        let span = end.timeIntervalSince(start)
        let scale = Scale(instants(game, start: start, end: end))
        func x(_ t: Date) -> Double { labelWidth + plotWidth * scale.fraction(t) }
        let probes = game.probes.map(\.name)
        let lanes = ["faults"] + probes + ["declarations", "commands"]
        let height = top + Double(lanes.count) * laneHeight + 30
        let width = labelWidth + plotWidth + 30
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="DejaVu Sans, Arial, sans-serif" font-size="11" \
            role="img" aria-label="Timeline of the game day \(ReportRenderer.escape(game.title))">
            <rect width="100%" height="100%" fill="#ffffff"/>
            <text x="8" y="18" font-size="13" font-weight="bold">\(ReportRenderer.escape(game.title)): \
            the game on the virtual clock</text>

            """
        func laneY(_ i: Int) -> Double { top + Double(i) * laneHeight }
        for (i, name) in lanes.enumerated() {
            s += "<text x=\"8\" y=\"\(laneY(i) + 16)\">\(ReportRenderer.escape(String(name.prefix(30))))</text>\n"
            s += "<line x1=\"\(labelWidth)\" y1=\"\(laneY(i) + laneHeight)\" x2=\"\(labelWidth + plotWidth)\" "
            s += "y2=\"\(laneY(i) + laneHeight)\" stroke=\"#eee\"/>\n"
        }
        for f in game.hiddenFaults {
            guard let t = f.injectedAt else { continue }
            let color = f.landed ? "#b00020" : "#999999"
            s += "<path d=\"M\(x(t)) \(laneY(0) + 4) l5 8 l-10 0 z\" fill=\"\(color)\">"
            s +=
                "<title>" + ReportRenderer.escape("\(AzDate.plain(t)) \(f.fault) \(f.target): \(f.outcome ?? "")")
                + "</title></path>\n"
            s += "<line x1=\"\(x(t))\" y1=\"\(laneY(0) + 12)\" x2=\"\(x(t))\" y2=\"\(laneY(lanes.count))\" "
            s += "stroke=\"\(color)\" stroke-dasharray=\"3 3\"/>\n"
            s +=
                "<text x=\"\(x(t) + 7)\" y=\"\(laneY(0) + 20)\" fill=\"\(color)\">"
                + ReportRenderer.escape(f.fault) + "</text>\n"
        }
        for (p, name) in probes.enumerated() {
            let samples = game.samples.filter { $0.probe == name }
            for (k, sample) in samples.enumerated() {
                let until = k + 1 < samples.count ? samples[k + 1].time : end
                let color = sample.passed ? "#2e7d32" : "#c62828"
                s += "<rect x=\"\(x(sample.time))\" y=\"\(laneY(p + 1) + 6)\" "
                s += "width=\"\(max(x(until) - x(sample.time), 1))\" height=\"14\" fill=\"\(color)\">"
                s +=
                    "<title>\(ReportRenderer.escape("\(AzDate.plain(sample.time)) \(sample.passed ? "green" : "red")"))"
                s += "</title></rect>\n"
            }
        }
        let declY = laneY(probes.count + 1)
        for d in game.declarations {
            s += "<circle cx=\"\(x(d.virtualTime))\" cy=\"\(declY + 13)\" r=\"5\" fill=\"#1565c0\">"
            s += "<title>\(ReportRenderer.escape("\(AzDate.plain(d.virtualTime)) \(d.text)"))</title></circle>\n"
        }
        let cmdY = laneY(probes.count + 2)
        for c in game.commands {
            let color = c.harms.isEmpty ? (c.exitCode == 0 ? "#555555" : "#ef6c00") : "#b00020"
            s += "<line x1=\"\(x(c.virtualTime))\" y1=\"\(cmdY + 5)\" x2=\"\(x(c.virtualTime))\" y2=\"\(cmdY + 21)\" "
            let tip = ReportRenderer.escape(AzDate.plain(c.virtualTime) + " " + c.shown)
            s += "stroke=\"\(color)\" stroke-width=\"2\"><title>\(tip)</title></line>\n"
        }
        let axisY = laneY(lanes.count) + 16
        s += "<text x=\"\(labelWidth)\" y=\"\(axisY)\">\(AzDate.plain(start))</text>\n"
        s += "<text x=\"\(labelWidth + plotWidth)\" y=\"\(axisY)\" text-anchor=\"end\">\(AzDate.plain(end)) "
        s += "(+\(AzDuration.describe(span)))</text>\n"
        return s + "</svg>"
    }

    /// Every instant something happened, from the start to the end.
    static func instants(_ game: GameDayRecord, start: Date, end: Date) -> [Date] {
        var all = [start, end]
        all += game.hiddenFaults.compactMap(\.injectedAt)
        all += game.samples.map(\.time)
        all += game.declarations.map(\.virtualTime)
        all += game.commands.map(\.virtualTime)
        return Array(Set(all.filter { $0 >= start && $0 <= end })).sorted()
    }

    /// Time as the eye wants it: each gap between two instants something happened takes room
    /// that grows with the logarithm of its length, so an hour of play after a quiet day is not
    /// a sliver at the right edge; within a gap, time is linear.
    struct Scale {
        let instants: [Date]
        let positions: [Double]

        init(_ instants: [Date]) {
            self.instants = instants
            var p = [0.0]
            for (a, b) in zip(instants, instants.dropFirst()) {
                p.append(p.last! + 1 + 1.5 * log1p(max(b.timeIntervalSince(a), 0) / 60))
            }
            positions = p
        }

        func fraction(_ t: Date) -> Double {
            guard let total = positions.last, total > 0, let first = instants.first else { return 0 }
            guard t > first else { return 0 }
            guard let i = instants.firstIndex(where: { $0 >= t }) else { return 1 }
            let (a, b) = (instants[i - 1], instants[i])
            let within = b > a ? t.timeIntervalSince(a) / b.timeIntervalSince(a) : 1
            return (positions[i - 1] + (positions[i] - positions[i - 1]) * within) / total
        }
    }
}
