import Cloud
import Foundation
import Runbook
import Yams

/// A game-day plan as docs/gamedays.md defines it: a Markdown file in the runbook family whose
/// front matter says `kind: gameday`. `## World` holds the lines that build the estate, each
/// `## Probe: NAME` the lines of one steady-state check, `## Faults` the faults to draw (a list),
/// `## Rubric` overrides of the scoring (a list); any other section is briefing prose.
public struct GameDayPlan: Sendable {
    public struct Line: Sendable, Equatable {
        public let number: Int
        public let text: String
    }

    public struct Probe: Sendable {
        public let name: String
        public let heading: Int
        public let lines: [Line]
    }

    public var title: String
    /// The file as a runbook reads it: what lint checks line by line.
    public var document: RunbookDocument? = nil
    public var description: String?
    public var briefing: String
    public var sha256 = ""
    public var world: [Line] = []
    public var probes: [Probe] = []
    public var faults: [FaultSpec] = []
    public var rubric = GameRubric()
    public var rubricLines: [Int: String] = [:]
    public var variables: [String: String] = [:]
    public var budgetSeconds: Double = 2 * 86400
    public var probeIntervalSeconds: Double = 300
    public var holdSeconds: Double = 1800
    public var seed: UInt64 = 1
    public var clockRate: Double = 0

    /// A plan's refusal, with the line it is about.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    public static func load(_ path: String) throws -> GameDayPlan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(line: 0, message: "cannot read \(path)")
        }
        var plan = try parse(String(decoding: data, as: UTF8.self))
        plan.sha256 = RunRecord.sha256Hex(data)
        return plan
    }

    public static func parse(_ text: String) throws -> GameDayPlan {
        let doc: RunbookDocument
        do { doc = try RunbookParser.parse(text) } catch let e as RunbookFormatError {
            throw Problem(line: e.line, message: e.message)
        }
        var plan = GameDayPlan(title: doc.title, briefing: "")
        plan.document = doc
        try plan.readFrontMatter(doc.frontMatter)
        let raw = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map {
            String(String.UnicodeScalarView($0.last == "\r" ? $0.dropLast() : $0[...]))
        }
        var briefing = [String]()
        for step in doc.steps {
            let heading =
                raw.firstIndex { $0.hasPrefix("## ") && $0.dropFirst(3).trimmingCharacters(in: [" "]) == step.title }
                .map { $0 + 1 } ?? 0
            let lowered = step.title.lowercased()
            let lines = RunbookRunner.logicalLines(step).filter { $0.kind != .shell }.map {
                Line(number: $0.line, text: $0.text)
            }
            if let shell = step.commands.first(where: { $0.kind == .shell }) {
                throw Problem(
                    line: shell.line,
                    message: "a game-day plan runs keydrill or azurecli lines; a bash block would run on the host")
            }
            if lowered == "world" {
                plan.world += lines
            } else if lowered.hasPrefix("probe:") {
                let name = step.title.dropFirst("probe:".count).trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else {
                    throw Problem(line: heading, message: "a probe needs a name: ## Probe: NAME")
                }
                guard !lines.isEmpty else {
                    throw Problem(line: heading, message: "probe '\(name)' has no keydrill lines to run")
                }
                guard !plan.probes.contains(where: { $0.name == name }) else {
                    throw Problem(line: heading, message: "a second probe named '\(name)'")
                }
                plan.probes.append(Probe(name: name, heading: heading, lines: lines))
            } else if lowered == "faults" {
                plan.faults = try FaultSpec.parseList(Self.listItems(raw, after: heading))
            } else if lowered == "rubric" {
                for item in Self.listItems(raw, after: heading) {
                    try plan.rubric.apply(item.text, line: item.line)
                    plan.rubricLines[item.line] = item.text
                }
            } else {
                briefing.append("\(step.title):\n\(step.prose.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
        }
        plan.briefing = briefing.joined(separator: "\n\n")
        for spec in plan.faults {
            for c in spec.choices where c.to > plan.budgetSeconds {
                throw Problem(
                    line: c.line,
                    message: "the window ends at \(AzDuration.describe(c.to)), after the game's budget "
                        + "(\(AzDuration.describe(plan.budgetSeconds)))")
            }
        }
        guard !plan.world.isEmpty else {
            throw Problem(
                line: 1,
                message: "no ## World section with keydrill lines: the players would have nothing "
                    + "to defend")
        }
        guard !plan.probes.isEmpty else {
            throw Problem(line: 1, message: "no ## Probe: sections: a game needs a steady state to watch")
        }
        guard !plan.faults.isEmpty else { throw Problem(line: 1, message: "no ## Faults list: nothing would happen") }
        return plan
    }

    /// The `- ` items of the list under a heading, to the next heading, with their indentation.
    static func listItems(_ raw: [String], after heading: Int) -> [FaultSpec.Item] {
        var out = [FaultSpec.Item]()
        var i = heading
        while i < raw.count, !raw[i].hasPrefix("#") {
            let line = raw[i]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") {
                let indent = line.prefix { $0 == " " }.count
                out.append(.init(line: i + 1, indent: indent, text: String(trimmed.dropFirst(2))))
            }
            i += 1
        }
        return out
    }

    mutating func readFrontMatter(_ yaml: String?) throws {
        guard let yaml else { throw Problem(line: 1, message: "no front matter: a game-day plan says kind: gameday") }
        let meta: RunbookMetadata
        do { meta = try RunbookMetadata.parse(yaml) } catch let e as RunbookFormatError {
            throw Problem(line: e.line, message: e.message)
        }
        description = meta.description
        variables = meta.defaults
        guard let mapping = (try? Yams.compose(yaml: yaml))??.mapping else {
            throw Problem(line: 2, message: "the front matter must be a YAML mapping")
        }
        func value(_ key: String) -> String? { mapping[key]?.string }
        guard value("kind") == "gameday" else {
            throw Problem(line: 2, message: "the front matter must say kind: gameday (this is a runbook, or a typo)")
        }
        func duration(_ key: String) throws -> Double? {
            guard let text = value(key) else { return nil }
            guard let d = World.parseClockDuration(text), d > 0 else {
                throw Problem(line: 2, message: "\(key): '\(text)' is not a duration (as 30m, 2h, 3d)")
            }
            return d
        }
        budgetSeconds = try duration("budget") ?? budgetSeconds
        probeIntervalSeconds = try duration("probe-every") ?? probeIntervalSeconds
        holdSeconds = try duration("hold") ?? holdSeconds
        guard probeIntervalSeconds >= 60 else {
            throw Problem(line: 2, message: "probe-every must be at least 1m")
        }
        if let s = value("seed") {
            guard let n = UInt64(s) else { throw Problem(line: 2, message: "seed: '\(s)' is not a whole number") }
            seed = n
        }
        if let r = value("clock-rate") {
            guard let n = Double(r), n >= 0, n <= Limits.longestSetting else {
                throw Problem(line: 2, message: "clock-rate: '\(r)' is not a rate (virtual seconds per wall second)")
            }
            clockRate = n
        }
    }
}

