import Foundation

/// One key operation as Key Vault's AuditEvent log records it: success or the error code.
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
/// hundreds of thousands). Entries are keyed by their zero-padded position.
public struct AuditLog: Sendable, Equatable, RandomAccessCollection {
    public private(set) var table = LazyTable<AuditRecord>()
    public private(set) var count: Int = 0

    public init() {}

    /// The log as stored in `base`, holding `count` records.
    public init(base: any TableSource, count: Int) {
        table = LazyTable(base: base, prefix: "")
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

    public mutating func append(_ record: AuditRecord) {
        table[Self.key(count)] = record
        count += 1
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
