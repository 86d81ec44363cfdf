/// The names of every command and group az 2.91 has (`AzCommandNames`), read only when a line
/// names something keydrill's table lacks: then it is either a real az command keydrill does not
/// emulate (refused as such, exit 1) or a name az lacks too (a typo, exit 2).
public enum AzNames {
    public enum Kind: Sendable { case command, group }

    static let all: [String: Kind] = {
        var out = [String: Kind]()
        for line in AzCommandNames.text.split(separator: "\n") where line.count > 2 {
            out[String(line.dropFirst(2))] = line.first == "c" ? .command : .group
        }
        return out
    }()

    /// The longest run of `words` (after `path`) that names a real az command or group.
    public static func realName(path: [String], words: [String]) -> (name: String, kind: Kind)? {
        var found: (String, Kind)?
        var current = path
        for w in words {
            current.append(w)
            let name = current.joined(separator: " ")
            guard let kind = all[name] else { break }
            found = (name, kind)
            if kind == .command { break }
        }
        return found
    }

    /// Every direct child of a group in az 2.91 (`""` is the top level), by name.
    static let children: [String: [String: Kind]] = {
        var out = [String: [String: Kind]]()
        for (name, kind) in all {
            let words = name.split(separator: " ")
            out[words.dropLast().joined(separator: " "), default: [:]][String(words.last!)] = kind
        }
        return out
    }()
}