extension GameRubric {
    /// One rubric item: `detect within 1h: 30`, `recover within 4h: 40`, `diagnosis: 30`,
    /// `reveal: -20`, or a harm's penalty as `key-purged: -100`.
    mutating func apply(_ item: String, line: Int) throws {
        guard let colon = item.lastIndex(of: ":"),
            let points = Int(item[item.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        else {
            throw GameDayPlan.Problem(line: line, message: "a rubric item is 'WHAT: POINTS', not '\(item)'")
        }
        let what = item[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let words = what.split(separator: " ").map(String.init)
        func within() throws -> Double {
            guard words.count == 3, words[1] == "within", let d = World.parseClockDuration(words[2]), d > 0 else {
                throw GameDayPlan.Problem(line: line, message: "'\(what)': write '\(words[0]) within DURATION: POINTS'")
            }
            return d
        }
        switch words.first {
        case "detect":
            detectWithinSeconds = try within()
            detectPoints = abs(points)
        case "recover":
            recoverWithinSeconds = try within()
            recoverPoints = abs(points)
        case "diagnosis" where words.count == 1: diagnosisPoints = abs(points)
        case "reveal" where words.count == 1: revealPenalty = abs(points)
        default:
            guard words.count == 1, Harm.Kind(rawValue: what) != nil else {
                let known =
                    ["detect within D", "recover within D", "diagnosis", "reveal"]
                    + Harm.Kind.allCases.map(\.rawValue)
                throw GameDayPlan.Problem(
                    line: line, message: "unknown rubric item '\(what)' (known: \(known.joined(separator: ", ")))")
            }
            harmPenalties[what] = abs(points)
        }
    }
}
