import Foundation

/// A runbook as DESIGN.md defines it: the H1 is the title, each H2 a step, and the fenced blocks
/// tagged `keydrill`, `azurecli` or `azurecli-interactive` inside a step are its commands, run
/// line by line. Prose and other blocks are documentation.
public struct RunbookDocument: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public let number: Int
        public let title: String
        /// The step's executable lines, each with its line number in the file.
        public var commands: [(line: Int, text: String)]
        public var prose: String

        public static func == (a: Step, b: Step) -> Bool {
            a.number == b.number && a.title == b.title && a.prose == b.prose
                && a.commands.map { "\($0.line):\($0.text)" } == b.commands.map { "\($0.line):\($0.text)" }
        }
    }

    public var title: String
    public var frontMatter: String?
    public var steps: [Step]

    public static let executableTags: Set<String> = ["keydrill", "azurecli", "azurecli-interactive"]
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
                } else if RunbookDocument.executableTags.contains(open.tag) {
                    guard !doc.steps.isEmpty else {
                        throw RunbookFormatError(
                            line: lineNumber, message: "a \(open.tag) block before the first step (## heading)")
                    }
                    doc.steps[doc.steps.count - 1].commands.append((lineNumber, line))
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
                    "no step has a keydrill, azurecli or azurecli-interactive block, so nothing would run: this is "
                        + "not a runbook"
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
