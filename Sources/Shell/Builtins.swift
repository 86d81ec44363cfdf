import AzureCLI
import Cloud
import Foundation
import JMESPath
import Store

/// keydrill's own commands beside `az`: the virtual clock, assertions, checkpoints and a few
/// conveniences. Each returns what it printed and its exit code.
struct Builtin: Sendable {
    let spec: BuiltinSpec
    let run: @Sendable (Session, [String]) -> LineOutcome
    var usage: String { spec.usage }
    var summary: String { spec.summary }
}

enum Builtins {
    static func usage(_ text: String) -> LineOutcome {
        var o = LineOutcome()
        o.stderr = "ERROR: \(text)\n"
        o.exitCode = 2
        return o
    }

    static func failure(_ text: String, code: Int32 = 1) -> LineOutcome {
        var o = LineOutcome()
        o.stderr = text.hasSuffix("\n") ? text : text + "\n"
        o.exitCode = code
        return o
    }

    /// How each builtin of the catalogue runs; the catalogue test checks both name the same set.
    static let runners: [String: @Sendable (Session, [String]) -> LineOutcome] = [
        "clock": clock,
        "echo": { _, words in
            var o = LineOutcome()
            o.stdout = words.joined(separator: " ") + "\n"
            return o
        },
        "assert": assert,
        "expect-fail": expectFail,
        "await": awaitUntil,
        "settings": settings,
        "status": status, "impact": impact,
        "gameday": { s, words in
            GamePlay.commands?(s, words)
                ?? failure("ERROR: game days are played with the keydrill executable (keydrill gameday start PLAN.md)")
        },
        "checkpoint": checkpoint,
        "rewind": rewind,
        "history": { s, _ in
            guard let entries = s.historyProvider?() else {
                return failure("ERROR: history is kept by the interactive shell only")
            }
            var o = LineOutcome()
            o.stdout =
                entries.enumerated().map { String(format: "%5d  ", $0.offset + 1) + $0.element }.joined(
                    separator: "\n") + (entries.isEmpty ? "" : "\n")
            return o
        },
        "clear": { _, _ in
            var o = LineOutcome()
            o.stdout = "\u{1b}[H\u{1b}[2J"
            return o
        },
        "help": { s, words in
            guard let first = words.first else { return help() }
            // keydrill's own groups have az-style help of their own.
            if BuiltinCatalogue.spec(first) == nil, CommandTable.shared.keydrillTopLevel.contains(first) {
                return s.run(words + ["-h"])
            }
            return help(of: words.joined(separator: " "))
        },
        "exit": leave, "quit": leave,
        "??": { s, words in query(s, text: words.joined(separator: " ")) },
    ]

    static func leave(_ s: Session, _ words: [String]) -> LineOutcome {
        var o = LineOutcome()
        o.exitRequested = true
        o.exitCode = words.first.flatMap { Int32($0) } ?? s.lastExitCode
        return o
    }

    /// The expression builtins as a whole line reaches them: the expression as typed.
    static let expressionRunners: [String: @Sendable (Session, String) -> LineOutcome] = [
        "??": { query($0, text: $1) }, "assert": { assert($0, text: $1) },
    ]

    static let table: [String: Builtin] = Dictionary(
        uniqueKeysWithValues: BuiltinCatalogue.all.compactMap { spec in
            runners[spec.name].map { (spec.name, Builtin(spec: spec, run: $0)) }
        })

