import JMESPath

/// az's command-line rules (argparse with allow_abbrev, as az configures it): the command path,
/// then options only; unambiguous long-option prefixes; `--opt=value`; lists run to the next
/// option; the last repeat wins except for append and merge options; choices match case-insensitively
/// and are normalised. Usage errors are `UsageError` (exit 2); AAZ value errors are `CLIError`
/// (exit 1) raised after argparse's own checks, as az does.
public struct CommandLineParser {
    public let table: CommandTable
    public let environment: @Sendable (String) -> String?
    /// Whether someone is signed in: az asks the subscription for its locations while it parses
    /// a location name with a space in it, which fails signed out.
    public let signedIn: Bool

    public init(
        table: CommandTable = .shared, environment: @escaping @Sendable (String) -> String?, signedIn: Bool = true
    ) {
        self.table = table
        self.environment = environment
        self.signedIn = signedIn
    }

    /// - Parameter keydrill: true for keydrill's own groups (typed without `az`), false for az's.
    public func parse(_ argv: [String], keydrill: Bool = false) throws -> ParseResult {
        if !keydrill {
            try StartupRefusal.check(argv)
            try leadingOptions(argv)
        }
        // The command path: leading words that name groups or a command.
        var path = [String]()
        var index = 0
        while index < argv.count, !argv[index].hasPrefix("-") {
            // Command and group words match case-insensitively, as in az (`az KeyVault list`).
            let word = argv[index].lowercased()
            if index == 0, table.keydrillTopLevel.contains(word) != keydrill { break }
            let candidate = (path + [word]).joined(separator: " ")
            guard table.isPath(candidate) else { break }
            path.append(word)
            index += 1
            if table.contains(candidate) { break }
        }
        let pathText = path.joined(separator: " ")
        let rest = Array(argv[index...])
        guard let spec = table.command(pathText) else {
            return try groupOutcome(path: path, rest: rest)
        }
        return try parseArguments(spec, rest)
    }

    /// az finds the command's words before the first option; with an option first it loads no
    /// command group, so its root parser reads the words that follow: a group's name is taken, the
    /// next word is "misspelled", as az 2.91 says (`az -o tsv keyvault list`). A top-level command
    /// after options (`az -o tsv login`) crashes az; keydrill leaves that line to the usual path.
    private func leadingOptions(_ argv: [String]) throws {
        guard let first = argv.first, first.hasPrefix("-"), !["-h", "--help", "--version"].contains(first) else {
            return
        }
        var words = [String]()
        var i = 0
        while i < argv.count, words.count < 2 {
            let t = argv[i]
            if ["-o", "--output", "--query"].contains(t) {
                guard i + 1 < argv.count else {
                    throw UsageError("argument \(t == "--query" ? "--query" : "--output/-o"): expected one argument")
                }
                i += 2
                continue
            }
            if !t.hasPrefix("-") { words.append(t) }
            i += 1
        }
        guard let group = words.first else {
            throw UsageError("the following arguments are required: _command_package")
        }
        let real = AzNames.realName(path: [], words: [group.lowercased()])
        if real?.kind == .command { return }
        guard real != nil, words.count == 2 else {
            if real == nil { throw UsageError("'\(group)' is misspelled or not recognized by the system.") }
            throw UsageError("the following arguments are required: _subcommand")
        }
        throw UsageError("'\(words[1])' is misspelled or not recognized by the system.")
    }

    private func groupOutcome(path: [String], rest: [String]) throws -> ParseResult {
        let pathText = path.joined(separator: " ")
        if let word = rest.first, !word.hasPrefix("-") {
            let words = rest.prefix { !$0.hasPrefix("-") }.map { $0.lowercased() }
            if let real = AzNames.realName(path: path, words: words) {
                let what = real.kind == .command ? "'az \(real.name)'" : "the command group 'az \(real.name)'"
                throw CLIError(
                    "keydrill does not emulate \(what) (az \(AzureCLI.azVersion) has it); it is refused "
                        + "rather than run against nothing.")
            }
            let choices = (table.children[pathText] ?? []).filter {
                !path.isEmpty || !table.keydrillTopLevel.contains($0)
            }
            var suggestion: String?
            if let near = Suggest.closest(word, among: choices) {
                let inferred = (["az"] + path + [near] + rest.dropFirst().prefix { !$0.hasPrefix("-") }).joined(
                    separator: " ")
                suggestion = "Did you mean '\(inferred)' ?"
            }
            throw UsageError("'\(word)' is misspelled or not recognized by the system.", suggestion: suggestion)
        }
        if rest.contains("-h") || rest.contains("--help") || path.isEmpty {
            return .help(HelpWriter.groupHelp(table: table, path: pathText))
        }
        throw UsageError("the following arguments are required: _subcommand")
    }

