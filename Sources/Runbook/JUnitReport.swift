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
