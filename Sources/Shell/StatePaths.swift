import Foundation

public enum StatePaths {
    /// `--state`, else `$KEYDRILL_STATE`, else `$XDG_STATE_HOME/keydrill`, else `~/.local/state/keydrill`.
    public static func directory(explicit: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let s = environment["KEYDRILL_STATE"], !s.isEmpty { return s }
        return stateHome(environment) + "/keydrill"
    }

    public static func stateHome(_ environment: [String: String]) -> String {
        if let x = environment["XDG_STATE_HOME"], !x.isEmpty { return x }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/state"
    }
}
