/// `-h/--help` text in knack's layout, generated from the command table.
enum HelpWriter {
    static let width = 100

    static func groupHelp(table: CommandTable, path: String) -> String {
        var out = "\n"
        let summary = GroupInfo.summaries[path] ?? ""
        if path.isEmpty {
            out += "Group\n    az\n\n    \(summary)\n"
        } else {
            out += "Group\n" + wrap("\(table.prefix(of: path))\(path) : \(summary)", indent: 4, hanging: 4) + "\n"
        }
        // keydrill's own groups are not az's: `az -h` does not list them (`help` does).
        let kids = (table.children[path] ?? []).filter { !path.isEmpty || !table.keydrillTopLevel.contains($0) }
        let groups = kids.filter {
            table.children[(path.isEmpty ? $0 : "\(path) \($0)")] != nil
                && !table.contains(path.isEmpty ? $0 : "\(path) \($0)")
        }
        let commands = kids.filter { table.contains(path.isEmpty ? $0 : "\(path) \($0)") }
        // The rest of what az has here, so a reader sees the whole group and what keydrill leaves out.
        let isOwn = table.keydrillTopLevel.contains(String(path.split(separator: " ").first ?? ""))
        let real = isOwn ? [:] : (AzNames.children[path] ?? [:]).filter { !kids.contains($0.key) }
        let realGroups = real.filter { $0.value == .group }.keys.sorted()
        let realCommands = real.filter { $0.value == .command }.keys.sorted()
        let nameWidth = ((kids + real.keys).map(\.count).max() ?? 0) + 1
        let notEmulated = "[not emulated by keydrill]"
        func entry(_ name: String, _ text: String) -> String {
            wrap(
                name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + ": " + text, indent: 4,
                hanging: nameWidth + 6)
        }
        if !groups.isEmpty || !realGroups.isEmpty {
            out += "\nSubgroups:\n"
            for g in (groups + realGroups).sorted() {
                let name = path.isEmpty ? g : "\(path) \(g)"
                out += entry(g, groups.contains(g) ? GroupInfo.summaries[name] ?? "" : notEmulated) + "\n"
            }
        }
        if !commands.isEmpty || !realCommands.isEmpty {
            out += "\nCommands:\n"
            for c in (commands + realCommands).sorted() {
                let name = path.isEmpty ? c : "\(path) \(c)"
                var text = notEmulated
                if commands.contains(c) {
                    text = table.summary(of: name) ?? ""
                    if CommandRegistry.handlers[name] == nil { text = "\(notEmulated) \(text)" }
                }
                out += entry(c, text) + "\n"
            }
        }
        // az's pointer to its knowledge base is about az's groups, not keydrill's own.
        if !isOwn { out += "\nTo search AI knowledge base for examples, use: az find \"az \(path)\"\n" }
        return out
    }

    static func commandHelp(_ spec: CommandSpec, globals: [ParameterSpec], table: CommandTable) -> String {
        let prefix = table.prefix(of:)
        var out = "\nCommand\n"
        out += wrap("\(prefix(spec.name))\(spec.name) : \(spec.summary)", indent: 4, hanging: 4) + "\n"
        let handler = CommandRegistry.handlers[spec.name]
        if handler == nil {
            out += wrap("[keydrill does not emulate this command: it is refused.]", indent: 8, hanging: 8) + "\n"
        }
        if !spec.longSummary.isEmpty { out += wrap(spec.longSummary, indent: 8, hanging: 8) + "\n" }
        var sections = [(String, [ParameterSpec])]()
        for p in spec.parameters where !p.isHidden {
            let title = p.group ?? "Arguments"
            if let i = sections.firstIndex(where: { $0.0 == title }) {
                sections[i].1.append(p)
            } else {
                sections.append((title, [p]))
            }
        }
        if let i = sections.firstIndex(where: { $0.0 == "Arguments" }), i != 0 {
            sections.insert(sections.remove(at: i), at: 0)
        }
        sections.append(("Global Arguments", globals))
        let all = sections.flatMap(\.1)
        let nameWidth = all.map { name($0).count }.max() ?? 0
        for (title, params) in sections {
            out += "\n\(title)\n"
            let sorted = params.sorted {
                ($0.required ? 0 : 1, $0.primaryOption) < ($1.required ? 0 : 1, $1.primaryOption)
            }
            for p in sorted {
                var text = p.help
                if !p.choices.isEmpty, p.kind != .aazbool {
                    let shown = p.kind == .bool ? ["false", "true"] : p.choices.sorted()
                    text += "  Allowed values: \(shown.joined(separator: ", "))."
                } else if p.kind == .aazbool {
                    text += "  Allowed values: false, true."
                }
                if let d = p.defaultJSON, p.kind != .flag, p.kind != .bool, d != "false" {
                    text += "  Default: \(d.trimmingCharacters(in: ["\""]))."
                }
                if let handler, !CommandRegistry.honours(handler, p.dest) {
                    text += "  [keydrill: not emulated, refused.]"
                }
                let label = name(p).padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                out += wrap("\(label) : \(text)", indent: 4, hanging: nameWidth + 7) + "\n"
            }
        }
        if !spec.examples.isEmpty {
            out += "\nExamples\n"
            for e in spec.examples {
                out += wrap(e.summary, indent: 4, hanging: 4) + "\n"
                out += "        \(e.command)\n\n"
            }
        }
        if prefix(spec.name) == "az " {
            out += "To search AI knowledge base for examples, use: az find \"az \(spec.name)\"\n"
        }
        return out
    }

    private static func name(_ p: ParameterSpec) -> String {
        p.options.joined(separator: " ") + (p.required ? " [Required]" : "")
    }

    /// Word-wraps to `width` columns; the first line is indented by `indent`, the rest by `hanging`.
    static func wrap(_ text: String, indent: Int, hanging: Int) -> String {
        var lines = [String]()
        var line = String(repeating: " ", count: indent)
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if lineHasWord, line.count + 1 + word.count > width {
                lines.append(line)
                line = String(repeating: " ", count: hanging)
                lineHasWord = false
            }
            line += (lineHasWord ? " " : "") + word
            lineHasWord = true
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}
