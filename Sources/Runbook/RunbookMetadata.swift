import Foundation
import Yams

/// The optional front matter: a description, tags, and variables with their defaults.
public struct RunbookMetadata: Sendable, Equatable {
    public var description: String?
    public var tags: [String] = []
    /// Declared variables in file order, with defaults.
    public var variables: [(name: String, value: String)] = []

    public static func == (a: RunbookMetadata, b: RunbookMetadata) -> Bool {
        a.description == b.description && a.tags == b.tags
            && a.variables.map { "\($0.name)=\($0.value)" } == b.variables.map { "\($0.name)=\($0.value)" }
    }

    /// The declared variables with their defaults.
    public var defaults: [String: String] {
        Dictionary(variables.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// Everything else a page's front matter holds (Learn's title, author, `ms.*`, zone pivot
    /// groups, and whatever fields Learn adds) describes the page, and is left alone.
    public static func parse(_ yaml: String?) throws -> RunbookMetadata {
        var m = RunbookMetadata()
        guard let yaml, !yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return m }
        let node: Node?
        do { node = try Yams.compose(yaml: yaml) } catch {
            throw RunbookFormatError(line: 2, message: "the front matter is not valid YAML: \(error)")
        }
        guard let mapping = node?.mapping else {
            throw RunbookFormatError(line: 2, message: "the front matter must be a YAML mapping")
        }
        for (k, v) in mapping {
            guard let key = k.string, ["description", "tags", "variables"].contains(key) else { continue }
            switch key {
            case "description": m.description = v.string
            case "tags":
                // Learn writes one tag as a plain string as often as a list.
                if let one = v.string {
                    m.tags = one.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                } else if let seq = v.sequence {
                    m.tags = seq.compactMap(\.string)
                } else {
                    throw RunbookFormatError(line: 2, message: "tags must be a list or a string")
                }
            default:
                guard let vars = v.mapping else {
                    throw RunbookFormatError(line: 2, message: "variables must be a mapping of NAME: default")
                }
                for (n, d) in vars {
                    guard let name = n.string,
                        name.range(of: #"^[A-Za-z_][A-Za-z0-9_]*$"#, options: .regularExpression) != nil
                    else {
                        throw RunbookFormatError(line: 2, message: "invalid variable name '\(n.string ?? "?")'")
                    }
                    m.variables.append((name, d.string ?? ""))
                }
            }
        }
        return m
    }
}
