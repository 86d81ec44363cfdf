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

public enum AzureCLI {
    public static let azVersion = "2.91.0"

    /// - Parameter keydrill: true for keydrill's own command groups (`audit`, `portal`, `workload`).
    public static func run(
        _ argv: [String], keydrill: Bool = false, world: inout World,
        environment: @escaping @Sendable (String) -> String?, terminal: TerminalTraits = TerminalTraits()
    ) -> CommandResult {
        let started = Date()
        var out = CommandResult()
        let parsed: ParseResult
        do {
            parsed = try CommandLineParser(environment: environment).parse(argv, keydrill: keydrill)
        } catch let e as UsageError {
            out.stderr = e.rendered
            out.exitCode = 2
            return out
        } catch let e as CLIError {
            out.stderr = "ERROR: \(e.message)\n"
            out.exitCode = 1
            return out
        } catch {
            out.stderr = "ERROR: \(error)\n"
            out.exitCode = 1
            return out
        }
        let invocation: Invocation
        switch parsed {
        case .help(let text):
            out.stdout = text
            return out
        case .run(let inv):
            invocation = inv
        }
        var warnings = invocation.warnings
        // Key Vault logs refused operations too, so a failed command keeps its audit records.
        var draft = world
        defer { if out.exitCode != 0, draft.audit.count > world.audit.count { world.audit = draft.audit } }
        func finish(_ r: inout CommandResult) {
            if !invocation.onlyShowErrors {
                r.stderr = warnings.map { "WARNING: \($0)\n" }.joined() + r.stderr
            }
            if invocation.verbose {
                r.stderr += String(
                    format: "INFO: Command ran in %.3f seconds (init: 0.000, invoke: %.3f)\n",
                    Date().timeIntervalSince(started), Date().timeIntervalSince(started))
            }
        }
        do {
            let spec = invocation.spec
            guard let handler = CommandRegistry.handlers[spec.name] else {
                throw CLIError(
                    "keydrill does not emulate 'az \(spec.name)' (az \(spec.cliVersion) has it); it is refused "
                        + "rather than run against nothing."
                )
            }
            let unsupported = invocation.given.filter {
                !handler.supported.contains($0.key) && !CommandRegistry.universal.contains($0.key)
            }
            if let first = unsupported.sorted(by: { $0.key < $1.key }).first {
                throw CLIError(
                    "keydrill does not emulate '\(first.value)' of 'az \(spec.name)'; it is refused rather than "
                        + "ignored."
                )
            }
            warnings.append(contentsOf: handler.warnings)
            if world.isSignedOut, !keydrill, !["login", "logout"].contains(spec.name) {
                throw CLIError("Please run 'az login' to setup account.")
            }
            if let sub = invocation.arguments["subscription"]?.stringValue, invocation.given["subscription"] != nil,
                sub.lowercased() != world.subscription.id.lowercased(),
                sub.lowercased() != world.subscription.name.lowercased()
            {
                throw CLIError("The subscription of '\(sub)' doesn't exist in cloud 'AzureCloud'.")
            }
            if spec.isPreview {
                warnings.append(
                    "This command is in preview and under development. Reference and support levels: "
                        + "https://aka.ms/CLI_refstatus"
                )
            }
            if invocation.debug {
                let given = invocation.given.keys.sorted().map { dest in
                    let secret = spec.parameter(dest: dest)?.isSecret == true
                    return
                        "\(dest)=\(secret ? "\"********\"" : invocation.arguments[dest]?.serialized(.compact) ?? "null")"
                }
                out.stderr += "DEBUG: keydrill: az \(spec.name) \(given.joined(separator: " "))\n"
            }
            if spec.confirms, invocation.arguments["yes"]?.boolValue != true {
                guard let ask = terminal.confirm else {
                    warnings.append("Unable to prompt for confirmation as no tty available. Use --yes.")
                    throw CLIError("Operation cancelled.")
                }
                guard ask(confirmationQuestion) else { throw CLIError("Operation cancelled.") }
            }
            var results = [JSON?]()
            // `--ids` runs the command once per id where az splits ids into arguments (id_part).
            let splitsIds = spec.parameters.contains { $0.idPart != nil }
            let runs: [[String: String]] =
                invocation.ids.isEmpty || !splitsIds
                ? [[:]]
                : invocation.ids.map { idParts in
                    var o = [String: String]()
                    for p in spec.parameters { if let part = p.idPart, let v = idParts[part] { o[p.dest] = v } }
                    return o
                }
            for overrides in runs {
                let args = Arguments(invocation: invocation, overrides: overrides, declared: handler.readTypes)
                let r = try handler.run(&draft, args)
                warnings.append(contentsOf: args.warnings)
                results.append(r)
            }
            world = draft
            var value: JSON? = results.count == 1 ? results[0] : .array(results.map { $0 ?? .null })
            if invocation.arguments["no_wait"]?.boolValue == true { value = nil }
            if var v = value {
                if let q = invocation.query { v = try q.search(v) }
                value = v
                out.value = v
                out.stdout = OutputFormatter.render(
                    v, as: invocation.output, keepKeyOrder: invocation.query?.isMultiSelectHash ?? false,
                    queryActive: invocation.query != nil,
                    color: terminal.stdoutIsTerminal && terminal.colorAllowed
                        && (invocation.output == .jsonc || invocation.output == .yamlc))
            }
        } catch let committed as CommittedFailure {
            // The service kept part of what it did (the portal registering an identity).
            world = draft
            out.stderr += render(committed.error)
            out.errorCode = committed.error.code
            out.innerErrorCode = committed.error.innerCode
            out.exitCode = committed.error.status == 404 ? 3 : 1
            out.stdout = ""
        } catch let e as CloudError {
            out.stderr += render(e)
            out.errorCode = e.code
            out.innerErrorCode = e.innerCode
            out.exitCode = e.status == 404 ? 3 : 1
            out.stdout = ""
        } catch let e as CLIError {
            out.stderr += "ERROR: \(e.message)\n"
            out.exitCode = 1
        } catch let e as UsageError {
            out.stderr += e.rendered
            out.exitCode = 2
        } catch let e as JMESPathError {
            out.stderr += "ERROR: \(e.message)\n"
            out.exitCode = 1
        } catch {
            out.stderr += "ERROR: \(error)\n"
            out.exitCode = 1
        }
        finish(&out)
        return out
    }

    public static let confirmationQuestion = "Are you sure you want to perform this operation? (y/n): "

    /// Whether the line is a command that asks az's y/N question before it runs: asked before
    /// the state directory is locked, so another process never waits on a person.
    public static func needsConfirmation(
        _ argv: [String], keydrill: Bool = false,
        environment: @escaping @Sendable (String) -> String?
    ) -> Bool {
        guard case .run(let inv)? = try? CommandLineParser(environment: environment).parse(argv, keydrill: keydrill)
        else {
            return false
        }
        return inv.spec.confirms && inv.arguments["yes"]?.boolValue != true
    }

    /// az's layout for a service error.
    public static func render(_ e: CloudError) -> String {
        var s = "ERROR: (\(e.code)) \(e.message)\nCode: \(e.code)\nMessage: \(e.message)\n"
        if let inner = e.innerCode { s += "Inner error: {\n    \"code\": \"\(inner)\"\n}\n" }
        return s
    }
}
