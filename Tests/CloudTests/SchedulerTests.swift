import XCTest

@testable import Cloud

final class SchedulerTests: XCTestCase {
    private let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    /// The scheduler's index against a plain list kept in order by hand: every query agrees after
    /// random schedules, cancels and pops, and again after the scheduler went through JSON (the
    /// index is not stored, so decoding must rebuild it).
    func testTheIndexAnswersAsAScanOfTheQueueWould() throws {
        // The world's own deterministic source, so a failure can be replayed.
        var ids = IdentifierSource(seed: 7)
        func random() -> UInt64 { ids.nextBytes().prefix(8).reduce(0) { $0 << 8 | UInt64($1) } }
        var s = Scheduler()
        var model = [(at: Date, seq: UInt64, action: ScheduledAction)]()
        var seq: UInt64 = 0
        let actions: [ScheduledAction] =
            (0..<6).map { .postgresKeyCheck(server: "pg\($0)") }
            + (0..<3).map { .completeResourceGroupDeletion(name: "rg\($0)") }
        for round in 0..<600 {
            let action = actions[Int(random() % UInt64(actions.count))]
            switch random() % 4 {
            case 0, 1:
                let at = t0.addingTimeInterval(Double(random() % 50))
                s.schedule(action, at: at)
                seq += 1
                model.append((at, seq, action))
                model.sort { ($0.at, $0.seq) < ($1.at, $1.seq) }
            case 2:
                s.cancel(action)
                model.removeAll { $0.action == action }
            default:
                let limit = t0.addingTimeInterval(Double(random() % 50))
                let popped = s.popDue(before: limit)
                let expected = model.first.flatMap { $0.at <= limit ? $0 : nil }
                XCTAssertEqual(popped?.sequence, expected?.seq)
                if expected != nil { model.removeFirst() }
            }
            if round % 100 == 99 { s = try JSONDecoder().decode(Scheduler.self, from: JSONEncoder().encode(s)) }
            XCTAssertEqual(s.events.map(\.sequence), model.map(\.seq))
            for a in actions { XCTAssertEqual(s.next(a), model.first { $0.action == a }?.at) }
            XCTAssertEqual(s.firstBarrier, model.first { !$0.action.isKeyCheck }?.at)
        }
    }

    func testScheduleOnceKeepsOneEventPerActionAndTime() {
        var s = Scheduler()
        s.scheduleOnce(.postgresKeyCheck(server: "a"), at: t0)
        s.scheduleOnce(.postgresKeyCheck(server: "a"), at: t0)
        s.scheduleOnce(.postgresKeyCheck(server: "a"), at: t0.addingTimeInterval(1))
        XCTAssertEqual(s.events.count, 2)
        s.cancel { $0 == .postgresKeyCheck(server: "a") }
        XCTAssertTrue(s.events.isEmpty)
        XCTAssertNil(s.next(.postgresKeyCheck(server: "a")))
    }
}