    private func isOptionLike(_ token: String) -> Bool {
        guard token.count > 1, token.hasPrefix("-") else { return false }
        // argparse takes a token with a space in it as a value ("-----BEGIN PRIVATE KEY-----").
        if token.contains(" ") { return false }
        // argparse treats "-5" and "-0.5" as values when no option looks like a number.
        let body = token.dropFirst()
        return !(body.allSatisfy { $0.isNumber || $0 == "." } && body.contains { $0.isNumber })
    }

    private func parseArguments(_ spec: CommandSpec, _ tokens: [String]) throws -> ParseResult {
        let commandOptions = Set(spec.parameters.flatMap(\.options))
        let globals = table.globals.filter { !$0.options.contains { commandOptions.contains($0) } }
        let params = spec.parameters + globals
        var byOption = [String: Int]()
        for (i, p) in params.enumerated() { for o in p.options { byOption[o] = i } }
        // argparse lists an ambiguous prefix's candidates as it registered them: arguments in az's
        // order, an option's own strings together in theirs (`--max-replication-lag-duration-in-seconds,
        // --max-lag`). Where az's order is not known, by the first long option's name.
        func rank(_ o: String) -> (Int, String, Int) {
            let p = params[byOption[o]!]
            return (
                spec.registration[p.dest] ?? Int.max, p.options.first { $0.hasPrefix("--") } ?? o,
                p.options.firstIndex(of: o) ?? 0
            )
        }
        let longOptions = byOption.keys.filter { $0.hasPrefix("--") }.sorted { rank($0) < rank($1) }

        // argparse classifies every token before it takes any value, so an ambiguous prefix
        // anywhere is the error even when an earlier option's value is bad.
        for token in tokens.prefix(while: { $0 != "--" }) where token.hasPrefix("--") && isOptionLike(token) {
            let name = token.firstIndex(of: "=").map { String(token[..<$0]) } ?? token
            guard byOption[name] == nil else { continue }
            let matches = longOptions.filter { $0.hasPrefix(name) }
            if matches.count > 1 {
                throw UsageError(
                    "ambiguous option: \(name) could match \(matches.joined(separator: ", "))",
                    examples: spec.usageExamples)
            }
        }
        var state = ArgumentState(spec: spec, environment: environment, signedIn: signedIn)
        var extras = [String]()
        var i = 0
        while i < tokens.count {
            let token = tokens[i]
            // az's argparse keeps the `--` among what it did not recognise.
            if token == "--" { extras.append(contentsOf: tokens[i...]); break }
            guard isOptionLike(token) else { extras.append(token); i += 1; continue }

            var name = token
            var attached: String?
            if token.hasPrefix("--"), let eq = token.firstIndex(of: "=") {
                name = String(token[..<eq])
                attached = String(token[token.index(after: eq)...])
            }
            var paramIndex = byOption[name]
            if paramIndex == nil, name.hasPrefix("--") {
                let matches = longOptions.filter { $0.hasPrefix(name) }
                if matches.count > 1 {
                    throw UsageError(
                        "ambiguous option: \(name) could match \(matches.joined(separator: ", "))",
                        examples: spec.usageExamples)
                }
                paramIndex = matches.first.flatMap { byOption[$0] }
                // argparse hands the action the option it matched, which az's messages name.
                if let full = matches.first { name = full }
            } else if paramIndex == nil, !name.hasPrefix("--"), name.count > 2, let p = byOption[String(name.prefix(2))]
            {
                paramIndex = p
                attached = String(name.dropFirst(2))
                name = String(name.prefix(2))
            }
            guard let pi = paramIndex else { extras.append(token); i += 1; continue }
            let param = params[pi]
            if param.options.contains("--help") {
                return .help(HelpWriter.commandHelp(spec, globals: globals, table: table))
            }

            var available = [String]()
            var j = i + 1
            while j < tokens.count, !isOptionLike(tokens[j]), tokens[j] != "--" { available.append(tokens[j]); j += 1 }
            let values: [String]
            if let attached {
                if param.arity == .none {
                    throw UsageError(
                        "argument \(param.displayName): ignored explicit argument '\(attached)'",
                        examples: spec.usageExamples)
                }
                values = [attached]
                i += 1
            } else {
                switch param.arity {
                case .none: values = []
                case .one:
                    guard let v = available.first else {
                        throw UsageError(
                            "argument \(param.displayName): expected one argument", examples: spec.usageExamples)
                    }
                    values = [v]
                case .optional: values = Array(available.prefix(1))
                case .oneOrMore:
                    guard !available.isEmpty else {
                        throw UsageError(
                            "argument \(param.displayName): expected at least one argument",
                            examples: spec.usageExamples)
                    }
                    values = available
                case .zeroOrMore: values = available
                }
                i += 1 + values.count
            }
            try state.take(param, typed: name, values: values)
        }

        try state.checkRequired(params)
        // az suggests nothing for an option it does not know (`--ktx RSA`, `--enable-soft-delete`).
        if !extras.isEmpty { throw UsageError("unrecognized arguments: \(extras.joined(separator: " "))") }
        return .run(try state.finish(params))
    }
}
