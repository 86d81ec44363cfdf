import Foundation

/// Key Vault's `datetime_type` (keyvault/_validators.py): `datetime.strptime` with four formats,
/// `%Y-%m-%dT%H:%M:%SZ`, `%Y-%m-%dT%H:%MZ`, `%Y-%m-%dT%HZ` and `%Y-%m-%d`, read as UTC. No
/// offset, no fraction, no other separator; `T` and `Z` in either case, as strptime matches them.
enum DatetimeType {
    // strptime's own patterns for each directive (CPython's _strptime).
    private static let year = "([0-9]{4})", month = "(1[0-2]|0[1-9]|[1-9])"
    private static let day = "(3[01]|[12][0-9]|0[1-9]|[1-9]| [1-9])", hour = "(2[0-3]|[0-1][0-9]|[0-9])"
    private static let minute = "([0-5][0-9]|[0-9])", second = "(6[0-1]|[0-5][0-9]|[0-9])"

    nonisolated(unsafe) private static let formats: [Regex<AnyRegexOutput>] = {
        let date = "\(year)-\(month)-\(day)"
        return [
            "\(date)T\(hour):\(minute):\(second)Z", "\(date)T\(hour):\(minute)Z", "\(date)T\(hour)Z", date,
        ].map { try! Regex($0).ignoresCase() }
    }()

    static func parse(_ text: String) -> Date? {
        for format in formats {
            guard let m = try? format.wholeMatch(in: text) else { continue }
            let n = (1..<m.output.count).map { i in
                m.output[i].substring.map { Int($0.trimmingCharacters(in: .whitespaces)) ?? 0 } ?? 0
            }
            var c = DateComponents()
            (c.year, c.month, c.day) = (n[0], n[1], n[2])
            (c.hour, c.minute, c.second) = (n.count > 3 ? n[3] : 0, n.count > 4 ? n[4] : 0, n.count > 5 ? n[5] : 0)
            // datetime() refuses what the calendar lacks (February 30th) and leap seconds.
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            guard c.second! < 60, let date = calendar.date(from: c), calendar.component(.day, from: date) == c.day
            else { continue }
            return date
        }
        return nil
    }
}
