import Cloud
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Shell
import Store

public struct RunOptions: Sendable {
    public var variables: [String: String] = [:]
    public var junitPath: String?
    public var reportPath: String?
    public var jsonPath: String?
    /// A self-contained HTML report (the Markdown report's content, its timeline drawn inline).
    public var htmlPath: String?
    public var resume = false
    public var from: String?
    public var dryRun = false
    public var stepMode = false
    public var keepGoing = false
    /// The keydrill binary bash's `az` shim links to (for `bash` blocks and Learn pipe lines).
    public var keydrillExecutable: String?
    /// Run only the runbooks whose front matter lists one of these tags (all when empty).
    public var tags: [String] = []
    /// A Learn page's zone pivot to run (nil: its az CLI pivot).
    public var pivot: String?
    /// Folders to find a Learn page's includes in, after the page's own.
    public var includeDirs: [String] = []
    public var stateDirectory: String
    /// Asked before each step in step mode: "r" run, "s" skip, "q" quit.
    public var ask: (@Sendable (String) -> String?)?

    /// The world setting a run starts with: key checks coalesced (the default) or made one by one.
    public var coalesceKeyChecks = true
    /// Called after each step that ran, with its number and the world it left: what the run
    /// looked like step by step, for whoever watches it (the coalescing comparison does).
    public var afterStep: (@Sendable (Int, World) -> Void)?

    public init(stateDirectory: String) { self.stateDirectory = stateDirectory }
}

/// An invalid runbook or invocation: exit 2.
public struct RunbookInvalid: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// Runs runbooks step by step in one session each, from an empty world, checkpointing after
/// every passed step.
public final class RunbookRunner {
    /// Every drill starts at the same virtual time with the same seed, so it is reproducible.
    public static let startTime = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    let options: RunOptions
    let out: (String) -> Void
    let environment: [String: String]

    public init(
        options: RunOptions, environment: [String: String] = ProcessInfo.processInfo.environment,
        output: @escaping (String) -> Void
    ) {
        self.options = options
        self.out = output
        self.environment = environment
    }

