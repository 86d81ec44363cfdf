import Foundation

/// The secrets a session has been given, so that what it reports (a runbook's reports and
/// console lines) shows a mask instead: every value of a secret option, literal or through a
/// variable, and every variable whose name says it holds one (`PW`, `DB_PASSWORD`).
public struct SecretMask: Sendable {
    public private(set) var values: Set<String> = []

    public init() {}

    /// Values shorter than this are not masked: they would blank out ordinary words.
    static let shortest = 4

    public mutating func learn(line: String, session: Session) {
        for raw in HistoryRedaction.secrets(in: line) where raw.count >= Self.shortest { values.insert(raw) }
        for raw in HistoryRedaction.variableSecrets(in: line) {
            if let v = session.lookup(raw) ?? Self.assigned(raw, in: line), v.count >= Self.shortest {
                values.insert(v)
            }
        }
        for (name, value) in session.variables where HistoryRedaction.isSecretName(name) && value.count >= Self.shortest
        {
            values.insert(value)
        }
    }

    /// The value a bash script gives a variable itself (`NEWPW='...'; az ... -p "$NEWPW"`).
    static func assigned(_ name: String, in script: String) -> String? {
        let pattern = "(?:^|[\\s;&|(])\(name)=('([^']*)'|\"([^\"]*)\"|([^\\s;&|)]+))"
        guard let re = try? NSRegularExpression(pattern: pattern),
            let m = re.firstMatch(in: script, range: NSRange(script.startIndex..., in: script))
        else { return nil }
        for group in 2...4 {
            if let r = Range(m.range(at: group), in: script) { return String(script[r]) }
        }
        return nil
    }

    public mutating func learn(variables: [String: String]) {
        for (name, value) in variables where HistoryRedaction.isSecretName(name) && value.count >= Self.shortest {
            values.insert(value)
        }
    }

    public func apply(_ text: String) -> String {
        // Longest first, so a secret that contains another is masked whole.
        values.sorted { $0.count > $1.count }.reduce(text) {
            $0.replacingOccurrences(of: $1, with: HistoryRedaction.mask)
        }
    }
}
