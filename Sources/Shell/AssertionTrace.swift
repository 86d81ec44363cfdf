import JMESPath

/// What an assertion read and gave: its value, and the value of each path it reads, so a failure
/// reads as expected against got (in the shell's message and in a report), not as a document
/// dumped on one line.
public enum AssertionTrace {
    public static func evaluate(_ expression: String, on doc: JSON?) -> AssertionRecord {
        guard let doc else {
            return AssertionRecord(expression: expression, value: "(no JSON output)", reads: [:], passed: false)
        }
        guard let compiled = try? JMESPathExpression(expression) else {
            return AssertionRecord(expression: expression, value: "(error)", reads: [:], passed: false)
        }
        let value = try? compiled.search(doc)
        var reads = [String: String]()
        for path in compiled.fieldPaths {
            if let v = try? JMESPathExpression(path).search(doc) { reads[path] = v.serialized(.compact) }
        }
        return AssertionRecord(
            expression: expression, value: value?.serialized(.compact) ?? "(error)", reads: reads,
            passed: value?.isTruthy ?? false)
    }

    /// The field names the assertions after a command read: the lines of its output worth showing.
    public static func fields(of assertions: [String]) -> Set<String> {
        Set(
            assertions.flatMap { (try? JMESPathExpression($0))?.fieldPaths ?? [] }.flatMap {
                $0.split(separator: ".").map { String($0.filter { $0 != "\"" }) }
            })
    }
}

public struct AssertionRecord: Codable, Sendable {
    public let expression: String
    /// The expression's value, and each path it reads with its value there (compact JSON).
    public let value: String
    public let reads: [String: String]
    public let passed: Bool
}
