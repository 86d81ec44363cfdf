import Foundation
import Cloud
import JMESPath

/// What a command implementation declares: the arguments it honours (anything else the user gives
/// is refused as not emulated, never ignored) and the operation itself.
public struct Handler: Sendable {
    public let supported: Set<String>
    public let run: @Sendable (inout World, Arguments) throws -> JSON?
    /// Warnings az prints on every run of the command, success or failure (deprecation notices).
    public let warnings: [String]

    public init(
        supports: [String], warnings: [String] = [], run: @escaping @Sendable (inout World, Arguments) throws -> JSON?
    ) {
        self.supported = Set(supports)
        self.warnings = warnings
        self.run = run
    }
}

/// The parsed arguments of one invocation, with typed access and a place for warnings.
public final class Arguments: @unchecked Sendable {
    public let invocation: Invocation
    public private(set) var values: [String: JSON]
    public private(set) var warnings: [String] = []

    init(invocation: Invocation, overrides: [String: String] = [:]) {
        self.invocation = invocation
        var v = invocation.arguments
        for (k, s) in overrides { v[k] = .string(s) }
        self.values = v
    }

    public func warn(_ message: String) { warnings.append(message) }
    public func isGiven(_ dest: String) -> Bool { invocation.given[dest] != nil }
    public func option(_ dest: String) -> String { invocation.spec.parameter(dest: dest)?.primaryOption ?? "--\(dest)" }

    public func string(_ dest: String) -> String? { values[dest]?.stringValue }
    public func bool(_ dest: String) -> Bool? { values[dest]?.boolValue }
    /// Clamped into Int's range (az's ints are Python's, unbounded): the command's own range
    /// check then refuses the value instead of the conversion trapping.
    public func int(_ dest: String) -> Int? {
        values[dest]?.numberValue.map { $0 >= 9.2e18 ? Int.max : $0 <= -9.2e18 ? Int.min : Int($0) }
    }
    public func strings(_ dest: String) -> [String]? { values[dest]?.arrayValue?.compactMap(\.stringValue) }
    public func json(_ dest: String) -> JSON? { values[dest].flatMap { $0.isNull ? nil : $0 } }

    public func tags(_ dest: String = "tags") -> [String: String]? {
        guard let o = values[dest]?.objectValue else { return nil }
        var out = [String: String]()
        for (k, v) in o { out[k] = v.stringValue ?? "" }
        return out
    }

    /// A JSON argument given inline or as a path to a file holding it (az's `--value`,
    /// `--encryption-config`, ...). A leading `@` names a file too, as az's @-expansion does.
    public func jsonDocument(_ dest: String) throws -> JSON? {
        guard var text = string(dest) else { return nil }
        let path = text.hasPrefix("@") ? String(text.dropFirst()) : text
        if FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path), let s = String(data: data, encoding: .utf8)
            else {
                throw CLIError("Unable to read the file '\(path)' given to \(option(dest)).")
            }
            text = s
        }
        do {
            return try JSON.parse(text)
        } catch {
            throw CLIError("Failed to parse string as JSON:\n\(text)\nError detail: \(error)")
        }
    }

    /// An id-part argument (`-g`, `--name`) that argparse leaves optional because `--ids` can
    /// stand for it: missing both is az's usage error (exit 2).
    public func required(_ dest: String) throws -> String {
        guard let v = string(dest), !v.isEmpty else {
            throw UsageError(
                "the following arguments are required: \(invocation.spec.parameter(dest: dest)?.displayName ?? dest)")
        }
        return v
    }

    /// The value of an argument az's own validators insist on, with az's message when missing.
    public func require(_ dest: String, message: String? = nil) throws -> String {
        guard let s = string(dest), !s.isEmpty else {
            throw CLIError(message ?? "\(invocation.spec.parameter(dest: dest)?.displayName ?? dest) is required")
        }
        return s
    }
}
