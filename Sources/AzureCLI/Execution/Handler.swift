import Foundation
import Cloud
import JMESPath

/// What a command implementation declares: the params it reads (anything else the user gives is
/// refused as not emulated, never ignored) and the operation itself.
public struct Handler: Sendable {
    public let reads: [any AnyParam]
    /// Computed when asked (for the one command a line runs), not for all 139 handlers at start-up.
    public var supported: Set<String> { Set(reads.map(\.dest)) }
    /// Each read's dest with its param's type, so a read through another type is caught.
    var readTypes: [String: ObjectIdentifier] {
        Dictionary(reads.map { ($0.dest, ObjectIdentifier(type(of: $0))) }) { a, _ in a }
    }
    public let run: @Sendable (inout World, Arguments) throws -> JSON?
    /// Warnings az prints on every run of the command, success or failure (deprecation notices).
    public let warnings: [String]
    /// The command's `table_transformer`: the rows `-o table` prints (without `--query`), in
    /// its column order. A throw is az's "Table output unavailable" (the command still ran).
    public let table: (@Sendable (JSON) throws -> JSON)?
    /// The checks az's custom function makes of its arguments before its first request: they come
    /// before sign-in, and before keydrill refuses an option it does not emulate.
    public let checks: (@Sendable (Arguments, World) throws -> Void)?

    public init(
        reads: [any AnyParam], warnings: [String] = [], table: (@Sendable (JSON) throws -> JSON)? = nil,
        checks: (@Sendable (Arguments, World) throws -> Void)? = nil,
        run: @escaping @Sendable (inout World, Arguments) throws -> JSON?
    ) {
        self.reads = reads
        self.warnings = warnings
        self.table = table
        self.checks = checks
        self.run = run
    }
}

/// The parsed arguments of one invocation, read through typed params, with a place for warnings.
public final class Arguments: @unchecked Sendable {
    public let invocation: Invocation
    public private(set) var values: [String: JSON]
    public private(set) var warnings: [String] = []
    /// What the handler declared it reads; reading anything else is a mistake the tests catch.
    private let handler: Handler?
    /// Only debug builds check reads (in `assert`), so release builds never build this.
    private var declared: [String: ObjectIdentifier]? { handler?.readTypes }

    init(invocation: Invocation, overrides: [String: String] = [:], handler: Handler? = nil) {
        self.invocation = invocation
        var v = invocation.arguments
        for (k, s) in overrides { v[k] = .string(s) }
        self.values = v
        self.handler = handler
    }

    /// A shared helper may read a dest its command lacks (it is nil there); a dest the command
    /// has must be declared, in the type it is read as.
    private func checked<T: AnyParam>(_ p: T) -> String {
        assert(
            declared.map { d in
                d[p.dest] == ObjectIdentifier(T.self) || CommandRegistry.universal.contains(p.dest)
                    || (d[p.dest] == nil && invocation.spec.parameter(dest: p.dest) == nil)
            } ?? true,
            "'\(invocation.spec.name)' reads '\(p.dest)' as \(T.self) without declaring it so")
        return p.dest
    }

    public func warn(_ message: String) { warnings.append(message) }
    /// Whether an argument holds a value Python counts as true (`if password:`), read by dest, for
    /// az's own checks of arguments keydrill may not emulate (they are refused after the checks).
    public func truthy(_ dest: String) -> Bool {
        switch values[dest] {
        case nil, .null?, .bool(false)?: return false
        case .string(let s)?: return !s.isEmpty
        case .array(let a)?: return !a.isEmpty
        default: return true
        }
    }
    /// Whether the user gave the argument, in whatever type it is read.
    public func isGiven(_ p: some AnyParam) -> Bool {
        assert(
            declared.map { d in
                d[p.dest] != nil || CommandRegistry.universal.contains(p.dest)
                    || invocation.spec.parameter(dest: p.dest) == nil
            } ?? true)
        return invocation.given[p.dest] != nil
    }
    public func option(_ p: some AnyParam) -> String {
        invocation.spec.parameter(dest: p.dest)?.primaryOption ?? "--\(p.dest)"
    }

    public subscript<V>(_ p: Param<V>) -> V? { values[checked(p)].flatMap(V.decode) }

    /// A JSON argument given inline or as a path to a file holding it (az's `--value`,
    /// `--encryption-config`, ...). A leading `@` names a file too, as az's @-expansion does.
    public func jsonDocument(_ p: Param<String>) throws -> JSON? {
        guard var text = self[p] else { return nil }
        let path = text.hasPrefix("@") ? String(text.dropFirst()) : text
        if FileManager.default.fileExists(atPath: path) { text = try PythonJSON.fileContent(path) }
        return try PythonJSON.shellSafe(text).json
    }

    /// An id-part argument (`-g`, `--name`) that argparse leaves optional because `--ids` can
    /// stand for it: missing both is az's usage error (exit 2).
    public func required(_ p: Param<String>) throws -> String {
        guard let v = self[p], !v.isEmpty else {
            let name = invocation.spec.parameter(dest: p.dest)?.displayName ?? p.dest
            throw UsageError("the following arguments are required: \(name)")
        }
        return v
    }

    /// The value of an argument az's own validators insist on, with az's message when missing.
    public func require(_ p: Param<String>, message: String? = nil) throws -> String {
        guard let s = self[p], !s.isEmpty else {
            throw CLIError(message ?? "\(invocation.spec.parameter(dest: p.dest)?.displayName ?? p.dest) is required")
        }
        return s
    }
}
