import Foundation

/// What `coalesceKeyChecks` promises not to change, as text two worlds can be compared by: the
/// world as JSON without what is random by nature (key material, data keys, their wrapped forms,
/// sealed rows: fresh randomness in every world), without the memos and the setting themselves,
/// with the scheduler's tie-break numbers dropped and events at one instant in a fixed order, and
/// the audit log as its runs.
extension World {
    public var outcomeView: String {
        var copy = self
        copy.audit = AuditLog()
        copy.settings.coalesceKeyChecks = true
        guard let data = try? JSONEncoder().encode(copy), let json = try? JSONSerialization.jsonObject(with: data)
        else { return "unencodable world" }
        return Self.sortedJSON(Self.scrub(json)) + "\n" + audit.runsView.joined(separator: "\n")
    }

    static func sortedJSON(_ x: Any) -> String {
        (try? JSONSerialization.data(withJSONObject: x, options: [.sortedKeys])).map {
            String(decoding: $0, as: UTF8.self)
        } ?? "\(x)"
    }

    static func scrub(_ v: Any) -> Any {
        let random: Set<String> = ["material", "activeDataKey", "wrappedDataKey", "sealed"]
        if var o = v as? [String: Any] {
            for (k, x) in o {
                if ["keyCheckMemo", "checkMemos", "memo", "sequence", "nextSequence"].contains(k) {
                    o[k] = nil
                } else if random.contains(k) {
                    o[k] = x is NSNull ? "none" : "present"
                } else if k == "wrappedDataKeys", let slots = x as? [String: Any] {
                    o[k] = slots.keys.sorted()
                } else {
                    o[k] = scrub(x)
                }
            }
            return o
        }
        if let a = v as? [Any] {
            let items = a.map(scrub)
            // Scheduled events at one instant may be in either order; nothing depends on it.
            if items.allSatisfy({ ($0 as? [String: Any])?["action"] != nil }) {
                return items.sorted { sortedJSON($0) < sortedJSON($1) }
            }
            return items
        }
        return v
    }
}

extension AuditLog {
    /// The log as runs, whether it was kept coalesced or one record at a time: every record joins
    /// the run before it by the coalescing rule; one line per run, in time order.
    public var runsView: [String] {
        var merged = AuditLog()
        for r in self {
            merged.record(r.at(r.firstTime), coalescing: true)
            if r.count > 1 { merged.record(r.at(r.firstTime), times: r.count - 1, last: r.lastTime, coalescing: true) }
        }
        return merged.map {
            "\($0.firstTime.timeIntervalSince1970) \($0.lastTime.timeIntervalSince1970) \($0.count) \($0.vault) "
                + "\($0.key ?? "-") \($0.version ?? "-") \($0.operation) \($0.caller) \($0.principal) \($0.result)"
        }.sorted()
    }
}
