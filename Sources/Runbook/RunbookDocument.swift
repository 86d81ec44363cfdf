import Foundation

/// A runbook as docs/runbooks.md defines it: the H1 is the title, each H2 a step, and the fenced
/// blocks tagged `keydrill`, `azurecli` or `azurecli-interactive` inside a step are its commands, run
/// line by line; blocks tagged `bash`, `sh` or `console` run whole in real bash with the az shim.
/// Prose and other blocks are documentation. A Microsoft Learn page is a runbook as it is.
public struct RunbookDocument: Sendable, Equatable {
    /// How a command's text is read.
    public enum Kind: Sendable, Equatable {
        /// keydrill's line language (`keydrill` blocks).
        case keydrill
        /// az as Learn pages write it (`azurecli` blocks): `<placeholder>` words bind to variables,
        /// and a line using the shell's own syntax (pipes, `&&`, redirections) runs in bash.
        case azurecli
        /// A whole `bash`, `sh` or `console` block, run by bash with the az shim on PATH.
        case shell
    }

    public struct Command: Sendable, Equatable {
        public let line: Int
        public var text: String
        public let kind: Kind
    }

    public struct Step: Sendable, Equatable {
        public let number: Int
        public let title: String
        /// The step's executable lines (or shell blocks), each with its line number in the file.
        public var commands: [Command]
        public var prose: String
    }

    public var title: String
    public var frontMatter: String?
    public var steps: [Step]
    /// The file's SHA-256 (hex), set when it is read from disk: what a report says was run.
    public var sha256 = ""

    public static let lineTags: [String: Kind] = [
        "keydrill": .keydrill, "azurecli": .azurecli, "azurecli-interactive": .azurecli,
    ]
    public static let shellTags: Set<String> = ["bash", "sh", "console"]
    public static var executableTags: Set<String> { Set(lineTags.keys).union(shellTags) }
}

public struct RunbookFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let message: String
    public var description: String { "line \(line): \(message)" }
}

public enum RunbookParser {
    public static func parse(_ text: String) throws -> RunbookDocument {
        // Split on the scalar: a Swift Character joins "\r\n" into one, so CRLF files would not split.
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            String(String.UnicodeScalarView(line.last == "\r" ? line.dropLast() : line[...]))
        }
        var doc = RunbookDocument(title: "", frontMatter: nil, steps: [])
        var i = 0
        if lines.first == "---" {
            guard let end = lines.dropFirst().firstIndex(of: "---") else {
                throw RunbookFormatError(line: 1, message: "the front matter opened by '---' is never closed")
            }
            doc.frontMatter = lines[1..<end].joined(separator: "\n")
            i = end + 1
        }
        var fence: (marker: String, tag: String, line: Int)?
        var shellBlock: (line: Int, text: [String])?
        // Inside an HTML comment (outside code blocks) nothing is rendered, so nothing runs: a
        // reviewer reading the page must see every command it executes.
        var comment: Int?
        while i < lines.count {
            let line = lines[i]
            let lineNumber = i + 1
            i += 1
            let trimmed = line.trimmingCharacters(in: [" "])
            if fence == nil, comment != nil || line.contains("<!--") {
                let wasOpen = comment != nil
                let isOpen = Self.commentState(after: line, open: wasOpen)
                comment = isOpen ? (comment ?? lineNumber) : nil
                if wasOpen || isOpen { continue }
            }
            if let open = fence {
                if trimmed.hasPrefix(open.marker), trimmed.allSatisfy({ $0 == open.marker.first }) {
                    fence = nil
                    if let block = shellBlock, !block.text.isEmpty, !doc.steps.isEmpty {
                        doc.steps[doc.steps.count - 1].commands.append(
                            .init(line: block.line, text: block.text.joined(separator: "\n"), kind: .shell))
                    }
                    shellBlock = nil
                } else if RunbookDocument.executableTags.contains(open.tag) {
                    guard !doc.steps.isEmpty else {
                        throw RunbookFormatError(
                            line: lineNumber, message: "a \(open.tag) block before the first step (## heading)")
                    }
                    if let kind = RunbookDocument.lineTags[open.tag] {
                        doc.steps[doc.steps.count - 1].commands.append(.init(line: lineNumber, text: line, kind: kind))
                    } else if open.tag == "console" {
                        // A console block shows a session: `$ ` lines are typed (with their `\`
                        // continuations), the rest is what the terminal printed.
                        let continuing = shellBlock?.text.last?.hasSuffix("\\") == true
                        if continuing {
                            shellBlock!.text.append(line)
                        } else if trimmed.hasPrefix("$ ") || trimmed == "$" {
                            if shellBlock == nil { shellBlock = (lineNumber, []) }
                            shellBlock!.text.append(String(trimmed.dropFirst(trimmed == "$" ? 1 : 2)))
                        }
                    } else {
                        if shellBlock == nil { shellBlock = (lineNumber, []) }
                        shellBlock!.text.append(line)
                    }
                }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                let marker = String(trimmed.prefix { $0 == trimmed.first })
                let tag =
                    trimmed.dropFirst(marker.count).trimmingCharacters(in: [" "]).split(separator: " ").first.map {
                        String($0).lowercased()
                    } ?? ""
                fence = (marker, tag, lineNumber)
                continue
            }
            if line.hasPrefix("# ") {
                guard doc.title.isEmpty else {
                    throw RunbookFormatError(line: lineNumber, message: "a second title (# heading); a runbook has one")
                }
                doc.title = line.dropFirst(2).trimmingCharacters(in: [" "])
            } else if line.hasPrefix("## ") {
                doc.steps.append(
                    .init(
                        number: doc.steps.count + 1, title: line.dropFirst(3).trimmingCharacters(in: [" "]),
                        commands: [], prose: ""))
            } else if !doc.steps.isEmpty {
                doc.steps[doc.steps.count - 1].prose +=
                    (doc.steps[doc.steps.count - 1].prose.isEmpty ? "" : "\n") + line
            }
        }
        if let open = fence {
            throw RunbookFormatError(line: open.line, message: "the code block opened here is never closed")
        }
        if let open = comment {
            throw RunbookFormatError(line: open, message: "the HTML comment opened here is never closed")
        }
        guard !doc.title.isEmpty else {
            throw RunbookFormatError(line: 1, message: "no title: a runbook starts with a '# Title' heading")
        }
        guard !doc.steps.isEmpty else {
            throw RunbookFormatError(line: 1, message: "no steps: each step is a '## Step' heading")
        }
        guard doc.steps.contains(where: { !$0.commands.isEmpty }) else {
            throw RunbookFormatError(
                line: 1,
                message:
                    "no step has a keydrill, azurecli, azurecli-interactive, bash, sh or console block, so nothing "
                    + "would run: this is not a runbook"
            )
        }
        return doc
    }

    /// Whether an HTML comment is still open at the end of `line`, given whether one was open at
    /// its start.
    static func commentState(after line: String, open: Bool) -> Bool {
        var open = open
        var rest = Substring(line)
        while true {
            if open {
                guard let end = rest.range(of: "-->") else { return true }
                rest = rest[end.upperBound...]
                open = false
            } else {
                guard let start = rest.range(of: "<!--") else { return false }
                rest = rest[start.upperBound...]
                open = true
            }
        }
    }
}
