import Cloud
import Foundation
import XCTest
@testable import Runbook

/// Every bundled drill, run with key checks coalesced and made one by one: the same verdicts,
/// and after every step the same states, key statuses, schedule and audit outcomes
/// (`World.outcomeView`).
final class DrillCoalescingTests: XCTestCase {
    final class Steps: @unchecked Sendable {
        private let lock = NSLock()
        private var views: [(Int, String)] = []
        func add(_ n: Int, _ w: World) { lock.withLock { views.append((n, w.outcomeView)) } }
        var all: [(Int, String)] { lock.withLock { views } }
    }

    func run(_ path: String, coalescing: Bool) throws -> (status: Int32, steps: [(Int, String)]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("drill-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var options = RunOptions(stateDirectory: dir)
        options.coalesceKeyChecks = coalescing
        let steps = Steps()
        options.afterStep = { steps.add($0, $1) }
        let status = RunbookRunner(options: options, output: { _ in }).run([path])
        return (status, steps.all)
    }

    func testEveryDrillAgreesStepByStepWithCoalescingOff() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../runbooks")
            .standardized
        let drills = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".md") }
            .sorted()
        XCTAssertGreaterThanOrEqual(drills.count, 10)
        for drill in drills {
            let path = dir.appendingPathComponent(drill).path
            let on = try run(path, coalescing: true)
            let off = try run(path, coalescing: false)
            XCTAssertEqual(on.status, 0, drill)
            XCTAssertEqual(off.status, 0, drill)
            XCTAssertEqual(on.steps.map(\.0), off.steps.map(\.0), drill)
            for ((n, a), (_, b)) in zip(on.steps, off.steps) where a != b {
                let i = zip(a, b).prefix { $0 == $1 }.count
                XCTFail(
                    "\(drill) step \(n): on …\(a.dropFirst(max(0, i - 100)).prefix(250))\n off …"
                        + "\(b.dropFirst(max(0, i - 100)).prefix(250))")
                break
            }
        }
    }
}
