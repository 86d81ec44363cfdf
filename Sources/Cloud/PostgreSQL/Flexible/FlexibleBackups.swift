import Foundation

/// An automatic full backup, as `backup list | show` report it. The service takes the first right
/// after a server is created and one a day after that, keeping those in the retention window; a
/// replica takes none until it is promoted. They follow from the schedule, so none is stored.
public struct FlexibleBackup: Sendable, Equatable {
    public let name: String
    public let completedTime: Date
    public let backupType = "Full"
    public let source = "Automatic"

    /// `backup_` and an 18-digit number, as in the REST examples' ids (`backup_638830782181266873`);
    /// that number reads as .NET ticks (100 ns since 0001-01-01) of a 2025 time, so keydrill uses
    /// the completion time's ticks. The examples' values are made up (that id's time is not their
    /// `completedTime`), so the reading is an inference, not a recording.
    static func name(completed: Date) -> String {
        let t = completed.timeIntervalSince1970
        let seconds = t.rounded(.down)
        let ticks = (Int64(seconds) + 62_135_596_800) * 10_000_000 + Int64(((t - seconds) * 1e7).rounded())
        return "backup_\(ticks)"
    }
}

extension World {
    public func flexibleBackups(server: String, resourceGroup: String) throws -> [FlexibleBackup] {
        backups(of: try flexibleServer(server, resourceGroup: resourceGroup))
    }

    public func flexibleBackup(server: String, resourceGroup: String, name: String) throws -> FlexibleBackup {
        let s = try flexibleServer(server, resourceGroup: resourceGroup)
        guard let b = backups(of: s).first(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw CloudError.notFound(
                "ResourceNotFound",
                "The requested resource of type 'Microsoft.DBforPostgreSQL/flexibleServers/backups' with name "
                    + "'\(name)' was not found.")
        }
        return b
    }

    func backups(of s: FlexibleServer) -> [FlexibleBackup] {
        guard let first = s.firstBackupAt ?? (s.isReplica ? nil : s.created), first <= now else { return [] }
        let interval = settings.flexibleBackupIntervalSeconds
        let oldest = now.addingTimeInterval(-Double(s.backupRetentionDays) * 86400)
        let skipped = max(0, Int(((oldest.timeIntervalSince(first)) / interval).rounded(.up)))
        let latest = Int((now.timeIntervalSince(first) / interval).rounded(.down))
        guard skipped <= latest else { return [] }
        return (skipped...latest).map {
            let t = first.addingTimeInterval(Double($0) * interval)
            return FlexibleBackup(name: FlexibleBackup.name(completed: t), completedTime: t)
        }
    }
}
