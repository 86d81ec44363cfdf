import Foundation
import JMESPath

// The engine behind az's --query, one case per line, for tools/jmespath-diff.py: reads
// {"expression": E, "document": D} lines on stdin and writes, per line, {"result": R} or
// {"error": "compile" | "runtime", "kind": K}. Compile is where az refuses a query before the
// command runs; runtime is after it succeeded.
var out = FileHandle.standardOutput
while let line = readLine(strippingNewline: true) {
    guard !line.isEmpty else { continue }
    let answer: JSON
    do {
        let c = try JSON.parse(line)
        guard let text = c["expression"].stringValue else { throw JMESPathError(.syntax, "no expression") }
        do {
            let e = try JMESPathExpression(text)
            do { answer = .object([("result", try e.search(c["document"]))]) } catch let err as JMESPathError {
                answer = .object([("error", "runtime"), ("kind", .string(err.kind.rawValue))])
            }
        } catch let err as JMESPathError {
            answer = .object([("error", "compile"), ("kind", .string(err.kind.rawValue))])
        }
    } catch {
        answer = .object([("error", "input"), ("kind", .string("\(error)"))])
    }
    out.write(Data((answer.serialized(JSONWriteOptions(indent: nil, sortKeys: true)) + "\n").utf8))
}
