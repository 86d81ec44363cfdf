import Foundation

/// An Azure Database for PostgreSQL Single Server, as the service keeps it.
public struct PostgresServer: Codable, Sendable, Equatable {
    public let name: String
    public let resourceGroup: String
    public let location: String
    public let administratorLogin: String
    public var sku: PostgresSku
    public var storageMb: Int
    public var backupRetentionDays: Int
    public let geoRedundantBackup: String
    public var storageAutogrow: String
    public let version: String
    public var sslEnforcement: String
    public var minimalTlsVersion: String
    public var publicNetworkAccess: String
    public let infrastructureEncryption: String
    public var tags: [String: String]
    public let created: Date
    /// `Ready`, `Dropping`, `Disabled` or `Inaccessible`.
    public var userVisibleState: String
    /// The system-assigned identity's object id; Single Server has no user-assigned identities.
    public var principalId: String?
    public var masterServerName: String?
    public var configuration: [String: String] = [:]
    /// Configuration values set but waiting for a restart (static parameters).
    public var pendingConfiguration: [String: String] = [:]
    public var encryption: ServerEncryption
    public var rows = SealedRows()
    /// The last key check's outcome and inputs (`coalesceKeyChecks`).
    public var keyCheckMemo: KeyCheckMemo? = nil

    public var isReplica: Bool { masterServerName != nil }
}

public struct PostgresSku: Codable, Sendable, Equatable {
    public let name: String
    public let tier: String
    public let family: String
    public let capacity: Int

    /// `{tier}_{family}_{vCores}`: B, GP or MO; Gen5; the vCore counts each tier offers.
    public static func parse(_ text: String) throws -> PostgresSku {
        let parts = text.split(separator: "_").map(String.init)
        let tiers = [
            "B": ("Basic", [1, 2]), "GP": ("GeneralPurpose", [2, 4, 8, 16, 32, 64]),
            "MO": ("MemoryOptimized", [2, 4, 8, 16, 32]),
        ]
        guard parts.count == 3, let (tier, cores) = tiers[parts[0].uppercased()], parts[1].lowercased() == "gen5",
            let capacity = Int(parts[2]), cores.contains(capacity)
        else {
            throw CloudError.badRequest(
                "InvalidSku",
                "The sku name '\(text)' is not valid. Use {tier}_{family}_{vCores}: B_Gen5_1, B_Gen5_2, "
                    + "GP_Gen5_2..64 or MO_Gen5_2..32."
            )
        }
        return PostgresSku(
            name: "\(parts[0].uppercased())_Gen5_\(capacity)", tier: tier, family: "Gen5", capacity: capacity)
    }
}

/// Data encryption. The data key is the same for the server's whole life (and its copies'); with
/// a customer-managed key only its wrapped form is kept, and the clear form exists only while the
/// server can reach the key (`activeDataKey`), as the service holds it in memory.
public struct ServerEncryption: Codable, Sendable, Equatable {
    /// The data key in the clear, held by the service while it is usable: always for a
    /// service-managed key, only while `Ready` for a customer-managed one.
    public var activeDataKey: Data?
    public var serverKey: ServerKey?
    /// The data key wrapped with `serverKey.uri`.
    public var wrappedDataKey: Data?

    public var isCustomerManaged: Bool { serverKey != nil }
}

/// `Microsoft.DBforPostgreSQL/servers/keys`: the Key Vault key the server uses, by versioned id.
public struct ServerKey: Codable, Sendable, Equatable {
    public let uri: String
    public let vault: String
    public let key: String
    public let version: String
    public var creationDate: Date

    public var name: String { "\(vault)_\(key)_\(version)" }
}

/// A server's workload rows as written: one batch per write, its rows sealed with the server's
/// data key back to back in one buffer (each nonce, ciphertext, tag; a row's length follows from
/// its number, since row n holds `keydrill row n`). A million rows are one buffer of about 47 MB,
/// stored as one string, not a million objects.
public struct SealedRows: Sendable, Equatable {
    public struct Batch: Codable, Sendable, Equatable {
        /// The number of its first row; the others follow one by one.
        public let first: Int
        public let count: Int
        public let writtenAt: Date
        public let sealed: Data
    }

    public private(set) var batches: [Batch] = []
    public private(set) var count = 0

    public init() {}

    public mutating func append(_ batch: Batch) {
        batches.append(batch)
        count += batch.count
    }

    /// The rows written at or before `point`: what a restore to that time holds.
    public func written(atOrBefore point: Date) -> SealedRows {
        var out = SealedRows()
        for b in batches where b.writtenAt <= point { out.append(b) }
        return out
    }

    /// A sealed row's length: a 12-byte nonce, the payload, a 16-byte tag.
    static func sealedLength(_ number: Int) -> Int { 12 + World.rowPayload(number).count + 16 }

    /// Whether every row, with its number and sealed bytes, satisfies `body`, in order.
    func allSatisfy(_ body: (Int, Data) throws -> Bool) rethrows -> Bool {
        for b in batches {
            var offset = b.sealed.startIndex
            for n in b.first..<(b.first + b.count) {
                let end = offset + Self.sealedLength(n)
                guard end <= b.sealed.endIndex else { return false }
                guard try body(n, b.sealed[offset..<end]) else { return false }
                offset = end
            }
        }
        return true
    }
}

extension SealedRows: Codable {
    enum CodingKeys: String, CodingKey { case batches }

    /// One row per entry, as earlier state files hold them.
    struct LegacyRow: Codable {
        let number: Int
        let writtenAt: Date
        let sealed: Data
    }

    public init(from decoder: Decoder) throws {
        self.init()
        if let c = try? decoder.container(keyedBy: CodingKeys.self) {
            for b in try c.decode([Batch].self, forKey: .batches) { append(b) }
        } else {
            for r in try [LegacyRow](from: decoder) {
                append(Batch(first: r.number, count: 1, writtenAt: r.writtenAt, sealed: r.sealed))
            }
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(batches, forKey: .batches)
    }
}
