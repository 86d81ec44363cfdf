import ArgumentParser
@preconcurrency import Foundation
@preconcurrency import Glibc
import Runbook
import Shell

struct RunRunbooks: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract:
            "Run Markdown runbooks step by step, each from an empty world; exit 0 only when every step passed (2: "
            + "invalid runbook)."
    )

    @Argument(help: ArgumentHelp("Runbook files.", valueName: "FILE"))
    var files: [String]

    @Option(
        name: .customLong("var"),
        help: ArgumentHelp("Set a variable the runbook declares (repeatable).", valueName: "NAME=VALUE"))
    var variables: [String] = []

    @Option(help: ArgumentHelp("Write a JUnit XML report.", valueName: "FILE")) var junit: String?
    @Option(help: ArgumentHelp("Write a Markdown report.", valueName: "FILE.md")) var report: String?
    @Option(help: ArgumentHelp("Write a JSON report.", valueName: "FILE")) var json: String?
    @Option(help: ArgumentHelp("Write a self-contained HTML report (timeline included).", valueName: "FILE.html"))
    var html: String?
    @Flag(help: "Continue the last failed run at the failed step, with the world as it was when that step began.")
    var resume = false
    @Option(
        help: ArgumentHelp("Start at this step (name or number), from the checkpoint before it.", valueName: "STEP"))
    var from: String?
    @Flag(help: "List steps and commands, check every line against the command table, mark one-way doors; run nothing.")
    var dryRun = false
    @Flag(help: "Ask before each step: y run, n skip, c run the rest without asking, q quit (resumable).") var step =
        false
    @Option(
        help: ArgumentHelp(
            "Run only runbooks whose front matter lists one of these tags (comma-separated, repeatable).",
            valueName: "TAG"))
    var tags: [String] = []
    @OptionGroup var page: LearnPageOptions
    @OptionGroup var globals: GlobalOptions

    func validate() throws {
        if resume && from != nil { throw ValidationError("--resume and --from are mutually exclusive") }
        for v in variables where !v.contains("=") { throw ValidationError("--var expects NAME=VALUE, got '\(v)'") }
    }

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        var o = RunOptions(stateDirectory: StatePaths.directory(explicit: globals.state, environment: env))
        for v in variables {
            let parts = v.split(separator: "=", maxSplits: 1)
            o.variables[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        o.pivot = page.pivot
        o.includeDirs = page.includeDirs
        o.junitPath = junit
        o.reportPath = report
        o.jsonPath = json
        o.htmlPath = html
        o.resume = resume
        o.from = from
        o.dryRun = dryRun
        o.stepMode = step
        o.keepGoing = globals.keepGoing
        // bash blocks call this same binary as `az`, through a link to it.
        o.keydrillExecutable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        o.tags = tags.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter {
            !$0.isEmpty
        }
        if step, isatty(0) == 1 {
            o.ask = { prompt in
                fputs(prompt, stdout)
                fflush(stdout)
                return readLine()
            }
        }
        let code = RunbookRunner(options: o, environment: env) { text in
            fputs(text, stdout)
        }.run(files)
        fflush(stdout)
        if code != 0 { throw ExitCode(code) }
    }
}

struct LintRunbooks: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract:
            "Check runbooks without running them: structure, front matter, and every line against the command table.")

    @Argument(help: ArgumentHelp("Runbook files.", valueName: "FILE"))
    var files: [String]
    @OptionGroup var page: LearnPageOptions

    func run() throws {
        var failed = false
        for path in files {
            do {
                let (doc, meta, learn) = try RunbookRunner.load(
                    path, pivot: page.pivot, includeDirs: page.includeDirs)
                print(
                    RunbookRunner.notes(learn).split(separator: "\n").map { "\(path):\($0)\n" }.joined(), terminator: ""
                )
                let problems = RunbookLint.check(doc, variables: meta.defaults).problems
                for p in problems { print("\(path): \(p)") }
                if problems.isEmpty { print("\(path): ok (\(doc.steps.count) steps)") } else { failed = true }
            } catch {
                print("ERROR: \(error)")
                failed = true
            }
        }
        fflush(stdout)
        if failed { throw ExitCode(2) }
    }
}

/// How a Microsoft Learn page is read: which zone pivot runs, where its includes are.
struct LearnPageOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The zone pivot of a Learn page to run (default: its az CLI pivot); the others are skipped.",
            valueName: "NAME"))
    var pivot: String?
    @Option(
        name: .customLong("include-dir"),
        help: ArgumentHelp(
            "A folder holding a Learn page's [!INCLUDE] files, after the page's own (repeatable).",
            valueName: "DIR"))
    var includeDirs: [String] = []
}
