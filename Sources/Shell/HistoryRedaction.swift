import AzureCLI

/// Secrets never reach the history file: the value of any option whose destination is a
/// password (`az postgres server create -p ...`, `--admin-password`) is replaced before the line
/// is recorded. Other `-p` options (`az keyvault key create -p software`) are left alone.
public enum HistoryRedaction {
    public static let mask = "********"

    public static func redact(_ line: String, table: CommandTable = .shared) -> String {
        var words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let start = words.first == "az" ? 1 : 0
        var path = [String]()
        var i = start
        while i < words.count, table.children[path.joined(separator: " ")]?.contains(words[i]) == true {
            path.append(words[i])
            i += 1
        }
        guard let spec = table.command(path.joined(separator: " ")) else { return line }
        let secret = Set(spec.parameters.filter { $0.dest.contains("password") }.flatMap(\.options))
        guard !secret.isEmpty else { return line }
        while i < words.count {
            let w = words[i]
            if let eq = w.firstIndex(of: "="), secret.contains(String(w[..<eq])) {
                words[i] = String(w[...eq]) + mask
            } else if secret.contains(w), i + 1 < words.count {
                words[i + 1] = mask
                i += 1
            }
            i += 1
        }
        return words.joined(separator: " ")
    }
}
