import Foundation

/// The virtual clock: only `advance` and `set` move time, and both run every event that falls due
/// on the way, each at its own time.
extension World {
    /// Returns the events that ran, in the order they ran.
    @discardableResult
    public mutating func advanceClock(by seconds: Double) throws -> [ScheduledEvent] {
        guard seconds >= 0 else { throw CloudError.badRequest("InvalidClockChange", "The clock only moves forward.") }
        guard seconds <= Limits.latestTime.timeIntervalSince(now) else {
            throw CloudError.badRequest(
                "InvalidClockChange",
                "The virtual clock stops at \(AzDate.plain(Limits.latestTime)), the last time ISO 8601 can write; "
                    + "advancing \(AzDuration.describe(seconds)) from \(AzDate.plain(now)) passes it."
            )
        }
        return try setClock(to: now.addingTimeInterval(seconds))
    }

    @discardableResult
    public mutating func setClock(to target: Date) throws -> [ScheduledEvent] {
        guard target <= Limits.latestTime else {
            throw CloudError.badRequest(
                "InvalidClockChange",
                "The virtual clock stops at \(AzDate.plain(Limits.latestTime)), the last time ISO 8601 can write.")
        }
        guard target >= now else {
            throw CloudError.badRequest(
                "InvalidClockChange",
                "The clock only moves forward: \(AzDate.plain(target)) is before the current time \(AzDate.plain(now))."
            )
        }
        var ran = [ScheduledEvent]()
        while let event = scheduler.popDue(before: target) {
            ran.append(event)
            if ran.count % 256 == 0 { try Interruption.check() }
            now = max(now, event.at)
            run(event.action)
        }
        now = target
        return ran
    }

    private mutating func run(_ action: ScheduledAction) {
        switch action {
        case .completeResourceGroupDeletion(let name):
            finishResourceGroupDeletion(name)
        case .purgeDeletedVault(let name, let deletionDate):
            finishVaultPurge(name, deletionDate: deletionDate)
        case .purgeDeletedKey(let vault, let key, let deletedDate):
            finishKeyPurge(vault: vault, key: key, deletedDate: deletedDate)
        case .keyLifetimeActions(let vault, let key):
            runLifetimeActions(vault: vault, key: key)
        case .postgresKeyCheck(let server):
            runPostgresKeyCheck(server)
        case .serviceBusKeyPoll(let namespace):
            pollServiceBusKeys(namespace)
        }
    }

    /// Time acceleration: the virtual clock moves `rate` seconds for every wall second since the
    /// last command (events running on the way, as with `clock advance`); a rate of 0 turns it
    /// off. The first command after it is turned on only sets the anchor.
    @discardableResult
    public mutating func followWallClock(now wall: Date, rate: Double) throws -> [ScheduledEvent] {
        guard rate > 0 else {
            wallAnchor = nil
            return []
        }
        defer { wallAnchor = wall }
        guard let anchor = wallAnchor, wall > anchor else { return [] }
        let step = min(wall.timeIntervalSince(anchor) * rate, Limits.latestTime.timeIntervalSince(now))
        return try advanceClock(by: step.rounded(.down))
    }

    /// Parses `15m`, `2h`, `3d`, `90s` (and combinations such as `1h30m`).
    public static func parseClockDuration(_ text: String) -> Double? {
        guard !text.isEmpty else { return nil }
        var total = 0.0
        var number = ""
        for c in text {
            if c.isNumber || c == "." { number.append(c); continue }
            guard let v = Double(number) else { return nil }
            number = ""
            switch c {
            case "s": total += v
            case "m": total += v * 60
            case "h": total += v * 3600
            case "d": total += v * 86400
            default: return nil
            }
        }
        return number.isEmpty ? total : nil
    }
}
