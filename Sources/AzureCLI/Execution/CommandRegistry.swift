/// Every command keydrill emulates, by az's command name. A command in the table without an
/// entry here is refused as not emulated.
public enum CommandRegistry {
    public static let handlers: [String: Handler] = {
        var all = [String: Handler]()
        for group in [GroupCommands.handlers, KeyVaultCommands.handlers, KeyCommands.handlers, RotationPolicyCommands.handlers, PostgresCommands.handlers, ServiceBusCommands.handlers, WorkloadCommands.handlers, AuditCommands.handlers, IdentityCommands.handlers, RoleAssignmentCommands.handlers, PortalCommands.handlers, AccountCommands.handlers] {
            all.merge(group) { a, _ in a }
        }
        return all
    }()

    /// Arguments every emulated command honours: output shaping, `--ids`, and the prompts and
    /// waits that an emulator resolves at once.
    static let universal: Set<String> = ["output", "query", "only_show_errors", "verbose", "debug", "help", "subscription", "ids", "yes", "no_wait"]

    /// Whether the handler takes the argument, or every command does.
    public static func honours(_ handler: Handler, _ dest: String) -> Bool {
        handler.supported.contains(dest) || universal.contains(dest)
    }
}
