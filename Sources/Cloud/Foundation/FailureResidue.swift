/// What a failed request leaves in Azure. Key Vault's AuditEvent log records a refused key
/// operation like any other, so a failure keeps the audit records it made and nothing else; a
/// request that reports its error after committing part of its work (`CommittedFailure`, the
/// portal registering a server's identity first) keeps that work.
public enum FailureResidue: Sendable, Equatable {
    /// The log as the request left it: records it added, and runs it extended.
    case audit(AuditLog)
    case committed(World)

    /// - Parameters:
    ///   - attempt: the world as the failed request left it.
    ///   - before: the world the request started from.
    public static func of(_ error: Error, attempt: World, before: World) -> FailureResidue {
        // The audit log changes only by adding records and extending runs, so the attempt's log
        // is the one before plus what the request did.
        if error is CommittedFailure { return .committed(attempt) }
        return .audit(attempt.audit)
    }

    /// The error to report: a committed failure reports the service's error it wraps.
    public static func reported(_ error: Error) -> Error { (error as? CommittedFailure)?.error ?? error }
}

extension World {
    /// The world after a failed request: as it was, with the request's residue.
    public mutating func keep(_ residue: FailureResidue) {
        switch residue {
        case .audit(let log):
            audit = log
        case .committed(let w):
            self = w
        }
    }
}
