import JMESPath

extension JSON {
    /// Azure tags as az prints them: an object with the keys sorted.
    static func tags(_ t: [String: String]) -> JSON {
        .object(t.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) })
    }
}
