import Foundation

/// One key operation as Key Vault's AuditEvent log records it: success or the error code. A run
/// of identical outcomes (same caller, principal, key version, operation and result) is one
/// record: `time` is its first occurrence, `lastTime` its last and `count` how many there were.
public struct AuditRecord: Codable, Sendable, Equatable {
    public let time: Date
    public let vault: String
    public let key: String?
    public let version: String?
    /// AuditEvent operation name: KeyCreate, KeyGet, KeyWrap, KeyUnwrap, ...
    public let operation: String
    public let principal: String
    /// Who asked: the operator, or the resource (server, namespace) acting with its identity.
    public let caller: String
    public let result: String
    /// Stored only for a run of more than one, so single records keep their earlier form.
    private var repeats: Int?
    private var until: Date?

    public init(
        time: Date, vault: String, key: String?, version: String?, operation: String, principal: String,
        caller: String, result: String
    ) {
        self.time = time
        self.vault = vault
        self.key = key
        self.version = version
        self.operation = operation
        self.principal = principal
        self.caller = caller
        self.result = result
    }

    public var count: Int { repeats ?? 1 }
    public var firstTime: Date { time }
    public var lastTime: Date { until ?? time }

    /// The same outcome at another time, as a check that found nothing changed repeats it.
    public func at(_ t: Date) -> AuditRecord {
        AuditRecord(
            time: t, vault: vault, key: key, version: version, operation: operation, principal: principal,
            caller: caller, result: result)
    }

    /// What makes two records one run, apart from the result.
    var runKey: String {
        [caller, principal, vault.lowercased(), key?.lowercased() ?? "", version ?? "", operation]
            .joined(separator: "\u{1F}")
    }

    /// The caller and key a run belongs to, whatever the operation: where the outcome of any of
    /// its operations last changed is kept in the run index under this key, and no run extends
    /// across it.
    var streamKey: String {
        "\u{1E}" + [caller, principal, vault.lowercased(), key?.lowercased() ?? ""].joined(separator: "\u{1F}")
    }

    /// This run extended by `times` more occurrences, the last at `last`.
    func extended(by times: Int, last: Date) -> AuditRecord {
        var r = self
        r.repeats = count + times
        r.until = last
        return r
    }

    enum CodingKeys: String, CodingKey {
        case time, vault, key, version, operation, principal, caller, result
        case repeats = "count", until = "lastTime"
    }
}

/// The principal behind a key operation, and where it connects from.
public struct Caller: Sendable, Equatable {
    public let objectId: String
    public let name: String
    /// Azure services on Key Vault's trusted list (PostgreSQL, Service Bus) pass a firewall with
    /// bypass AzureServices.
    public let isTrustedService: Bool
    /// Key Vault acting on a key's own rotation policy: inside the vault, so neither its firewall
    /// nor its access policies apply.
    public let isKeyVaultService: Bool

    public init(objectId: String, name: String, isTrustedService: Bool, isKeyVaultService: Bool = false) {
        self.objectId = objectId
        self.name = name
        self.isTrustedService = isTrustedService
        self.isKeyVaultService = isKeyVaultService
    }

    /// Azure Key Vault's first-party application, which runs rotation policies.
    public static let keyVaultService = Caller(
        objectId: "cfa8b339-82a2-471a-a3c9-0fc0be7a4093", name: "Azure Key Vault (rotation policy)",
        isTrustedService: true, isKeyVaultService: true)
}

/// The audit log: append-only in normal use, and stored apart from the world's core so that a
/// command appends its records without reading the ones before (a long-lived world holds
/// hundreds of thousands). Entries are keyed by their zero-padded position; `runs` holds, for
/// each run key, the position of its newest record, so a repeated outcome extends that record
/// instead of adding one.
public struct AuditLog: Sendable, Equatable, RandomAccessCollection {
    public private(set) var table = LazyTable<AuditRecord>()
    public private(set) var runs = LazyTable<Int>()
    public private(set) var count: Int = 0

    public init() {}

    /// The log as stored in `base` (records) and `runs` (the run index), holding `count` records.
    public init(base: any TableSource, runs: any TableSource, count: Int) {
        table = LazyTable(base: base, prefix: "")
        self.runs = LazyTable(base: runs, prefix: "")
        self.count = count
    }

    public static func key(_ position: Int) -> String {
        let digits = String(position)
        return String(repeating: "0", count: Swift.max(0, 12 - digits.count)) + digits
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> AuditRecord {
        precondition(position >= 0 && position < count, "audit record \(position) out of range")
        // Only an unreadable stored entry is missing; the store refuses the command that met it
        // before anything is written or printed, so this stand-in is never seen.
        return table[Self.key(position)]
            ?? AuditRecord(
                time: .distantPast, vault: "", key: nil, version: nil, operation: "Unreadable", principal: "",
                caller: "", result: "Unreadable")
    }

    /// Appends as it is, never joining a run: for logs read back from older forms.
    public mutating func append(_ record: AuditRecord) {
        table[Self.key(count)] = record
        runs[record.runKey] = count
        count += 1
    }

    /// Records `record` and `times - 1` repetitions of it, the last at `last`. When coalescing,
    /// a repetition of the newest record of its run key with the same result extends that record,
    /// unless something a reader must see lies between: a change of outcome of any operation of
    /// the same caller on the same key (an outage, a recovery), or a gap of more than
    /// `Limits.auditRunGap`. A record therefore never spans a change, and the log's order stays
    /// the order of events.
    public mutating func record(_ record: AuditRecord, times: Int = 1, last: Date? = nil, coalescing: Bool) {
        precondition(times >= 1 && (coalescing || times == 1), "repetitions are recorded one by one unless coalescing")
        let lastTime = last ?? record.time
        guard coalescing else { return append(record) }
        let k = record.runKey, change = record.streamKey
        if let p = runs[k], p < count, let newest = table[Self.key(p)] {
            if newest.result == record.result, p >= runs[change] ?? -1,
                record.time.timeIntervalSince(newest.lastTime) <= Limits.auditRunGap
            {
                table[Self.key(p)] = newest.extended(by: times, last: lastTime)
                return
            }
            // This operation's outcome changed: no run of this caller on this key goes on past it.
            if newest.result != record.result { runs[change] = count }
        }
        append(times == 1 ? record : record.extended(by: times - 1, last: lastTime))
    }

    /// The records this log added or changed after `earlier` (an earlier state of it), in
    /// position order: what one command or one run did to the log.
    public func records(since earlier: AuditLog) -> [AuditRecord] {
        let changed = table.changes(since: earlier.table).compactMap { k, v in v.flatMap { _ in Int(k) } }
        return changed.sorted().map { self[$0] }
    }

    public static func == (a: AuditLog, b: AuditLog) -> Bool { a.count == b.count && a.table == b.table }
}

extension AuditLog: Codable {
    public init(from decoder: Decoder) throws {
        self.init()
        for r in try [AuditRecord](from: decoder) { append(r) }
    }

    public func encode(to encoder: Encoder) throws {
        try Array(self).encode(to: encoder)
    }
}

extension World {
    /// Every audit record is written here: coalesced by the world's setting, and copied to the
    /// tap while a key check is finding out which records it makes.
    mutating func writeAudit(_ r: AuditRecord) {
        audit.record(r, coalescing: settings.coalesceKeyChecks)
        auditTap?.append(r)
    }
}
