/// The error categories of the JMESPath specification (and its compliance suite).
public struct JMESPathError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        case syntax
        case invalidType = "invalid-type"
        case invalidValue = "invalid-value"
        case invalidArity = "invalid-arity"
        case unknownFunction = "unknown-function"
    }

    public let kind: Kind
    public let message: String
    /// Raised by Python itself inside jmespath.py (a zero slice step on a list, a ValueError), not
    /// as a JMESPath error: az reports it as an unexpected failure.
    public var raisedByPython = false

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
