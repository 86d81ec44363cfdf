import Foundation

/// Reads the tab-separated table text (see tools/gen-command-table.py for the layout).
enum CommandTableReader {
    /// Finds each command's block (its C line up to the next C or G line) without reading the
    /// blocks; G lines (global arguments) are returned as text.
    static func index(_ source: String) -> ([String: CommandTable.Entry], String) {
        var text = source
        text.makeContiguousUTF8()
        var entries = [String: CommandTable.Entry]()
        var globals = ""
        let utf8 = text.utf8
        // Every keydrill start reads this index: scan the bytes for the C and G lines only (most
        // lines are parameters), and cut the blocks as UTF-8 slices (a block starts and ends at a
        // line break, so no character boundary needs finding).
        utf8.withContiguousStorageIfAvailable { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress!)
            var current: (name: String, summary: String, start: Int)?
            func close(at end: Int) {
                if let c = current {
                    let block = Substring(
                        utf8[
                            utf8.index(
                                utf8.startIndex, offsetBy: c.start)..<utf8.index(
                                    utf8.startIndex, offsetBy: end)])
                    entries[c.name] = CommandTable.Entry(summary: c.summary, block: block)
                }
                current = nil
            }
            var at = 0
            while at < bytes.count {
                var nl = bytes.count
                if let p = memchr(base + at, 0x0A, bytes.count - at) { nl = base.distance(to: UnsafeRawPointer(p)) }
                let first = bytes[at]
                if first == UInt8(ascii: "C") || first == UInt8(ascii: "G") {
                    close(at: at)
                    let line = UnsafeBufferPointer(rebasing: bytes[at..<nl])
                    if first == UInt8(ascii: "C") {
                        // C, name, version, flags, summary[, long summary]: only the name and summary here.
                        let tabs = line.indices.filter { line[$0] == 0x09 }
                        func field(_ k: Int) -> String {
                            guard k < tabs.count + 1 else { return "" }
                            let from = k == 0 ? 0 : tabs[k - 1] + 1
                            let to = k < tabs.count ? tabs[k] : line.count
                            return String(decoding: UnsafeBufferPointer(rebasing: line[from..<to]), as: UTF8.self)
                        }
                        current = (field(1), tabs.count >= 4 ? unescape(Substring(field(4))) : "", at)
                    } else {
                        globals += String(decoding: line, as: UTF8.self) + "\n"
                    }
                }
                at = nl + 1
            }
            close(at: bytes.count)
        }
        return (entries, globals)
    }

    static func read(_ text: String) -> ([CommandSpec], [ParameterSpec]) {
        var commands = [CommandSpec]()
        var globals = [ParameterSpec]()
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let f = rawLine.split(separator: "\t", omittingEmptySubsequences: false).map { unescape($0) }
            switch f.first {
            case "C":
                let listed = f[3].split(separator: ",").map(String.init), flags = Set(listed)
                commands.append(
                    CommandSpec(
                        name: f[1], cliVersion: f[2], isAAZ: flags.contains("aaz"), confirms: flags.contains("confirm"),
                        acceptsIds: flags.contains("ids"), isPreview: flags.contains("preview"),
                        validators: listed.filter { $0.hasPrefix("v=") }.map { String($0.dropFirst(2)) },
                        summary: f[4], longSummary: f.count > 5 ? f[5] : "", parameters: [], examples: []))
                if let order = listed.first(where: { $0.hasPrefix("order=") }) {
                    for (i, dest) in order.dropFirst(6).split(separator: "|").enumerated() {
                        commands[commands.count - 1].registration[String(dest)] = i
                    }
                }
            case "P":
                commands[commands.count - 1].parameters.append(parameter(f))
            case "G":
                globals.append(parameter(f))
            case "E":
                commands[commands.count - 1].examples.append((f[1], f.count > 2 ? f[2] : ""))
            default:
                continue
            }
        }
        return (commands, globals)
    }

    private static func parameter(_ f: [String]) -> ParameterSpec {
        let flags = Set(f[9].split(separator: ",").map(String.init))
        var p = ParameterSpec(
            options: f[1].split(separator: ",").map(String.init), dest: f[2],
            kind: ParameterSpec.Kind(rawValue: f[3]) ?? .value, arity: ParameterSpec.Arity(rawValue: f[4]) ?? .one,
            required: f[5] == "1", defaultJSON: f[6].isEmpty ? nil : f[6],
            choices: f[7].isEmpty ? [] : f[7].split(separator: "|").map(String.init), choicesCaseSensitive: f[8] == "1",
            isHidden: flags.contains("hidden"), isDeprecated: flags.contains("deprecated"),
            appends: flags.contains("append"),
            isPolicyArgument: flags.contains("policy"),
            idPart: flags.first { $0.hasPrefix("idpart=") }.map { String($0.dropFirst(7)) },
            group: f[10].isEmpty ? nil : f[10], help: f.count > 11 ? f[11] : "")
        p.isSecret = flags.contains("secret")
        func number(_ key: String) -> Int? {
            flags.first { $0.hasPrefix(key) }.flatMap { Int($0.dropFirst(key.count)) }
        }
        func text(_ key: String) -> String? {
            flags.first { $0.hasPrefix(key) }.map { String($0.dropFirst(key.count)) }
        }
        if let position = number("aaz="), let option = text("fmtopt=") {
            p.aaz = AAZField(
                position: position, required: flags.contains("aazreq"), option: option,
                format: text("afmt=").flatMap(AAZField.Format.init(rawValue:)), min: number("fmin="),
                max: number("fmax="), multiple: number("fmul="), template: text("ftpl="),
                each: flags.contains("feach"))
        }
        p.requiredWithoutIds = number("idsreq=")
        p.isLocationName = flags.contains("locname")
        p.aazShape = f.count > 12 && !f[12].isEmpty ? f[12] : nil
        p.completion = flags.first { $0.hasPrefix("complete=") }.flatMap {
            CompletionKind(rawValue: String($0.dropFirst(9)))
        }
        return p
    }

    static func unescape(_ s: Substring) -> String {
        guard s.utf8.contains(UInt8(ascii: "\\")) else { return String(s) }
        var out = ""
        var escaping = false
        for c in s {
            if escaping {
                switch c {
                case "t": out.append("\t")
                case "n": out.append("\n")
                default: out.append(c)
                }
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                out.append(c)
            }
        }
        return out
    }
}
