import Synchronization

/// A request to stop the command in flight (Ctrl-C at the interactive shell). Long loops (the
/// clock passing events, sealing a large workload batch) check it and throw `Interrupted`, so the
/// command fails as a whole and the world keeps its state from before it.
public enum Interruption {
    private static let flag = Atomic<Bool>(false)

    /// Safe to call from a signal handler: one lock-free store.
    public static func request() { flag.store(true, ordering: .relaxed) }
    public static func clear() { flag.store(false, ordering: .relaxed) }
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    public static func check() throws {
        if isRequested { throw Interrupted() }
    }
}

public struct Interrupted: Error, CustomStringConvertible, Sendable {
    public init() {}
    public var description: String { "interrupted (Ctrl-C); the command was stopped and changed nothing" }
}
