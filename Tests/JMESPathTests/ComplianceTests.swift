import Foundation
import XCTest
@testable import JMESPath

/// Runs the official JMESPath compliance suite (kept in this repository, MIT licence) and reports
/// the pass count.
final class ComplianceTests: XCTestCase {
    func testComplianceSuite() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Compliance")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }
            .sorted()
        XCTAssertEqual(files.count, 16)
        var passed = 0
        var total = 0
        var failures = [String]()
        for file in files {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            guard case .array(let groups) = try JSON.parse(text) else { XCTFail("bad file \(file)"); continue }
            for group in groups {
                let given = group["given"]
                for c in group["cases"].arrayValue ?? [] {
                    guard let expr = c["expression"].stringValue else { continue }
                    total += 1
                    let expectedError = c["error"].stringValue
                    do {
                        let e = try JMESPathExpression(expr)
                        let result = try e.search(given)
                        if c["bench"].stringValue != nil && expectedError == nil {
                            passed += 1
                        } else if expectedError == nil, result == c["result"] {
                            passed += 1
                        } else {
                            failures.append(
                                "\(file): \(expr) -> \(result.serialized(.compact)) expected "
                                    + "\(expectedError ?? c["result"].serialized(.compact))"
                            )
                        }
                    } catch let err as JMESPathError {
                        if let expectedError, expectedError == err.kind.rawValue {
                            passed += 1
                        } else if c["bench"].stringValue != nil {
                            failures.append("\(file): bench \(expr) threw \(err)")
                        } else {
                            failures.append(
                                "\(file): \(expr) threw \(err.kind.rawValue) (\(err.message)) expected "
                                    + "\(expectedError ?? c["result"].serialized(.compact))"
                            )
                        }
                    }
                }
            }
        }
        print("JMESPath compliance: \(passed)/\(total) passed")
        for f in failures.prefix(60) { print("  FAIL \(f)") }
        XCTAssertEqual(total, 908)
        XCTAssertEqual(passed, total)
    }
}
