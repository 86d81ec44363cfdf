/// One az (or keydrill) command as az defines it: its options, their kinds and help.
public struct CommandSpec: Sendable {
    public let name: String
    public let cliVersion: String
    public let isAAZ: Bool
    public let confirms: Bool
    public let acceptsIds: Bool
    public let isPreview: Bool
    public let summary: String
    public let longSummary: String
    public internal(set) var parameters: [ParameterSpec]
    public internal(set) var examples: [(command: String, summary: String)]

    public var words: [String] { name.split(separator: " ").map(String.init) }

    /// The examples az appends to a usage error. az 2.79 (the `postgres server` groups) printed
    /// none there, as the recorded probes show.
    public var usageExamples: [(command: String, summary: String)] { cliVersion == "2.79.0" ? [] : examples }

    public func parameter(dest: String) -> ParameterSpec? { parameters.first { $0.dest == dest } }

    /// The Resource Id arguments az insists on when `--ids` is not given, in the order its
    /// "(... | --ids) are required" names them.
    public var requiredWithoutIds: [ParameterSpec] { ordered(by: \.requiredWithoutIds) }

    /// An AAZ command's required fields, in the order it checks them.
    public var aazRequiredFields: [ParameterSpec] { ordered(by: \.aazRequired) }

    private func ordered(by place: KeyPath<ParameterSpec, Int?>) -> [ParameterSpec] {
        parameters.compactMap { p in p[keyPath: place].map { ($0, p) } }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}

public struct ParameterSpec: Sendable {
    public enum Kind: String, Sendable {
        case value, flag, bool, aazbool, int, aazint, datetime, duration, dict, tags, aazlist, aazobject, file,
            fileordict
    }

    public enum Arity: String, Sendable {
        case one = "1", optional = "?", oneOrMore = "+", zeroOrMore = "*", none = "0"
    }

    public let options: [String]
    public let dest: String
    public let kind: Kind
    public let arity: Arity
    public let required: Bool
    public let defaultJSON: String?
    public let choices: [String]
    public let choicesCaseSensitive: Bool
    public let isHidden: Bool
    public let isDeprecated: Bool
    /// Repeats add a value instead of replacing it (`--encryption-config`).
    public let appends: Bool
    /// Repeats merge their key=value pairs (AAZ dictionaries such as `--tags`).
    public let merges: Bool
    public let isPolicyArgument: Bool
    /// Which segment of an ARM id fills this argument when `--ids` is used.
    public let idPart: String?
    public let group: String?
    public let help: String
    /// A secret (masked in history, reports and debug output), as the generator marks it.
    public var isSecret: Bool = false
    /// What names complete its value (vaults, keys, servers...), as the generator marks it.
    public var completion: CompletionKind?
    /// Its place in az's "(... | --ids) are required" when az needs it without `--ids`.
    public var requiredWithoutIds: Int?
    /// Its place in the order an AAZ command checks its required fields when `--ids` is not given
    /// (`InvalidArgumentValue: Missing required field: X`, exit 1): argparse does not require it.
    public var aazRequired: Int?
    /// An AAZ command's length limits, checked before the service, and the option az names then.
    public var lengthLimits: (min: Int?, max: Int?, option: String)?

    /// `--name/-n`, as argparse names an argument in its messages.
    public var displayName: String { options.joined(separator: "/") }
    public var primaryOption: String { options[0] }
    public var isList: Bool { arity == .oneOrMore || arity == .zeroOrMore }
}

/// The kinds of name an argument's value is, for completion: the generator marks each argument
/// (tools/gen-command-table.py) and `CompletionValues` lists what exists of each.
public enum CompletionKind: String, Sendable, CaseIterable {
    case resourceGroup, vault, key, keyId, postgresServer, namespace, queue, alias, principal, location, identity
}