    static func clock(_ s: Session, _ words: [String]) -> LineOutcome {
        var o = LineOutcome()
        var words = words
        let verbose = words.count == 3 && ["-v", "--verbose"].contains(words[1])
        if verbose { words.remove(at: 1) }
        do {
            var ran = [ScheduledEvent]()
            let start = s.world.now
            switch (words.first, words.count) {
            case ("now", 1), (nil, 0):
                break
            case ("advance", 2):
                guard let secs = World.parseClockDuration(words[1]) else {
                    return usage(
                        "clock advance: invalid duration '\(words[1])' (use s, m, h or d, as in 90s, 15m, 2h, 3d or "
                            + "1h30m)"
                    )
                }
                ran = try s.withWorld { try $0.advanceClock(by: secs) }
            case ("set", 2):
                guard let t = AzDate.parseUserDate(words[1]) else {
                    return usage("clock set: invalid time '\(words[1])' (use ISO 8601, as in 2030-01-01T00:00:00Z)")
                }
                ran = try s.withWorld { try $0.setClock(to: t) }
            default:
                return usage("usage: clock now | clock advance [-v] DURATION | clock set [-v] TIME")
            }
            let now = AzDate.plain(s.world.now)
            // A game day's faults and probe samples are for the players to find, not to be told.
            ran.removeAll { $0.action.isGameDay }
            if verbose {
                // The events on stderr, so `$(clock advance -v 1h)` is still the time.
                // A run of unchanged checks taken in one step is one line, as the audit log keeps it.
                // Role assignments propagating are no scheduled event, but the clock brought them about.
                let grants = s.world.grantsTakingEffect(after: start)
                let total = ran.reduce(0) { $0 + 1 + ($1.repeats ?? 0) } + grants.count
                let lines =
                    ran.map { e in
                        let more = e.repeats.map { n in
                            " (and \(n) more time\(n == 1 ? "" : "s") until \(AzDate.plain(e.repeatedUntil!)), nothing "
                                + "changed)"
                        }
                        return (e.at, "  \(AzDate.plain(e.at))  \(e.action.summary)\(more ?? "")\n")
                    } + grants.map { ($0.at, "  \(AzDate.plain($0.at))  \($0.what)\n") }
                o.stderr =
                    lines.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element.1)
                    .joined() + "  \(total) event\(total == 1 ? "" : "s") ran\n"
            }
            o.stdout = now + "\n"
            s.setLastValue(.string(now))
        } catch let e as CloudError {
            return failure(AzureCLI.render(e))
        } catch {
            return failure("ERROR: \(error)")
        }
        return o
    }

    /// `?? JMESPATH`: query the last command's JSON output, as az interactive does.
    static func query(_ s: Session, text: String) -> LineOutcome {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return usage("usage: ?? JMESPATH") }
        let expression: JMESPathExpression
        do { expression = try JMESPathExpression(text) } catch {
            return usage("??: invalid JMESPath expression '\(text)': \(error)")
        }
        guard let doc = s.lastValue else {
            return failure("ERROR: there is no JSON output to query: the last command printed none or failed")
        }
        do {
            let v = try expression.search(doc)
            var o = LineOutcome()
            o.stdout = v.serialized(.az) + "\n"
            return o
        } catch {
            return failure("ERROR: \(error)")
        }
    }

    static func assert(_ s: Session, _ words: [String]) -> LineOutcome {
        assert(s, text: words.joined(separator: " "))
    }

    static func assert(_ s: Session, text: String) -> LineOutcome {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return usage("usage: assert JMESPATH") }
        let expression: JMESPathExpression
        do { expression = try JMESPathExpression(text) } catch {
            return usage("assert: invalid JMESPath expression '\(text)': \(error)")
        }
        var o: LineOutcome
        if let doc = s.lastValue {
            do {
                let v = try expression.search(doc)
                o =
                    v.isTruthy
                    ? LineOutcome()
                    : failure("ASSERTION FAILED: \(text)\n  evaluated to: \(v.serialized(.compact))" + reads(text, doc))
            } catch {
                o = failure("ASSERTION FAILED: \(text)\n  error: \(error)" + reads(text, doc))
            }
        } else {
            o = failure(
                "ASSERTION FAILED: \(text)\n  there is no JSON output to test: the last command printed none or failed")
        }
        o.assertion = AssertionTrace.evaluate(text, on: s.lastValue)
        return o
    }

    /// Each path the assertion reads with its value: what a reader needs, not the whole document.
    static func reads(_ expression: String, _ doc: JSON) -> String {
        let r = AssertionTrace.evaluate(expression, on: doc).reads
        guard !r.isEmpty else { return "\n  on: \(String(doc.serialized(.compact).prefix(400)))" }
        return r.keys.sorted().map { "\n  where \($0) = \(r[$0]!)" }.joined()
    }

    static func expectFail(_ s: Session, _ words: [String]) -> LineOutcome {
        let wrapped: WrappedCommand
        do {
            guard let w = try BuiltinCatalogue.unwrap(["expect-fail"] + words) else { return usage("expect-fail") }
            wrapped = w
        } catch { return usage(error.message) }
        let code = wrapped.options["--code"]
        let words = wrapped.command
        let r = s.run(words)
        var o = LineOutcome()
        o.stdout = r.stdout
        o.stderr = r.stderr
        if r.exitCode == 0 {
            o.stderr += "EXPECTED FAILURE DID NOT HAPPEN: \(words.joined(separator: " ")) succeeded\n"
            o.exitCode = 1
        } else if r.exitCode == 2 && code != "2" {
            // A typo, a missing option or an unknown command is the runbook's fault, not the
            // rehearsed failure: only an explicit --code 2 expects one.
            o.stderr +=
                "EXPECTED FAILURE IS A USAGE ERROR: the command line itself is wrong (exit 2), so nothing was "
                + "rehearsed; write --code 2 to expect a usage error\n"
            o.exitCode = 2
        } else if let code {
            let matches =
                Int32(code) == r.exitCode || r.errorCode?.lowercased() == code.lowercased()
                || r.innerErrorCode?.lowercased() == code.lowercased()
            if !matches {
                o.stderr +=
                    "EXPECTED FAILURE WITH \(code), got \(r.errorCode.map { "(\($0)), " } ?? "")exit code "
                    + "\(r.exitCode)\n"
                o.exitCode = 1
            }
        }
        // az's own checks fail with a message and no code: --message matches their words.
        if o.exitCode == 0, r.exitCode != 0, let text = wrapped.options["--message"], !r.stderr.contains(text) {
            o.stderr += "EXPECTED FAILURE WITH A MESSAGE CONTAINING '\(text)', got another error\n"
            o.exitCode = 1
        }
        return o
    }

    /// Polls on the virtual clock: the command runs, and while the expression is not truthy on
    /// its output the clock advances by --every and it runs again, until --within has passed.
    static func awaitUntil(_ s: Session, _ words: [String]) -> LineOutcome {
        let wrapped: WrappedCommand
        do {
            guard let w = try BuiltinCatalogue.unwrap(["await"] + words) else { return usage("await") }
            wrapped = w
        } catch { return usage(error.message) }
        let words = wrapped.command
        let until = wrapped.options["--until"]!
        guard let within = World.parseClockDuration(wrapped.options["--within"]!) else {
            return usage("await: invalid duration '\(wrapped.options["--within"]!)' for --within")
        }
        var every = 60.0
        if let value = wrapped.options["--every"] {
            guard let d = World.parseClockDuration(value), d >= Limits.shortestInterval else {
                return usage("await: --every takes a duration of at least 1s, not '\(value)'")
            }
            every = d
        }
        let end = Limits.latestTime.timeIntervalSince(s.world.now)
        if within > end {
            return usage(
                "await: --within \(AzDuration.describe(within)) passes the end of the virtual clock "
                    + "(\(AzDate.plain(Limits.latestTime)))")
        }
        if within / every > Limits.awaitPolls {
            return usage(
                "await: --within \(AzDuration.describe(within)) at --every \(AzDuration.describe(every)) would run the "
                    + "command \(Int((within / every).rounded(.up))) times; at most \(Int(Limits.awaitPolls)) (give a "
                    + "longer --every)")
        }
        let expression: JMESPathExpression
        do { expression = try JMESPathExpression(until) } catch {
            return usage("await: invalid JMESPath expression '\(until)': \(error)")
        }
        let start = s.world.now
        while true {
            if Interruption.isRequested { return failure("ERROR: \(Interrupted())") }
            let r = s.run(words)
            if r.exitCode == 0, let doc = s.lastValue, (try? expression.search(doc))?.isTruthy == true { return r }
            // A usage error does not go away with time.
            if r.exitCode == 2 { return r }
            let waited = s.world.now.timeIntervalSince(start)
            if waited + every > within {
                var o = r
                let last =
                    r.exitCode == 0
                    ? (s.lastValue.map { (try? expression.search($0))?.serialized(.compact) ?? "error" } ?? "no output")
                    : "the command failed (exit \(r.exitCode))"
                o.stderr +=
                    "AWAIT TIMED OUT: \(until) was not true within \(AzDuration.describe(within)) (waited "
                    + "\(AzDuration.describe(waited)) of virtual time); last: \(last)\n"
                o.exitCode = 1
                return o
            }
            do { _ = try s.withWorld { try $0.advanceClock(by: every) } } catch { return failure("ERROR: \(error)") }
        }
    }

    /// The world settings as JSON; `set` changes one, keeping its type (seconds are numbers,
    /// switches true or false, the operator address a string). Unknown names are refused.
    static func settings(_ s: Session, _ words: [String]) -> LineOutcome {
        do {
            let encoded = try JSONEncoder().encode(s.world.settings)
            guard case .object(var fields) = try JSON.parse(String(decoding: encoded, as: UTF8.self)) else {
                return failure("ERROR: settings are not an object")
            }
            switch (words.first, words.count) {
            case (nil, 0), ("show", 1):
                break
            case ("set", 3):
                guard let current = fields[words[1]] else {
                    return usage(
                        "settings: unknown setting '\(words[1])' (settings: "
                            + "\(fields.keys.sorted().joined(separator: ", ")))"
                    )
                }
                if case .bool = current {
                    guard let b = ["true": true, "false": false][words[2].lowercased()] else {
                        return usage("settings: '\(words[1])' takes true or false, not '\(words[2])'")
                    }
                    fields[words[1]] = .bool(b)
                } else if current.numberValue != nil {
                    guard let n = Double(words[2]) ?? World.parseClockDuration(words[2]), n >= 0 else {
                        return usage(
                            "settings: '\(words[1])' takes seconds (a number, or a duration such as 5m), not "
                                + "'\(words[2])'"
                        )
                    }
                    if let range = WorldSettings.range(of: words[1]), !range.contains(n) {
                        return usage(
                            "settings: '\(words[1])' must be between \(AzDuration.describe(range.lowerBound)) and "
                                + "\(AzDuration.describe(range.upperBound)), not \(words[2])"
                        )
                    }
                    fields[words[1]] = .number(n)
                } else {
                    fields[words[1]] = .string(words[2])
                }
                let updated = try JSONDecoder().decode(
                    WorldSettings.self, from: Data(JSON.object(fields).serialized(.compact).utf8))
                try s.withWorld { $0.settings = updated }
            default:
                return usage("usage: settings [show] | settings set NAME VALUE")
            }
            let doc = JSON.object(fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            var o = LineOutcome()
            o.stdout = doc.serialized(.az) + "\n"
            s.setLastValue(doc)
            return o
        } catch {
            return failure("ERROR: \(error)")
        }
    }

    /// Saved in the state directory (so `rewind` works in a later session), or in memory for an
    /// ephemeral session.
    static func checkpoint(_ s: Session, _ words: [String]) -> LineOutcome {
        guard words.count == 1 else { return usage("usage: checkpoint NAME") }
        guard NamedCheckpoints.isValidName(words[0]) else {
            return usage("checkpoint: '\(words[0])' is not a checkpoint name (letters, digits, '.', '_' and '-')")
        }
        if let saved = s.savedCheckpoints {
            do { try saved.save(words[0], world: s.world, variables: s.variables) } catch {
                return failure("ERROR: \(error)")
            }
        } else {
            s.checkpoints[words[0]] = (s.world, s.variables)
        }
        var o = LineOutcome()
        o.stderr =
            "checkpoint '\(words[0])' saved: the world at \(AzDate.plain(s.world.now)) (virtual time) and "
            + "\(s.variables.count) variable\(s.variables.count == 1 ? "" : "s"); 'rewind \(words[0])' goes back "
            + "to it\n"
        return o
    }

    static func rewind(_ s: Session, _ words: [String]) -> LineOutcome {
        // Bare, it lists what it could go back to.
        if words.isEmpty {
            var o = LineOutcome()
            let names = s.savedCheckpoints?.names ?? s.checkpoints.keys.sorted()
            o.stdout = names.isEmpty ? "" : names.joined(separator: "\n") + "\n"
            if names.isEmpty { o.stderr = "no checkpoints saved yet: 'checkpoint NAME' saves one\n" }
            return o
        }
        guard words.count == 1 else { return usage("usage: rewind [NAME]") }
        if s.world.gameInProgress {
            return failure(
                "ERROR: a game day is being played here, and a game cannot be rewound: its journal and its faults "
                    + "would go back with the world. Recover forward, or end the game (keydrill gameday end).")
        }
        var found: (world: World, variables: [String: String])?
        var names = s.checkpoints.keys.sorted()
        if let saved = s.savedCheckpoints {
            do {
                if NamedCheckpoints.isValidName(words[0]), let c = try saved.load(words[0]) {
                    found = (c.world, c.variables)
                }
            } catch {
                return failure("ERROR: \(error)")
            }
            names = saved.names
        } else {
            found = s.checkpoints[words[0]]
        }
        guard let found else {
            return failure(
                "ERROR: no checkpoint named '\(words[0])'"
                    + (names.isEmpty ? " (none saved yet)" : "; saved: \(names.joined(separator: ", "))"))
        }
        do { try s.replaceWorld(found.world) } catch { return failure("ERROR: \(error)") }
        s.variables = found.variables
        return LineOutcome()
    }

    static func status(_ s: Session, _ words: [String]) -> LineOutcome {
        guard words.isEmpty else { return usage("usage: status") }
        let w = s.world
        func sorted<V>(_ d: [String: V]) -> [V] { d.keys.sorted().map { d[$0]! } }
        let signedIn: String
        switch w.signIn.kind {
        case .user: signedIn = w.signedInUser.userPrincipalName
        case .servicePrincipal: signedIn = "\(w.signIn.displayName) (managed identity \(w.signIn.objectId))"
        case .signedOut: signedIn = "nobody (az logout)"
        }
        let doc = JSON.object([
            ("now", .string(AzDate.plain(w.now))),
            ("signedIn", .string(signedIn)),
            ("resourceGroups", .array(sorted(w.resourceGroups).map { .string($0.name) })),
            (
                "vaults",
                .array(
                    sorted(w.vaults).map { v in
                        .object([
                            ("name", .string(v.name)),
                            ("authorization", .string(v.enableRbacAuthorization ? "RBAC" : "access policies")),
                            ("purgeProtection", .bool(v.enablePurgeProtection == true)), ("keys", .int(v.keys.count)),
                        ])
                    })
            ),
            ("deletedVaults", .array(w.deletedVaults.keys.sorted().map { .string($0) })),
            (
                "identities",
                .array(
                    sorted(w.identities).map { i in
                        .object([
                            ("name", .string(i.name)), ("resourceGroup", .string(i.resourceGroup)),
                            ("principalId", .string(i.principalId)),
                        ])
                    })
            ),
            (
                "postgresServers",
                .array(
                    sorted(w.postgresServers).map { p in
                        .object([
                            ("name", .string(p.name)), ("state", .string(p.userVisibleState)),
                            ("key", .string(p.encryption.serverKey?.uri ?? "service-managed")),
                            ("rows", .int(p.rows.count)),
                        ])
                    })
            ),
            (
                "serviceBusNamespaces",
                .array(
                    sorted(w.serviceBusNamespaces).map { n in
                        .object([
                            ("name", .string(n.name)),
                            (
                                "keys",
                                .array(
                                    (n.encryption?.keys ?? []).map { .string("\($0.keyVaultUri)/keys/\($0.keyName)") })
                            ),
                            ("dataKey", .string(n.activeDataKey == nil ? "unavailable" : "available")),
                            ("queues", .int(n.queues.count)),
                            (
                                "geoDR",
                                n.alias.map { a in
                                    .string("\(a.name): \(a.role)" + (a.partner.isEmpty ? "" : " with \(a.partner)"))
                                } ?? .null
                            ),
                        ])
                    })
            ),
            (
                "flexibleServers",
                .array(
                    sorted(w.flexibleServers).map { f in
                        .object([
                            ("name", .string(f.name)), ("state", .string(f.state)),
                            ("key", .string(f.dataEncryption?.primary.keyUri ?? "service-managed")),
                            ("geoBackupKey", f.dataEncryption?.geoBackup.map { .string($0.keyUri) } ?? .null),
                            ("rows", .int(f.rows.count)),
                        ])
                    })
            ),
            (
                "keys",
                .array(
                    w.keysInUse().map { k in
                        .object([
                            ("key", .string(k.key)), ("state", .string(k.state)),
                            ("usedBy", .array(k.consumers.map { .string($0) })),
                        ])
                    })
            ),
            (
                "pending",
                .array(w.pendingEvents().map { .string("\(AzDate.plain($0.at)) \($0.what)") })
            ),
            ("scheduledEvents", .int(w.scheduler.events.filter { !$0.action.isGameDay }.count)),
            (
                "nextEvent",
                w.scheduler.events.first { !$0.action.isGameDay }.map {
                    .string("\(AzDate.plain($0.at)) \($0.action.summary)")
                } ?? .null
            ),
        ])
        var o = LineOutcome()
        o.stdout = doc.serialized(.az) + "\n"
        s.setLastValue(doc)
        return o
    }

    /// `help NAME` / `NAME -h` for a builtin, `??`, or a keydrill group (its az-style help).
    static func help(of name: String) -> LineOutcome {
        if let b = BuiltinCatalogue.spec(name) {
            var o = LineOutcome()
            o.stdout = "usage: \(b.usage)\n  \(b.summary)\n"
            return o
        }
        let known = LineCommand.firstWords().filter { $0 != "az" }
        return usage(
            "help: no keydrill command '\(name)' (commands: \(known.joined(separator: ", "))); az commands take -h, "
                + "as in az \(name) -h"
        )
    }

    static func help() -> LineOutcome {
        var o = LineOutcome()
        let table = CommandTable.shared
        var text = "keydrill: rehearse customer-managed-key procedures against an emulated Azure.\n\n"
        text += "az command groups (az GROUP -h for more):\n"
        for g in table.children[""] ?? [] where !table.keydrillTopLevel.contains(g) {
            text += "  az \(g.padding(toLength: 12, withPad: " ", startingAt: 0)) \(GroupInfo.summaries[g] ?? "")\n"
        }
        text += "\nkeydrill's own commands:\n"
        for name in table.keydrillGroups {
            text += "  \(name.padding(toLength: 15, withPad: " ", startingAt: 0)) \(GroupInfo.summaries[name] ?? "")\n"
        }
        for b in BuiltinCatalogue.all.sorted(by: { $0.name < $1.name }) {
            text += "  \(b.name.padding(toLength: 15, withPad: " ", startingAt: 0)) \(b.summary)\n"
        }
        text +=
            "\nLines: 'single' and \"double\" quotes, \\ escapes, # comments, $VAR, ${VAR}, $?, "
            + "$(command),\nNAME=value, and a trailing \\ to continue on the next line.\n"
        o.stdout = text
        return o
    }
}
