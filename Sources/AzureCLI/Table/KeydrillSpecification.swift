/// keydrill's own command groups, declared in the same layout as az's (see
/// tools/gen-command-table.py), so they parse, complete and print help exactly like az commands.
/// Each Azure issue adds its groups here together with their handlers.
enum KeydrillSpecification {
    static let topLevel: Set<String> = ["portal", "workload", "audit"]

    static let text = #"""
"""#
}
