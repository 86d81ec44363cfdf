import Foundation
import JMESPath

/// An AAZ dict, object or list argument's schema below its option, as az 2.91 declares it
/// (tools/extract-aaz-schemas.py writes it, tools/gen-command-table.py puts it in the table): what
/// the shorthand syntax of its values converts to, down to the simple types.
final class AAZShape: Sendable {
    enum Kind: String, Sendable { case str, int, bool, float, any, object, dict, list }

    struct Field: Sendable {
        let name: String
        /// The option names and serialized name a shorthand key may use instead of the name.
        let aliases: [String]
        let shape: AAZShape
    }

    let kind: Kind
    let nullable: Bool
    /// What a blank value (`key=`, `{key}`) stands for; nil where az refuses a blank. A value az
    /// prompts for when the command runs is `.prompt`.
    let blank: Blank?
    /// An enum's keys and the values they stand for.
    let choices: [(key: String, value: PyValue)]
    let choicesCaseSensitive: Bool
    /// An extensible enum takes a value outside its keys (az warns).
    let choicesExtensible: Bool
    let fields: [Field]
    let element: AAZShape?

    enum Blank: Sendable {
        case value(PyValue)
        case prompt
    }

    var isSimple: Bool { [.str, .int, .bool, .float].contains(kind) }

    /// az's Python class of the data a simple kind holds, for its messages.
    var dataType: String { "<class '\(kind.rawValue)'>" }

    private init(_ json: JSON) throws {
        guard case .string(let t) = json["t"], let kind = Kind(rawValue: t) else {
            throw CLIError("keydrill's command table has an AAZ shape without a type")
        }
        self.kind = kind
        nullable = json["n"].boolValue ?? false
        switch json["b"] {
        case .null: blank = nil
        case .object(let o) where o["prompt"] == .bool(true): blank = .prompt
        case let b: blank = .value(PyValue(json: b, ordered: false))
        }
        choices = (json["e"].arrayValue ?? []).compactMap { pair in
            guard case .string(let k) = pair[0] else { return nil }
            return (k, PyValue(json: pair[1], ordered: false))
        }
        choicesCaseSensitive = json["ec"].boolValue ?? false
        choicesExtensible = json["ex"].boolValue ?? false
        fields = try (json["f"].arrayValue ?? []).map { f in
            Field(
                name: f[0].stringValue ?? "", aliases: (f[1].arrayValue ?? []).compactMap(\.stringValue),
                shape: try AAZShape(f[2]))
        }
        element = json["el"].isNull ? nil : try AAZShape(json["el"])
    }

    /// The shape the table wrote as JSON.
    static func decode(_ text: String) throws -> AAZShape {
        try AAZShape(try JSON.parse(text))
    }

    /// `AAZObjectType.get_attr_name`: a field's name, one of its aliases, or a camelCase key
    /// turned into the snake_case name.
    func field(_ key: String) -> AAZShape? {
        if let f = fields.first(where: { $0.name == key }) ?? fields.first(where: { $0.aliases.contains(key) }) {
            return f.shape
        }
        guard key != key.lowercased() else { return nil }
        let snake = Self.snakeCase(key)
        return fields.first { $0.name == snake }?.shape
    }

    /// az's `to_snack_case`.
    static func snakeCase(_ name: String) -> String {
        var s = name.replacing(/(.)([A-Z][a-z]+)/) { "\($0.output.1)_\($0.output.2)" }
        s = s.replacing(/([a-z0-9])([A-Z])/) { "\($0.output.1)_\($0.output.2)" }
        return s.lowercased().replacingOccurrences(of: "-", with: "_")
    }
}
