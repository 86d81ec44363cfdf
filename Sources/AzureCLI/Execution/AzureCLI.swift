import Cloud
import Foundation
import JMESPath

/// Runs one `az` command line against a world, producing exactly what az would print and its exit
/// code. The world changes only when the command succeeds.
public struct CommandResult: Sendable {
    public var stdout = ""
    public var stderr = ""
    public var exitCode: Int32 = 0
    /// The command's JSON result after `--query` (nil when it printed nothing), for `assert`.
    public var value: JSON?
    /// The service error code when the command failed with one (`ResourceGroupNotFound`, ...).
    public var errorCode: String?
    /// The service's inner error code (Key Vault's `innererror.code`), when it has one.
    public var innerErrorCode: String?

    public init() {}
}

public struct TerminalTraits: Sendable {
    public var stdoutIsTerminal: Bool
    public var colorAllowed: Bool
    /// Asks the user a y/N question on a terminal; nil when there is no terminal to ask on.
    public var confirm: (@Sendable (String) -> Bool)?

    public init(
        stdoutIsTerminal: Bool = false, colorAllowed: Bool = false, confirm: (@Sendable (String) -> Bool)? = nil
    ) {
        self.stdoutIsTerminal = stdoutIsTerminal
        self.colorAllowed = colorAllowed
        self.confirm = confirm
    }
}

/// A command line parsed and checked against the catalogue, with no world touched yet: what
/// `AzureCLI.prepare` gives, so a caller can ask az's y/N question before it locks the state.
public struct PreparedCommand: Sendable {
    public let invocation: Invocation
    let argv: [String]
    let handler: Handler
    let keydrill: Bool
    let started: Date
    var warnings: [String]
    var debugLine: String
    /// az asks "Are you sure...?" before this command (it confirms and `--yes` was not given).
    public var needsConfirmation: Bool { invocation.spec.confirms && invocation.arguments["yes"]?.boolValue != true }
}

public enum AzureCLI {
    public static let azVersion = "2.91.0"

    /// Prepare, confirm, execute: one command line against a world. A caller that holds a lock
    /// around the world calls the three steps itself and asks before it locks.
    /// - Parameter keydrill: true for keydrill's own command groups (`audit`, `portal`, `workload`).
    public static func run(
        _ argv: [String], keydrill: Bool = false, world: inout World,
        environment: @escaping @Sendable (String) -> String?, terminal: TerminalTraits = TerminalTraits()
    ) -> CommandResult {
        switch prepare(argv, keydrill: keydrill, environment: environment, signedIn: !world.isSignedOut) {
        case .finished(let result):
            return result
        case .ready(let command):
            if let refused = confirm(command, ask: terminal.confirm) { return refused }
            return execute(command, world: &world, terminal: terminal)
        }
    }

    public enum Preparation: Sendable {
        /// Nothing to run: help was printed, or the line is refused (usage error, not emulated).
        case finished(CommandResult)
        case ready(PreparedCommand)
    }

    /// Parse and check the line (options, the handler, what it reads): no world, no lock.
    /// - Parameter signedIn: what the caller last saw of the world; az needs a sign-in to parse
    ///   some values.
    public static func prepare(
        _ argv: [String], keydrill: Bool = false, environment: @escaping @Sendable (String) -> String?,
        signedIn: Bool = true
    ) -> Preparation {
        let started = Date()
        var out = CommandResult()
        let parsed: ParseResult
        do {
            parsed = try CommandLineParser(environment: environment, signedIn: signedIn).parse(argv, keydrill: keydrill)
        } catch let e as UsageError {
            out.stderr = e.rendered
            out.stderr += DriftHints.line(for: .init(argv: argv, command: nil, stderr: out.stderr, innerErrorCode: nil))
            out.exitCode = 2
            return .finished(out)
        } catch let e as CLIError {
            out.stderr = "ERROR: \(e.message)\n"
            out.exitCode = 1
            return .finished(out)
        } catch let e as StartupRefusal {
            out.stderr = e.stderr
            out.exitCode = e.exitCode
            return .finished(out)
        } catch {
            out.stderr = "ERROR: \(error)\n"
            out.exitCode = 1
            return .finished(out)
        }
        let invocation: Invocation
        switch parsed {
        case .help(let text):
            out.stdout = text
            return .finished(out)
        case .run(let inv):
            invocation = inv
        }
        var warnings = invocation.warnings
        let spec = invocation.spec
        func refuse(_ message: String) -> Preparation {
            var r = CommandResult()
            r.stderr =
                (invocation.onlyShowErrors ? "" : warnings.map { "WARNING: \($0)\n" }.joined())
                + "ERROR: \(message)\n"
            r.exitCode = 1
            return .finished(r)
        }
        // az's parse_ids_arguments, right after parsing: without --ids, the arguments an id
        // would have filled must be there.
        if spec.acceptsIds, !invocation.isGiven("ids") {
            let missing = spec.requiredWithoutIds.filter { (invocation.arguments[$0.dest] ?? .null).isNull }
            if !missing.isEmpty {
                return refuse("(\(missing.map(\.primaryOption).joined(separator: " ")) | --ids) are required")
            }
        }
        guard let handler = CommandRegistry.handlers[spec.name] else {
            // az would check an AAZ command's fields first.
            do { try AAZChecks.run(invocation, values: invocation.arguments, world: nil) } catch let e as CLIError {
                return refuse(e.message)
            } catch {}
            return refuse(
                "keydrill does not emulate 'az \(spec.name)' (az \(spec.cliVersion) has it); it is refused "
                    + "rather than run against nothing.")
        }
        warnings.append(contentsOf: handler.warnings)
        if spec.isPreview {
            warnings.append(
                "This command is in preview and under development. Reference and support levels: "
                    + "https://aka.ms/CLI_refstatus")
        }
        var debugLine = ""
        if invocation.debug {
            let given = invocation.given.keys.sorted().map { dest in
                let secret = spec.parameter(dest: dest)?.isSecret == true
                let shown = secret ? "\"********\"" : invocation.arguments[dest]?.serialized(.compact) ?? "null"
                return "\(dest)=\(shown)"
            }
            debugLine = "DEBUG: keydrill: az \(spec.name) \(given.joined(separator: " "))\n"
        }
        return .ready(
            PreparedCommand(
                invocation: invocation, argv: argv, handler: handler, keydrill: keydrill, started: started,
                warnings: warnings,
                debugLine: debugLine))
    }

