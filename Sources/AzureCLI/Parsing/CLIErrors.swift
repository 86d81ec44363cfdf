/// A usage error: az prints it after `ERROR: `, then optionally a did-you-mean line, the command's
/// examples and the reference-docs footer, and exits 2.
public struct UsageError: Error, Sendable {
    public let message: String
    public var suggestion: String?
    public var examples: [(command: String, summary: String)]
    public var footer: [String]

    public init(
        _ message: String, suggestion: String? = nil, examples: [(command: String, summary: String)] = [],
        footer: [String] = ["https://aka.ms/cli_ref", "Read more about the command in reference docs"]
    ) {
        self.message = message
        self.suggestion = suggestion
        self.examples = examples
        self.footer = footer
    }

    public var rendered: String {
        var out = "ERROR: \(message)\n"
        if let suggestion { out += "\(suggestion)\n" }
        if !footer.isEmpty || !examples.isEmpty { out += "\n" }
        if !examples.isEmpty {
            out += "Examples from command's help:\n"
            for e in examples { out += "\(e.command)\n\(e.summary)\n\n" }
        }
        for line in footer { out += "\(line)\n" }
        return out
    }
}

/// A client-side error az raises outside argparse (a validator's CLIError, AAZ's value parsing):
/// one `ERROR: ` line, exit 1.
public struct CLIError: Error, Sendable, Equatable {
    public let message: String
    /// 3 where az marks the error as a missing resource (its `status_code = 404`), else 1.
    public let exitCode: Int32
    /// az's recommendation after any `--query` error.
    public static let queryReference =
        "To learn more about --query, please visit: 'https://learn.microsoft.com/cli/azure/query-azure-cli'"

    public init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }
}

/// What az's own start-up prints, as it prints it, before any parsing: no `ERROR: ` prefix.
public struct StartupRefusal: Error, Sendable, Equatable {
    public let stderr: String
    public let exitCode: Int32

    /// az refuses `--only-show-errors` beside `--debug` or `--verbose`, on two identical lines
    /// (the message is logged and raised), exit 1.
    static func check(_ argv: [String]) throws {
        guard argv.contains("--only-show-errors"), argv.contains("--debug") || argv.contains("--verbose") else {
            return
        }
        let line = "--only-show-errors can't be used together with --debug or --verbose\n"
        throw StartupRefusal(stderr: line + line, exitCode: 1)
    }
}