    /// A runbook as it runs: a Learn page's includes expanded and one zone pivot kept (`page`
    /// says which, and what was left out), then parsed.
    public static func load(
        _ path: String, pivot: String? = nil, includeDirs: [String] = []
    ) throws -> (RunbookDocument, RunbookMetadata, page: LearnPage) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw RunbookInvalid(description: "\(path): cannot read the file")
        }
        let page = LearnPage.read(text, path: path, pivot: pivot, includeDirs: includeDirs)
        if let wanted = pivot, page.pivot != wanted {
            throw RunbookInvalid(
                description: "\(path): --pivot \(wanted) is not a zone pivot of this page"
                    + (page.skippedPivots.isEmpty
                        ? " (it has none)" : " (it has: \(page.skippedPivots.joined(separator: ", ")))"))
        }
        do {
            var doc = try RunbookParser.parse(page.text)
            doc.sha256 = RunRecord.sha256Hex(data)
            return (doc, try RunbookMetadata.parse(doc.frontMatter), page)
        } catch let e as RunbookFormatError {
            throw RunbookInvalid(description: "\(path): \(e)")
        }
    }

    /// What a Learn page's reading left out, for the console.
    public static func notes(_ page: LearnPage) -> String {
        var s = ""
        if let p = page.pivot, !page.skippedPivots.isEmpty {
            s += "  zone pivot \(p); skipped: \(page.skippedPivots.joined(separator: ", ")) (choose with --pivot)\n"
        }
        if !page.missingIncludes.isEmpty {
            s +=
                "  WARNING: includes not found (their lines do not run; give their folder with --include-dir): "
                + page.missingIncludes.joined(separator: ", ") + "\n"
        }
        return s
    }

    /// Declared defaults, overridden by --var; a --var the runbook does not declare (in its front
    /// matter, or as a Learn page's `<placeholder>`) is refused.
    func variables(for meta: RunbookMetadata, doc: RunbookDocument, path: String) throws -> [String: String] {
        var vars = meta.defaults
        let placeholders = Set(
            doc.steps.flatMap(\.commands).filter { $0.kind == .azurecli }.flatMap { Placeholders.names(in: $0.text) })
        for (k, v) in options.variables {
            guard vars[k] != nil || placeholders.contains(k) else {
                throw RunbookInvalid(
                    description:
                        "\(path): --var \(k) is not a variable of this runbook (it declares: "
                        + "\(meta.variables.map(\.name).joined(separator: ", ")))"
                )
            }
            vars[k] = v
        }
        return vars
    }

    /// Runs every file; returns the exit code (0 all passed, 1 a step failed, 2 invalid).
    public func run(_ paths: [String]) -> Int32 {
        var results = [RunbookResult]()
        var invalid = false
        var deselected = 0
        do { try checkOutputs(paths) } catch {
            out("ERROR: \(error)\n")
            return 2
        }
        BashStep.sweep(options.stateDirectory)
        for path in paths {
            do {
                let (doc, meta, page) = try Self.load(
                    path, pivot: options.pivot, includeDirs: options.includeDirs)
                if !options.tags.isEmpty,
                    Set(meta.tags.map { $0.lowercased() }).isDisjoint(with: options.tags.map { $0.lowercased() })
                {
                    out(
                        "- \(doc.title) (\(path)): skipped, none of its tags (\(meta.tags.joined(separator: ", "))) "
                            + "is selected\n"
                    )
                    deselected += 1
                    continue
                }
                let vars = try variables(for: meta, doc: doc, path: path)
                let lint = RunbookLint.check(doc, variables: vars)
                if options.dryRun {
                    printDryRun(path, doc, lint.lines, lint.problems)
                    if !lint.problems.isEmpty { invalid = true }
                    continue
                }
                let refusing = lint.problems.filter(\.refusesRun)
                guard refusing.isEmpty else {
                    throw RunbookInvalid(
                        description: "\(path) is not valid:\n" + refusing.map { "  \($0)" }.joined(separator: "\n"))
                }
                // The rest fail the run at their line, once every step before it was rehearsed.
                for p in lint.problems { out("WARNING: \(path): \(p) (the run fails there)\n") }
                let result = try execute(path, doc, vars, notes: Self.notes(page))
                results.append(result)
                if !result.passed && !options.keepGoing { break }
            } catch let e as RunbookInvalid {
                out("ERROR: \(e.description)\n")
                invalid = true
            } catch {
                out("ERROR: \(error)\n")
                invalid = true
            }
        }
        if options.dryRun { return invalid ? 2 : 0 }
        if !results.isEmpty { out(Self.summaryTable(results)) }
        do { try writeReports(results) } catch {
            out("ERROR: writing reports: \(error)\n")
            return 1
        }
        if invalid { return 2 }
        return results.allSatisfy(\.passed) && results.count + deselected == paths.count ? 0 : 1
    }

    func execute(
        _ path: String, _ doc: RunbookDocument, _ declared: [String: String], notes: String = ""
    ) throws -> RunbookResult {
        let started = Date()
        let store = RunRecordStore(stateDirectory: options.stateDirectory, runbook: path)
        try store.lock()
        let previous = try store.load()
        var first = 1
        var world = World.new(now: Self.startTime, seed: 1)
        world.settings.coalesceKeyChecks = options.coalesceKeyChecks
        var vars = declared
        if options.resume || options.from != nil {
            let target: Int
            if options.resume {
                guard let r = previous, r.status != "passed", let failed = r.failedStep ?? r.checkpoints.max() else {
                    let why = previous?.status == "passed" ? " (its last run passed)" : ""
                    throw RunbookInvalid(description: "\(path): there is no failed run to resume\(why)")
                }
                target = failed
                // A checkpoint holds the world the steps before it made: resuming after one of
                // them was edited would report a pass the runbook as written never earned.
                for step in doc.steps where step.number < target && r.stepDigests[step.number] != RunRecord.digest(step)
                {
                    throw RunbookInvalid(
                        description:
                            "\(path): step \(step.number) '\(step.title)' changed since the run that failed; "
                            + "--resume would replay its old effects. Run afresh, or use --from \(step.number)."
                    )
                }
            } else {
                target = try stepNumber(options.from!, in: doc, path: path)
            }
            if target > 1 {
                guard let p = previous, p.checkpoints.contains(target), let cp = try store.checkpoint(target, of: p)
                else {
                    throw RunbookInvalid(
                        description:
                            "\(path): no checkpoint before step \(target); run the runbook up to that step first")
                }
                world = cp.world
                vars = cp.variables.merging(options.variables) { _, new in new }
            }
            first = target
        }
        var record =
            previous ?? RunRecord(runbook: path, status: "running", failedStep: nil, stepDigests: [:], checkpoints: [])
        if !options.resume && options.from == nil {
            record = RunRecord(runbook: path, status: "running", failedStep: nil, stepDigests: [:], checkpoints: [])
        } else if let p = previous, p.status != "passed" {
            // The resumed report says what happened before it, not only what this attempt did.
            let how = p.status == "running" ? "was interrupted (killed)" : p.status == "stopped" ? "was quit" : "failed"
            record.attempts.append(
                "attempt \(p.attempts.count + 1) \(how) at step \(p.failedStep.map(String.init) ?? "?")"
                    + (p.status == "failed" ? p.lastFailure.map { ": \($0)" } ?? "" : ""))
            record.lastFailure = nil
        }
        if !options.resume && options.from == nil { try store.startFresh() }
        record.checkpoints = record.checkpoints.filter { $0 < first }
        for step in doc.steps where step.number >= first { record.stepDigests[step.number] = RunRecord.digest(step) }
        try store.saveCheckpoint(first, RunRecord.Checkpoint(world: world, variables: vars), into: &record)
        record.status = "running"
        record.failedStep = first
        try store.save(record)
        let session = Session(world: world, variables: vars, environment: environment)
        // Reports are filed as evidence: no secret the runbook uses may reach them.
        var secrets = SecretMask()
        secrets.learn(variables: vars)
        let auditStart = world.audit
        out("▶ \(doc.title) (\(path))\n" + notes)
        for a in record.attempts { out("  resumed; before: \(a)\n") }
        var steps = [StepResult]()
        var stopped = false
        var runRest = false
        for step in doc.steps {
            var result = StepResult(number: step.number, title: step.title, status: .notRun)
            result.prose = secrets.apply(step.prose)
            if step.number < first {
                result.status = .restored
                steps.append(result)
                continue
            }
            if stopped { steps.append(result); continue }
            if options.stepMode, !runRest, let ask = options.ask {
                // Ansible's answers: yes, no (skip), continue (run the rest without asking), quit.
                let answer =
                    ask("Step \(step.number): \(step.title) — run it? [Y/n/c/q] ")?
                    .trimmingCharacters(in: .whitespaces).lowercased() ?? "q"
                if answer.hasPrefix("c") { runRest = true }
                if answer.hasPrefix("q") {
                    stopped = true
                    record.status = "stopped"
                    record.failedStep = step.number
                    try store.save(record)
                    steps.append(result)
                    continue
                }
                if answer.hasPrefix("n") || answer.hasPrefix("s") {
                    result.status = .skipped
                    out("  [\(step.number)] \(step.title) ... skipped\n")
                    steps.append(result)
                    // The world after a skipped step is the one before it.
                    try store.saveCheckpoint(
                        step.number + 1, RunRecord.Checkpoint(world: session.world, variables: session.variables),
                        into: &record)
                    record.failedStep = step.number + 1
                    try store.save(record)
                    continue
                }
            }
            let wall = Date()
            result.virtualStart = session.world.now
            result.status = .passed
            for command in Self.logicalLines(step) {
                let line = command.line
                let prepared = Self.prepare(command, session.variables)
                let text = prepared.text
                secrets.learn(line: text, session: session)
                let variablesBefore = session.variables
                var o = LineOutcome()
                if prepared.bash {
                    if let keydrill = options.keydrillExecutable {
                        let b = BashStep(keydrill: keydrill, stateDirectory: options.stateDirectory).run(
                            text, session: session, environment: environment)
                        (o.stdout, o.stderr, o.exitCode) = (b.stdout, b.stderr, b.exitCode)
                    } else {
                        o.stderr = "ERROR: bash lines run through the keydrill executable, which is not known here\n"
                        o.exitCode = 1
                    }
                } else {
                    o = session.execute(text)
                }
                secrets.learn(line: text, session: session)
                let shown = secrets.apply(HistoryRedaction.redact(text))
                var record = CommandRecord(
                    line: line, text: shown, stdout: secrets.apply(o.stdout),
                    stderr: secrets.apply(o.stderr), exitCode: o.exitCode, virtualTime: session.world.now)
                let substituted = secrets.apply(CommandDisplay.substitute(shown, variablesBefore))
                if substituted != shown { record.substituted = substituted }
                record.assertion = o.assertion
                result.commands.append(record)
                if o.exitCode != 0 {
                    result.status = .failed
                    result.failure = "line \(line): `\(shown)` exited \(o.exitCode)\n" + secrets.apply(o.stderr)
                    break
                }
            }
            result.wallSeconds = Date().timeIntervalSince(wall)
            result.virtualEnd = session.world.now
            out(
                "  [\(step.number)] \(step.title) ... \(result.status.rawValue) "
                    + "(\(String(format: "%.2f", result.wallSeconds)) s wall, "
                    + "+\(AzDuration.describe(result.virtualEnd!.timeIntervalSince(result.virtualStart!))) "
                    + "virtual)\n"
            )
            if result.status == .failed {
                out(
                    result.failure!.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }
                        .joined(separator: "\n") + "\n")
                if record.status != "failed" {
                    record.status = "failed"
                    record.failedStep = step.number
                    record.lastFailure = result.failure?.split(separator: "\n").first.map(String.init)
                }
                // --keep-going rehearses the steps after a failed one too, on the world it left.
                stopped = !options.keepGoing
            } else if record.status == "failed" {
                // After a failure the world is not the one the runbook meant: no checkpoint of it.
            } else {
                try store.saveCheckpoint(
                    step.number + 1, RunRecord.Checkpoint(world: session.world, variables: session.variables),
                    into: &record)
                record.failedStep = step.number + 1
            }
            options.afterStep?(step.number, session.world)
            steps.append(result)
            // A passed step is in the checkpoint index already; the record changes on a failure.
            if result.status == .failed { try store.save(record) }
        }
        if !stopped, record.status == "running" {
            record.status = "passed"
            record.failedStep = nil
            try store.save(record)
        }
        var result = RunbookResult(
            path: path, title: doc.title, steps: steps, audit: session.world.audit.records(since: auditStart),
            earlierAttempts: record.attempts,
            wallSeconds: Date().timeIntervalSince(started))
        result.started = started
        result.keydrillVersion = KeydrillVersion.string
        result.sha256 = doc.sha256
        result.variables = session.variables.mapValues { secrets.apply($0) }
        result.declaredVariables = declared.keys.sorted()
        result.virtualStart = Self.startTime
        result.virtualEnd = session.world.now
        // Every drill begins in an empty world: its whole activity log is this run's.
        result.activity = session.world.activity.events.map { e in
            var e = e
            e.detail = e.detail.map(secrets.apply)
            return e
        }
        result.measures = DrillMeasures.compute(result.activity)
        return result
    }

    /// The expression of an `assert` line (keydrill's builtin, in any block that runs lines).
    /// A step named by its number, its title, or an unambiguous prefix of its title.
    func stepNumber(_ ref: String, in doc: RunbookDocument, path: String) throws -> Int {
        if let n = Int(ref), doc.steps.indices.contains(n - 1) { return n }
        if let s = doc.steps.first(where: { $0.title.lowercased() == ref.lowercased() }) { return s.number }
        let prefixed = doc.steps.filter { $0.title.lowercased().hasPrefix(ref.lowercased()) }
        if prefixed.count == 1 { return prefixed[0].number }
        if prefixed.count > 1 {
            throw RunbookInvalid(
                description:
                    "\(path): '\(ref)' begins several step titles: "
                    + "\(prefixed.map { "\($0.number). \($0.title)" }.joined(separator: "; ")); give more of the "
                    + "title or the number"
            )
        }
        throw RunbookInvalid(
            description:
                "\(path): no step '\(ref)' (steps: "
                + "\(doc.steps.map { "\($0.number). \($0.title)" }.joined(separator: "; ")))"
        )
    }

    func printDryRun(
        _ path: String, _ doc: RunbookDocument, _ lines: [[RunbookLint.CheckedLine]], _ problems: [RunbookLint.Problem]
    ) {
        out("\(doc.title) (\(path)): \(doc.steps.count) steps\n")
        for (step, checked) in zip(doc.steps, lines) {
            out("  \(step.number). \(step.title)\n")
            for c in checked {
                let mark = c.oneWayDoor.map { "  ⚠ ONE-WAY DOOR: \($0)" } ?? ""
                out("     \(c.line): \(c.text.replacingOccurrences(of: "\n", with: " "))\(mark)\n")
            }
        }
        for p in problems { out("  ERROR \(p)\n") }
    }

    static func summaryTable(_ results: [RunbookResult]) -> String {
        var rows = [["Runbook", "Steps", "Result", "Virtual time", "Wall time"]]
        for r in results {
            rows.append([
                r.title, "\(r.stepsPassed)/\(r.steps.count)", r.passed ? "PASSED" : "FAILED",
                AzDuration.describe(r.virtualSeconds),
                String(format: "%.2f s", r.wallSeconds),
            ])
        }
        let widths = rows[0].indices.map { i in rows.map { $0[i].count }.max()! }
        func line(_ r: [String]) -> String {
            r.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        var s =
            "\n" + line(rows[0]) + "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
            + "\n"
        for r in rows.dropFirst() { s += line(r) + "\n" }
        return s
    }

    /// Reports are written whole or not at all, mode 0600 (they hold what the drill printed).
    func writeReports(_ results: [RunbookResult]) throws {
        if let p = options.junitPath { try OutputTarget.resolve(p).write(Data(JUnitReport.render(results).utf8)) }
        if let p = options.reportPath { try OutputTarget.resolve(p).write(Data(MarkdownReport.render(results).utf8)) }
        if let p = options.htmlPath { try OutputTarget.resolve(p).write(Data(MarkdownReport.html(results).utf8)) }
        if let p = options.jsonPath {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys]
            e.dateEncodingStrategy = .iso8601
            try OutputTarget.resolve(p).write(try e.encode(results))
        }
    }

    /// A report must not overwrite what the run reads: a runbook, or anything in the state
    /// directory (the world would no longer load).
    func checkOutputs(_ paths: [String]) throws {
        func resolved(_ p: String) -> String {
            let url = URL(fileURLWithPath: p).standardizedFileURL
            if let real = realpath(url.path, nil) { defer { free(real) }; return String(cString: real) }
            let parent = url.deletingLastPathComponent().path
            if let real = realpath(parent, nil) {
                defer { free(real) }; return String(cString: real) + "/" + url.lastPathComponent
            }
            return url.path
        }
        let inputs = Set(paths.map(resolved))
        let state = resolved(options.stateDirectory)
        for (flag, out) in [
            ("--junit", options.junitPath), ("--report", options.reportPath), ("--json", options.jsonPath),
            ("--html", options.htmlPath),
        ] {
            guard let out else { continue }
            let r = resolved(out)
            if inputs.contains(r) {
                throw RunbookInvalid(
                    description: "\(flag) \(out) is one of the runbooks being run; choose another file")
            }
            if r == state || r.hasPrefix(state + "/") {
                throw RunbookInvalid(
                    description:
                        "\(flag) \(out) is inside the state directory \(options.stateDirectory); choose a file "
                        + "outside it"
                )
            }
            do { _ = try OutputTarget.resolve(out) } catch let e as StoreError {
                throw RunbookInvalid(description: "\(flag) \(e.message)")
            }
        }
    }
}
