import Foundation

/// A report as a list of blocks, written once and rendered twice: as Markdown (`--report`) and as
/// a self-contained HTML page (`--html`), so the two never say different things.
public enum ReportBlock: Sendable {
    case heading(Int, String)
    /// Inline `code` spans and **bold** are written the Markdown way; HTML renders them.
    case paragraph(String)
    /// Quoted from the runbook as it is.
    case prose(String)
    case list([String])
    case table(header: [String], rows: [[String]])
    case code(String, language: String = "")
    /// Expected against got, `-` and `+` lines.
    case diff([String])
    /// An inline SVG picture.
    case svg(String)
}

public enum ReportRenderer {
    public static func markdown(_ blocks: [ReportBlock]) -> String {
        var out = [String]()
        for b in blocks {
            switch b {
            case .heading(let level, let text): out.append(String(repeating: "#", count: level) + " " + text)
            case .paragraph(let text): out.append(text)
            case .prose(let text):
                out.append(
                    text.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }
                        .joined(separator: "\n"))
            case .list(let items): out.append(items.map { "- " + $0 }.joined(separator: "\n"))
            case .table(let header, let rows):
                var t = "| " + header.map(cell).joined(separator: " | ") + " |\n|"
                t += header.map { _ in "---|" }.joined() + "\n"
                for r in rows { t += "| " + r.map(cell).joined(separator: " | ") + " |\n" }
                out.append(String(t.dropLast()))
            case .code(let text, let language): out.append(fence(text, language))
            case .diff(let lines): out.append(fence(lines.joined(separator: "\n"), "diff"))
            case .svg(let svg): out.append(svg)
            }
        }
        return out.joined(separator: "\n\n") + "\n"
    }

    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// A fence longer than any backtick run inside, so printed output can never close it.
    static func fence(_ text: String, _ language: String) -> String {
        var longest = 0
        var run = 0
        for c in text {
            run = c == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let f = String(repeating: "`", count: max(3, longest + 1))
        return f + language + "\n" + text + "\n" + f
    }

    public static func html(_ blocks: [ReportBlock], title: String) -> String {
        var body = ""
        for b in blocks {
            switch b {
            case .heading(let level, let text): body += "<h\(level)>\(inline(text))</h\(level)>\n"
            case .paragraph(let text): body += "<p>\(inline(text))</p>\n"
            case .prose(let text):
                body +=
                    "<blockquote>\(escape(text).replacingOccurrences(of: "\n", with: "<br>"))"
                    + "</blockquote>\n"
            case .list(let items): body += "<ul>" + items.map { "<li>\(inline($0))</li>" }.joined() + "</ul>\n"
            case .table(let header, let rows):
                body += "<table><thead><tr>" + header.map { "<th>\(inline($0))</th>" }.joined() + "</tr></thead><tbody>"
                for r in rows { body += "<tr>" + r.map { "<td>\(inline($0))</td>" }.joined() + "</tr>" }
                body += "</tbody></table>\n"
            case .code(let text, _): body += "<pre>\(escape(text))</pre>\n"
            case .diff(let lines):
                body += "<pre class=\"diff\">"
                for l in lines {
                    let c = l.hasPrefix("-") ? "del" : l.hasPrefix("+") ? "ins" : "ctx"
                    body += "<span class=\"\(c)\">\(escape(l))</span>\n"
                }
                body += "</pre>\n"
            case .svg(let svg): body += "<figure>\(svg)</figure>\n"
            }
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em;max-width:80em;color:#1b1b1b}
            table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;
            vertical-align:top}th{background:#f0f0f0}pre{background:#f6f8fa;padding:.6em;overflow-x:auto}
            blockquote{border-left:4px solid #ccc;margin:.5em 0;padding:.2em .8em;color:#444}
            code{background:#f0f0f0;padding:0 .2em}.diff .del{color:#b00020}.diff .ins{color:#0a7a0a}
            figure{margin:1em 0;overflow-x:auto}
            </style></head><body>
            \(body)</body></html>

            """
    }

    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Inline code that may itself hold backticks (a JMESPath literal): Markdown's double-backtick span.
    public static func code(_ s: String) -> String { s.contains("`") ? "`` \(s) ``" : "`\(s)`" }

    /// `code` (and `` code ``) and **bold** as HTML; everything else escaped.
    static func inline(_ s: String) -> String {
        var out = ""
        var code = false
        var bold = false
        var chars = Array(s)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if !code, c == "`", chars.first == "`", chars.dropFirst().first == " " {
                let rest = String(chars.dropFirst(2))
                if let end = rest.range(of: " ``") {
                    out += "<code>" + escape(String(rest[..<end.lowerBound])) + "</code>"
                    chars = Array(rest[end.upperBound...])[...]
                    continue
                }
            }
            if c == "`" {
                out += code ? "</code>" : "<code>"
                code.toggle()
            } else if !code, c == "*", chars.first == "*" {
                chars = chars.dropFirst()
                out += bold ? "</strong>" : "<strong>"
                bold.toggle()
            } else if !code, c == "\\", let next = chars.first, next == "|" {
                chars = chars.dropFirst()
                out += "|"
            } else {
                out += escape(String(c))
            }
        }
        if code { out += "</code>" }
        if bold { out += "</strong>" }
        return out
    }
}
