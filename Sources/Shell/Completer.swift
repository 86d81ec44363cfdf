import AzureCLI
import Cloud

/// Tab completion from the command table and the live world: groups, commands, the command's
/// options, enum values, and names of what exists (groups, vaults, keys, key ids, servers,
/// namespaces, queues, aliases, principals).
public struct Completer {
    let table: CommandTable
    let world: World

    public init(world: World, table: CommandTable = .shared) {
        self.world = world
        self.table = table
    }

    public struct Result: Equatable {
        /// The word being completed, as typed.
        public let word: String
        public let candidates: [String]
    }

    /// Candidates for the last (partial) word of `line`.
    public func complete(_ line: String) -> Result {
        let endsWithSpace = line.last == " " || line.isEmpty
        var words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let word = endsWithSpace ? "" : (words.popLast() ?? "")
        func result(_ all: [String]) -> Result {
            Result(word: word, candidates: all.filter { $0.hasPrefix(word) }.sorted())
        }

        // Through wrappers (`expect-fail --code X`, `await --until ...`) to the command they run.
        while let wrapper = words.first.flatMap(BuiltinCatalogue.spec), !wrapper.wrapperOptions.isEmpty {
            var rest = Array(words.dropFirst())
            while let flag = rest.first, wrapper.wrapperOptions.contains(where: { $0.name == flag }) {
                if rest.count == 1 { return result([]) }
                rest.removeFirst(2)
            }
            if rest.isEmpty, word.hasPrefix("-") {
                let used = Set(words)
                return result(wrapper.wrapperOptions.map(\.name).filter { !used.contains($0) })
            }
            words = rest
        }
        if words.isEmpty {
            return result(LineCommand.firstWords(table: table))
        }
        if let builtin = BuiltinCatalogue.spec(words[0]), case .words(let subcommands) = builtin.syntax {
            return words.count == 1 ? result(subcommands) : result([])
        }
        let isAz = words[0] == "az"
        guard isAz || table.keydrillGroups.contains(words[0]) else { return result([]) }
        var path = isAz ? [String]() : [words[0]]
        var i = isAz ? 1 : 1
        while i < words.count, !words[i].hasPrefix("-"),
            table.children[path.joined(separator: " ")]?.contains(words[i]) == true
        {
            path.append(words[i])
            i += 1
        }
        let name = path.joined(separator: " ")
        guard let spec = table.command(name) else {
            // Still choosing a group or command.
            let kids = (table.children[name] ?? []).filter {
                !(isAz && path.isEmpty && table.keydrillTopLevel.contains($0))
            }
            return i == words.count ? result(kids) : result([])
        }
        let rest = Array(words[i...])
        if let previous = rest.last, previous.hasPrefix("-"),
            let p = spec.parameters.first(where: { $0.options.contains(previous) }),
            p.kind != .flag
        {
            if !p.choices.isEmpty { return result(p.choices) }
            return result(liveValues(p, spec: spec, words: rest))
        }
        if word.hasPrefix("-") || word.isEmpty {
            let used = Set(rest.filter { $0.hasPrefix("-") })
            // Only what keydrill honours: an option it would refuse is no suggestion.
            let handler = CommandRegistry.handlers[name]
            let options = (spec.parameters + table.globals).filter { p in
                !p.isHidden && handler.map { CommandRegistry.honours($0, p.dest) } ?? false
            }
            .flatMap { p in p.options.filter { $0.hasPrefix("--") } }
            return result(options.filter { !used.contains($0) })
        }
        return result([])
    }

    /// The names that complete `p`'s value, given the other arguments already on the line.
    func liveValues(_ p: ParameterSpec, spec: CommandSpec, words: [String]) -> [String] {
        guard let kind = p.completion else { return [] }
        return CompletionValues.candidates(kind, world: world) { dest in
            guard let options = spec.parameters.first(where: { $0.dest == dest })?.options else { return nil }
            for (i, w) in words.enumerated() where options.contains(w) && i + 1 < words.count { return words[i + 1] }
            return nil
        }
    }

    /// A one-line usage hint for a complete command name (redis-cli style): its required options
    /// and how many optional ones follow.
    public static func usageHint(_ line: String, table: CommandTable = .shared) -> String? {
        var words = line.split(separator: " ").map(String.init)
        guard !words.isEmpty else { return nil }
        if words.count == 1, let b = BuiltinCatalogue.spec(words[0]) { return "\(b.usage) — \(b.summary)" }
        let prefix: String
        if words[0] == "az" { words.removeFirst(); prefix = "az " } else { prefix = "" }
        guard let spec = table.command(words.joined(separator: " ")) else { return nil }
        let visible = spec.parameters.filter {
            !$0.isHidden && !$0.isPolicyArgument && $0.dest != "ids" && $0.dest != "subscription"
        }
        let required = visible.filter(\.required).map { p in "\(p.options[0]) \(p.dest.uppercased())" }
        let optional = visible.filter { !$0.required }.map { p in p.options[0] }
        let shown = optional.prefix(4).map { "[\($0)]" }
        let more = optional.count > 4 ? " [+\(optional.count - 4) more]" : ""
        return "\(prefix)\(spec.name) " + (required + shown).joined(separator: " ") + more + " — \(spec.summary)"
    }
}
