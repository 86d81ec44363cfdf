import Foundation

/// JUnit XML: a testsuite per runbook, a testcase per step with its wall time and failure.
public enum JUnitReport {
    public static func render(_ results: [RunbookResult]) -> String {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let failures = results.flatMap(\.steps).filter { $0.status == .failed }.count
        s +=
            "<testsuites name=\"keydrill\" tests=\"\(results.flatMap(\.steps).count)\" failures=\"\(failures)\" "
            + "time=\"\(time(results.map(\.wallSeconds).reduce(0, +)))\">\n"
        for r in results {
            let skipped = r.steps.filter { $0.status == .skipped || $0.status == .notRun }.count
            s +=
                "  <testsuite name=\"\(escape(r.title))\" tests=\"\(r.steps.count)\" "
                + "failures=\"\(r.steps.filter { $0.status == .failed }.count)\" skipped=\"\(skipped)\" "
                + "time=\"\(time(r.wallSeconds))\">\n"
            s += properties(r)
            for step in r.steps {
                s +=
                    "    <testcase classname=\"\(escape(r.path))\" "
                    + "name=\"\(escape("\(step.number). \(step.title)"))\" time=\"\(time(step.wallSeconds))\""
                switch step.status {
                case .failed:
                    let first = step.failure?.split(separator: "\n").first.map(String.init) ?? "failed"
                    s +=
                        ">\n      <failure message=\"\(escape(first))\">\(escape(step.failure ?? ""))</failure>\n    "
                        + "</testcase>\n"
                case .skipped, .notRun:
                    s += ">\n      <skipped message=\"\(step.status.rawValue)\"/>\n    </testcase>\n"
                default:
                    s += "/>\n"
                }
            }
            s += "  </testsuite>\n"
        }
        return s + "</testsuites>\n"
    }

    static func time(_ t: Double) -> String { String(format: "%.3f", t) }

    /// The drill's measures as JUnit properties, so CI can chart detection and recovery across
    /// runs: `<consumer>.timeToDetectSeconds` and the like, in virtual seconds.
    static func properties(_ r: RunbookResult) -> String {
        var p: [(String, String)] = [("runbook.sha256", r.sha256), ("keydrill.version", r.keydrillVersion)]
        for m in r.measures {
            let n = m.name
            if let v = m.timeToDetectSeconds { p.append(("\(n).timeToDetectSeconds", number(v))) }
            if let v = m.timeToRecoverSeconds { p.append(("\(n).timeToRecoverSeconds", number(v))) }
            if let v = m.outageSeconds { p.append(("\(n).outageSeconds", number(v))) }
            p.append(("\(n).recovered", m.recoveredAt == nil ? "false" : "true"))
            p.append(("\(n).dataVerified", m.dataVerified == nil ? "false" : "true"))
        }
        return "    <properties>\n"
            + p.map { "      <property name=\"\(escape($0))\" value=\"\(escape($1))\"/>\n" }.joined()
            + "    </properties>\n"
    }

    static func number(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t", "\r": out.unicodeScalars.append(c)
            default:
                // XML 1.0 cannot carry other control characters at all.
                if c.value < 0x20 { out += "?" } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }
}
