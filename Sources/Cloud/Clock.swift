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
        // How many of the events ahead have their wraps prepared; the next key check past them
        // prepares the run of checks that follows it.
        var prepared = 0
        defer { PreparedWraps.shared.clear() }
        while let head = scheduler.events.first, head.at <= target {
            if head.action.isKeyCheck, prepared == 0 { prepared = prepareDueKeyChecks(through: target) }
            prepared = max(0, prepared - 1)
            guard var event = scheduler.popDue(before: target) else { break }
            if ran.count % 256 == 255 { try Interruption.check() }
            now = max(now, event.at)
            run(event.action)
            observeConsumer(event.action)
            if let (times, last) = repeatUnchangedCheck(event.action, through: target) {
                event.repeats = times
                event.repeatedUntil = last
            }
            ran.append(event)
        }
        now = target
        return ran
    }

    /// After a key check or poll, its next runs up to the first instant anything could change
    /// their outcome (another kind of event, a key's date, a role taking effect, a cache running
    /// out; at most `target`) are known to have the same outcome: they are taken in one step,
    /// recorded as one run in the audit log, and the check is rescheduled after the last of them.
    /// Returns how many runs were taken and when the last was.
    private mutating func repeatUnchangedCheck(_ action: ScheduledAction, through target: Date) -> (Int, Date)? {
        guard settings.coalesceKeyChecks, let check = action.keyCheck,
            let next = scheduler.next(action)
        else { return nil }
        let barrier = scheduler.firstBarrier
        let period = check.kind.keyCheck.interval(settings)
        guard let unchanged = check.kind.keyCheck.repeats(self, check.name) else { return nil }
        let limit = [barrier, unchanged.limit].compactMap { $0 }.min()
        // The same times the clock would give them one by one: each the previous plus the period.
        var times = 0
        var last = next
        var t = next
        while t <= target, limit.map({ t < $0 }) ?? true {
            times += 1
            last = t
            t = t.addingTimeInterval(period)
        }
        guard times > 0 else { return nil }
        unchanged.apply(&self, next, times, last)
        scheduler.cancel(action)
        scheduler.schedule(action, at: t)
        return (times, last)
    }

    private mutating func run(_ action: ScheduledAction) {
        if let check = action.keyCheck { return check.kind.keyCheck.run(&self, check.name) }
        switch action {
        case .completeResourceGroupDeletion(let name):
            finishResourceGroupDeletion(name)
        case .purgeDeletedVault(let name, let deletionDate):
            finishVaultPurge(name, deletionDate: deletionDate)
        case .purgeDeletedKey(let vault, let key, let deletedDate):
            finishKeyPurge(vault: vault, key: key, deletedDate: deletedDate)
        case .keyLifetimeActions(let vault, let key):
            let before = vaults[vault]?.keys[key]?.versions.count
            runLifetimeActions(vault: vault, key: key)
            if let v = vaults[vault], let after = v.keys[key]?.versions.count, after != before {
                recordChange(
                    resource: v.kid(key), operation: "rotation policy: Rotate", caller: World.azureCaller,
                    detail: "new version \(v.keys[key]!.current.version)")
            }
        case .postgresKeyCheck, .serviceBusKeyPoll, .flexibleServerKeyCheck:
            break
        case .expireDroppedFlexibleServer(let name, let deletedAt):
            if droppedFlexibleServers[name]?.deletedAt == deletedAt { droppedFlexibleServers[name] = nil }
        case .injectFault, .liftFault, .sampleProbes:
            runGameDayEvent(action)
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