    /// az's y/N question, asked (when the command has one) before the world is locked; nil means
    /// go on, a result means the command was cancelled.
    public static func confirm(_ command: PreparedCommand, ask: (@Sendable (String) -> Bool)?) -> CommandResult? {
        guard command.needsConfirmation else { return nil }
        var warnings = command.warnings
        if let ask {
            if ask(confirmationQuestion) { return nil }
        } else {
            warnings.append("Unable to prompt for confirmation as no tty available. Use --yes.")
        }
        var r = CommandResult()
        r.stderr =
            (command.invocation.onlyShowErrors ? "" : warnings.map { "WARNING: \($0)\n" }.joined())
            + command.debugLine + "ERROR: Operation cancelled.\n"
        r.exitCode = 1
        return r
    }

    /// Run a prepared (and confirmed) command against the world and render what az prints. The
    /// world changes only when the command succeeds, except what the service keeps of a failure
    /// (`CommandOutcome`).
    public static func execute(
        _ command: PreparedCommand, world: inout World, terminal: TerminalTraits = TerminalTraits()
    ) -> CommandResult {
        let invocation = command.invocation
        let spec = invocation.spec
        var warnings = command.warnings
        var out = CommandResult()
        out.stderr = command.debugLine
        var draft = world
        do {
            // `--ids` runs the command once per id where az splits ids into arguments (id_part).
            // Ids that name nothing (`--ids 7`, JSON without ids) run it zero times, as in az.
            let runs: [[String: String]] =
                !invocation.isGiven("ids") || !spec.splitsIds
                ? [[:]]
                : invocation.ids.map { idParts in
                    var o = [String: String]()
                    for p in spec.parameters { if let part = p.idPart, let v = idParts[part] { o[p.dest] = v } }
                    return o
                }
            // az's validators, once per id as az runs them, after its y/N question.
            for overrides in runs {
                var values = invocation.arguments
                for (k, v) in overrides { values[k] = .string(v) }
                try Validators.run(
                    spec, values: values, given: Set(invocation.given.keys).union(overrides.keys), world: world,
                    warnings: &warnings)
                try AAZChecks.run(invocation, values: values, world: world)
                if let checks = command.handler.checks {
                    let args = Arguments(invocation: invocation, overrides: overrides, handler: command.handler)
                    defer { warnings += args.warnings }
                    try checks(args, world)
                }
            }
            // Only now is an option keydrill does not emulate refused: az would have stopped first
            // at any of the checks above.
            let supported = command.handler.supported
            if !runs.isEmpty,
                let first = invocation.given.filter({
                    !supported.contains($0.key) && !CommandRegistry.universal.contains($0.key)
                }).sorted(by: { $0.key < $1.key }).first
            {
                throw CLIError(
                    "keydrill does not emulate '\(first.value)' of 'az \(spec.name)'; it is refused rather than "
                        + "ignored.")
            }
            if !runs.isEmpty, !command.keydrill, !["login", "logout"].contains(spec.name) {
                try requireSignedIn(world)
            }
            if let sub = invocation.arguments["subscription"]?.stringValue, invocation.given["subscription"] != nil,
                sub.lowercased() != world.subscription.id.lowercased(),
                sub.lowercased() != world.subscription.name.lowercased()
            {
                throw CLIError("The subscription of '\(sub)' doesn't exist in cloud 'AzureCloud'.")
            }
            if !runs.isEmpty, !["login", "logout"].contains(spec.name),
                !ControlPlaneLog.worldViews.contains(spec.name),
                !spec.name.hasPrefix("workload ")
            {
                try world.requireLiveToken()
            }
            // ARM authorises every request of every run before any runs, as the caller's roles
            // stand now.
            let filters = try runs.map { overrides in
                try ResourceManagerRequests.authorize(
                    spec.name, Arguments(invocation: invocation, overrides: overrides, handler: command.handler),
                    &draft)
            }
            var results = [JSON?]()
            for (overrides, filter) in zip(runs, filters) {
                let args = Arguments(invocation: invocation, overrides: overrides, handler: command.handler)
                let r = try command.handler.run(&draft, args)
                warnings.append(contentsOf: args.warnings)
                results.append(filter.map { $0.apply(r, draft) } ?? r)
            }
            world = draft
            for r in results { ControlPlaneLog.record(invocation, argv: command.argv, result: r, in: &world) }
            var value: JSON? = results.count == 1 ? results[0] : .array(results.map { $0 ?? .null })
            if invocation.arguments["no_wait"]?.boolValue == true { value = nil }
            if var v = value {
                if let q = invocation.query {
                    // A query that compiled can still fail when it runs (jmespath.py finds unknown
                    // functions, counts and types then): after the command succeeded, exit 1.
                    do { v = try q.search(v) } catch let e as JMESPathError where e.raisedByPython {
                        // Not a JMESPath error to az: it crashes, and says so (its traceback elided).
                        throw CLIError(
                            "The command failed with an unexpected error. Here is the traceback:\nERROR: "
                                + "\(e.message)\nValueError: \(e.message)\nTo check existing issues, please visit: "
                                + "https://github.com/Azure/azure-cli/issues")
                    } catch let e as JMESPathError {
                        throw CLIError(
                            "Invalid jmespath query supplied for `--query`: \(e.message)\n" + CLIError.queryReference)
                    }
                }
                value = v
                out.value = v
                var shown = v
                let transform = invocation.output == .table && invocation.query == nil ? command.handler.table : nil
                if let transform {
                    do { shown = try transform(v) } catch {
                        throw CLIError(
                            "Table output unavailable. Use the --query option to specify an appropriate query. "
                                + "Use --debug for more info.")
                    }
                }
                out.stdout = OutputFormatter.render(
                    shown, as: invocation.output, keepKeyOrder: invocation.query?.isMultiSelectHash ?? false,
                    queryActive: invocation.query != nil || transform != nil,
                    color: terminal.stdoutIsTerminal && terminal.colorAllowed
                        && (invocation.output == .jsonc || invocation.output == .yamlc))
            }
        } catch {
            CommandOutcome.failed(error, attempt: draft).apply(to: &world, result: &out)
        }
        if !invocation.onlyShowErrors {
            out.stderr = warnings.map { "WARNING: \($0)\n" }.joined() + out.stderr
        }
        if out.exitCode != 0 {
            out.stderr += DriftHints.line(
                for: .init(
                    argv: command.argv, command: spec.name, stderr: out.stderr,
                    innerErrorCode: out.innerErrorCode, pendingGrant: world.pendingGrantDescription(), world: world))
        }
        if invocation.verbose {
            let elapsed = Date().timeIntervalSince(command.started)
            out.stderr += String(
                format: "INFO: Command ran in %.3f seconds (init: 0.000, invoke: %.3f)\n", elapsed, elapsed)
        }
        return out
    }

    /// What az says when a command needs the service and nobody is signed in.
    static func requireSignedIn(_ world: World) throws {
        if world.isSignedOut { throw CLIError("Please run 'az login' to setup account.") }
    }

    /// az's `get_subscription_id` for one job: the subscription the job carries (an id's, or
    /// `--subscription` as given) where there is one, else the signed-in profile's.
    static func subscriptionID(given: String?, world: World) throws -> String {
        if let given, !given.isEmpty { return given }
        try requireSignedIn(world)
        return world.subscription.id
    }

    public static let confirmationQuestion = "Are you sure you want to perform this operation? (y/n): "

    /// az's layout for a service error.
    public static func render(_ e: CloudError) -> String {
        var s = "ERROR: (\(e.code)) \(e.message)\nCode: \(e.code)\nMessage: \(e.message)\n"
        if let inner = e.innerCode { s += "Inner error: {\n    \"code\": \"\(inner)\"\n}\n" }
        return s
    }
}
