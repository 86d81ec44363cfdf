/// Every command keydrill emulates, by az's command name. A command in the table without an
/// entry here is refused as not emulated.
public enum CommandRegistry {
    /// Each room's handlers; a command handled in two rooms is a mistake the catalogue test finds.
    static let rooms: [[String: Handler]] = [
        GroupCommands.handlers, KeyVaultCommands.handlers, KeyCommands.handlers, RotationPolicyCommands.handlers,
        PostgresCommands.handlers, ServiceBusCommands.handlers, WorkloadCommands.handlers, AuditCommands.handlers,
        ActivityCommands.handlers, EventsCommands.handlers,
        IdentityCommands.handlers, RoleAssignmentCommands.handlers, PortalCommands.handlers, AccountCommands.handlers,
        WaitCommands.handlers, DirectoryCommands.handlers, ResourceCommands.handlers, NetworkCommands.handlers,
        FlexibleServerCommands.handlers, FlexibleServerCopyCommands.handlers, FlexibleServerParameterCommands.handlers,
        PortalFlexibleServerCommands.handlers,
    ]

    public static let handlers: [String: Handler] = {
        var all = [String: Handler]()
        for room in rooms { all.merge(room) { a, _ in a } }
        return all
    }()

    /// Arguments every emulated command honours: output shaping, `--ids`, and the prompts and
    /// waits that an emulator resolves at once.
    static let universal: Set<String> = [
        "output", "query", "only_show_errors", "verbose", "debug", "help", "subscription", "ids", "yes", "no_wait",
    ]

    /// Whether the handler takes the argument, or every command does.
    public static func honours(_ handler: Handler, _ dest: String) -> Bool {
        universal.contains(dest) || handler.reads.contains { $0.dest == dest }
    }
}
