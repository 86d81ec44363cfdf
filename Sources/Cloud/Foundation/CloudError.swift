/// A service error as Azure returns it: az prints `ERROR: (code) message`, then `Code:` and
/// `Message:` lines, and exits 3 for a 404 and 1 for anything else.
public struct CloudError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: String
    public let message: String
    public let status: Int
    /// `innererror.code`, printed by az as an `Inner error:` block.
    public let innerCode: String?

    public init(_ code: String, _ message: String, status: Int, innerCode: String? = nil) {
        self.code = code
        self.message = message
        self.status = status
        self.innerCode = innerCode
    }

    public var description: String { "(\(code)) \(message)" }

    public static func notFound(_ code: String = "ResourceNotFound", _ message: String) -> CloudError {
        CloudError(code, message, status: 404)
    }

    public static func badRequest(_ code: String = "BadRequest", _ message: String) -> CloudError {
        CloudError(code, message, status: 400)
    }

    public static func conflict(_ code: String = "Conflict", _ message: String, innerCode: String? = nil) -> CloudError
    {
        CloudError(code, message, status: 409, innerCode: innerCode)
    }
}
