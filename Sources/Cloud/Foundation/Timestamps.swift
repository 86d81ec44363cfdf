import Foundation

/// Azure's date spellings: az prints SDK models with Python's isoformat (`+00:00`, microseconds
/// only when non-zero) and passes AAZ strings through as the service wrote them (`Z`, milliseconds).
public enum AzDate {
    private static func components(_ d: Date) -> (DateComponents, Int) {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: d)
        let micros = Int(((d.timeIntervalSince1970 - floor(d.timeIntervalSince1970)) * 1_000_000).rounded()) % 1_000_000
        return (c, micros)
    }

    private static func base(_ c: DateComponents) -> String {
        String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// `2026-01-01T00:10:00.680000+00:00` or `2026-01-01T00:00:00+00:00`.
    public static func sdk(_ d: Date) -> String {
        let (c, micros) = components(d)
        return base(c) + (micros == 0 ? "" : String(format: ".%06d", micros)) + "+00:00"
    }

    /// `2026-01-01T00:00:00.383Z` (AAZ services).
    public static func service(_ d: Date) -> String {
        let (c, micros) = components(d)
        return base(c) + String(format: ".%03dZ", micros / 1000)
    }

    /// `2026-01-01T00:00:00Z`, for keydrill's own output.
    public static func plain(_ d: Date) -> String {
        let (c, _) = components(d)
        return base(c) + "Z"
    }

    /// What az's datetime_type accepts: an ISO-8601 date or date-time, `Z` or an offset, or none
    /// (UTC). A bare date is midnight UTC.
    public static func parseUserDate(_ text: String) -> Date? {
        let s = text.trimmingCharacters(in: .whitespaces)
        let pattern =
            #"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|z|[+-]\d{2}:?\d{2})?$"#
        guard let re = try? NSRegularExpression(pattern: pattern),
            let m = re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s))
        else { return nil }
        func group(_ i: Int) -> String? {
            guard let r = Range(m.range(at: i), in: s) else { return nil }
            return String(s[r])
        }
        var c = DateComponents()
        c.year = Int(group(1)!); c.month = Int(group(2)!); c.day = Int(group(3)!)
        c.hour = Int(group(4) ?? "0"); c.minute = Int(group(5) ?? "0"); c.second = Int(group(6) ?? "0")
        guard let month = c.month, (1...12).contains(month), let day = c.day, (1...31).contains(day),
            c.hour! < 24, c.minute! < 60, c.second! < 61
        else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        guard let date = cal.date(from: c), cal.component(.day, from: date) == day else { return nil }
        var result = date.timeIntervalSince1970
        if let frac = group(7) { result += Double("0." + frac) ?? 0 }
        if let tz = group(8), tz.uppercased() != "Z" {
            let sign: Double = tz.hasPrefix("-") ? -1 : 1
            let digits = tz.dropFirst().replacingOccurrences(of: ":", with: "")
            let hours = Double(digits.prefix(2)) ?? 0, minutes = Double(digits.suffix(2)) ?? 0
            result -= sign * (hours * 3600 + minutes * 60)
        }
        return Date(timeIntervalSince1970: result)
    }
}

/// Durations as Azure writes them: ISO 8601 (`P90D`, `PT1M`, `P1Y2M`) or az's `##d##h##m##s`.
public enum AzDuration {
    /// 90 -> "1m30s", 86400 -> "1d": the clock builtin's duration syntax.
    public static func describe(_ seconds: Double) -> String {
        // Beyond any clock keydrill runs, but a duration the user typed can be anything.
        guard seconds.isFinite, abs(seconds) < 1e15 else {
            return seconds.isFinite ? String(format: "%.0fs", seconds) : "\(seconds)s"
        }
        var rest = Int(seconds.rounded())
        if rest == 0 { return "0s" }
        var out = ""
        for (unit, size) in [("d", 86400), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            out += "\(rest / size)\(unit)"
            rest %= size
        }
        return out
    }

    public static func seconds(_ text: String) -> Double? {
        let s = text.trimmingCharacters(in: .whitespaces)
        if s.uppercased().hasPrefix("P") { return iso(s.uppercased()) }
        let pattern = #"^(?:(\d+)d)?T?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$"#
        guard !s.isEmpty, let re = try? NSRegularExpression(pattern: pattern, options: .caseInsensitive),
            let m = re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s))
        else { return nil }
        var total = 0.0
        var any = false
        for (i, unit) in [(1, 86400.0), (2, 3600.0), (3, 60.0), (4, 1.0)] {
            if let r = Range(m.range(at: i), in: s), let v = Double(s[r]) { total += v * unit; any = true }
        }
        return any ? total : nil
    }

    /// Years count 365 days and months 30, which is how Key Vault's rotation policies measure them.
    static func iso(_ s: String) -> Double? {
        var total = 0.0
        var number = ""
        var inTime = false
        var any = false
        for c in s.dropFirst() {
            if c == "T" { inTime = true; continue }
            if c.isNumber || c == "." { number.append(c); continue }
            guard let v = Double(number) else { return nil }
            number = ""
            any = true
            switch (c, inTime) {
            case ("Y", false): total += v * 365 * 86400
            case ("M", false): total += v * 30 * 86400
            case ("W", false): total += v * 7 * 86400
            case ("D", false): total += v * 86400
            case ("H", true): total += v * 3600
            case ("M", true): total += v * 60
            case ("S", true): total += v
            default: return nil
            }
        }
        return any && number.isEmpty ? total : nil
    }
}
