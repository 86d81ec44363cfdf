import Foundation

/// Bounds keydrill sets where Azure's own are not the point, each declared once, so that no
/// input can make the emulator trap, allocate without end or loop forever.
public enum Limits {
    /// Rows or messages one workload command writes or reads: each is sealed in memory first.
    public static let workloadBatch = 1_000_000
    /// The virtual clock stops at the last instant ISO 8601's four-digit years can write.
    public static let latestTime = Date(timeIntervalSince1970: 253_402_300_799)  // 9999-12-31T23:59:59Z
    /// A timing setting that repeats (a key check, a poll) must be at least this long, or moving
    /// the clock would run it without end.
    public static let shortestInterval = 1.0
    /// Any timing setting is at most a year.
    public static let longestSetting = 365.0 * 86400
    /// An audit record covering a run of identical outcomes ends when this long passes with no
    /// operation of that caller on that key (a stopped server, a paused poll): one row never
    /// spans a silence a reader would want to see.
    public static let auditRunGap = 86_400.0
    /// How many times one `await` may run its command (--within over --every): each run is a
    /// command, so a wait of years at one-second steps would take hours of wall time.
    public static let awaitPolls = 100_000.0
}
