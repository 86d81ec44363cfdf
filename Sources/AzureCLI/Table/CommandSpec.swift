/// One az (or keydrill) command as az defines it: its options, their kinds and help.
public struct CommandSpec: Sendable {
    public let name: String
    public let cliVersion: String
    public let isAAZ: Bool
    public let confirms: Bool
    public let acceptsIds: Bool
    public let isPreview: Bool
    /// The validators az runs after the y/N question and before the service, in its order
    /// (`Validators` has each one).
    public let validators: [String]
    public let summary: String
    public let longSummary: String
    public internal(set) var parameters: [ParameterSpec]
    public internal(set) var examples: [(command: String, summary: String)]
    /// Where az's parser registered each argument (by dest, globals included): argparse names an
    /// ambiguous prefix's candidates in this order.
    public internal(set) var registration: [String: Int] = [:]

    public var words: [String] { name.split(separator: " ").map(String.init) }

    /// The examples az appends to a usage error. az 2.79 (the `postgres server` groups) printed
    /// none there, as the recorded probes show.
    public var usageExamples: [(command: String, summary: String)] { cliVersion == "2.79.0" ? [] : examples }

    public func parameter(dest: String) -> ParameterSpec? { parameters.first { $0.dest == dest } }

    /// The Resource Id arguments az insists on when `--ids` is not given, in the order its
    /// "(... | --ids) are required" names them.
    public var requiredWithoutIds: [ParameterSpec] { ordered(by: \.requiredWithoutIds) }

    /// Whether az itself reads `--ids` into the id-part arguments (its ids_metadata): a command
    /// that is not a create and has a resource name among them. Elsewhere `--ids` is the command's own.
    public var splitsIds: Bool {
        words.last != "create" && parameters.contains { $0.idPart == "name" || $0.idPart == "resource_name" }
    }

    /// An AAZ command's schema fields, in the order it checks them.
    public var aazFields: [ParameterSpec] {
        parameters.filter { $0.aaz != nil }.sorted { $0.aaz!.position < $1.aaz!.position }
    }

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
    /// Its field in an AAZ command's schema, which AAZ checks when the command runs.
    public var aaz: AAZField?
    /// Typed with az's `get_location_name_type`: a display name (`East US`) is looked up in the
    /// subscription's locations as argparse takes it.
    public var isLocationName = false
    /// An AAZ dict, object or list argument's shape (JSON, read by `AAZShape`): what its
    /// values' shorthand syntax converts to.
    public var aazShape: String?

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

/// One field of an AAZ command's argument schema (tools/aaz-schemas.json): AAZ takes them in order
/// and checks a given field's format, then a required field's presence.
public struct AAZField: Sendable {
    public enum Format: String, Sendable { case str, int, duration, pagetoken, location, resourceid }
    public let position: Int
    /// Required by AAZ (`InvalidArgumentValue: Missing required field: X`, exit 1), not argparse.
    public let required: Bool
    /// The option AAZ names in its messages (the schema's first, not argparse's).
    public let option: String
    public let format: Format?
    /// A string's length limits, or an integer's bounds.
    public let min: Int?, max: Int?, multiple: Int?
    /// A resource id's template (`/subscriptions/{subscription}/.../natGateways/{}`): a bare name
    /// is built into an id with it, and an id must have its shape.
    public var template: String? = nil
    /// The format is each element's, of a list.
    public var each = false
}
