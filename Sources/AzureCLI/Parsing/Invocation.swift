import JMESPath

public enum OutputFormat: String, Sendable, CaseIterable {
    case json, jsonc, yaml, yamlc, table, tsv, none
}

/// A parsed command line: the command, its arguments by az's destination names, and the global
/// options that shape output.
public struct Invocation: Sendable {
    public let spec: CommandSpec
    /// Every argument that was given or has a default, by az's `dest` name.
    public var arguments: [String: JSON]
    /// The arguments the user typed, by dest, with the option string as typed.
    public var given: [String: String]
    public var output: OutputFormat
    public var query: JMESPathExpression?
    public var onlyShowErrors: Bool
    public var verbose: Bool
    public var debug: Bool
    /// One entry per `--ids` value: the id's segments by az's id_part names.
    public var ids: [[String: String]]
    public var warnings: [String]

    public func isGiven(_ dest: String) -> Bool { given[dest] != nil }
}

public enum ParseResult: Sendable {
    case run(Invocation)
    /// Help text for stdout (exit 0).
    case help(String)
}
