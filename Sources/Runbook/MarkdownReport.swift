import Cloud
import Foundation

/// A Markdown report fit to hand an auditor: each step with its commands, trimmed outputs and
/// verdicts, virtual and wall times, the audit trail of key operations, and a summary.
public enum MarkdownReport {
    static let maxOutputLines = 15

    public static func render(_ results: [RunbookResult]) -> String {
        var s = "# keydrill drill report\n\n| Runbook | Steps passed | Result | Wall time |\n|---|---|---|---|\n"
        for r in results {
            let passed = r.steps.filter { $0.status == .passed || $0.status == .restored }.count
            s +=
                "| \(cell(r.title)) | \(passed)/\(r.steps.count) | \(r.passed ? "PASSED" : "FAILED") | "
                + "\(String(format: "%.2f s", r.wallSeconds)) |\n"
        }
        for r in results {
            s += "\n## \(r.title)\n\nRunbook: `\(r.path)`. Result: **\(r.passed ? "PASSED" : "FAILED")**.\n\n"
            if !r.earlierAttempts.isEmpty {
                s += "This run was resumed; before it:\n\n" + r.earlierAttempts.map { "- \($0)\n" }.joined() + "\n"
            }
            s += "| # | Step | Verdict | Virtual start | Virtual time | Wall time |\n|---|---|---|---|---|---|\n"
            for step in r.steps {
                let vstart = step.virtualStart.map(AzDate.plain) ?? ""
                let vdur =
                    step.virtualEnd.flatMap { e in
                        step.virtualStart.map { AzDuration.describe(e.timeIntervalSince($0)) }
                    } ?? ""
                s +=
                    "| \(step.number) | \(cell(step.title)) | \(step.status.rawValue) | \(vstart) | \(vdur) | "
                    + "\(String(format: "%.3f s", step.wallSeconds)) |\n"
            }
            for step in r.steps where !step.commands.isEmpty {
                s += "\n### Step \(step.number): \(step.title) — \(step.status.rawValue)\n"
                for c in step.commands {
                    s += "\n```\n$ \(c.text)\n"
                    let output = (c.stdout + c.stderr).split(separator: "\n", omittingEmptySubsequences: false)
                        .dropLast(c.stdout.isEmpty && c.stderr.isEmpty ? 0 : 1)
                    for line in output.prefix(maxOutputLines) { s += line + "\n" }
                    if output.count > maxOutputLines { s += "… (\(output.count - maxOutputLines) more lines)\n" }
                    s +=
                        "```\n\(c.exitCode == 0 ? "✔" : "✘") exit \(c.exitCode) at \(AzDate.plain(c.virtualTime)) "
                        + "(virtual)\n"
                }
            }
            s += "\n### Audit trail of key operations\n\n"
            if r.audit.isEmpty {
                s += "No key operations.\n"
            } else {
                // A run of identical outcomes (a key check repeating while nothing changed) is one line.
                s +=
                    "| Time | Count | Vault | Key | Version | Operation | Caller | Principal | Result "
                    + "|\n|---|---|---|---|---|---|---|---|---|\n"
                for a in r.audit {
                    let time =
                        a.count == 1
                        ? AzDate.plain(a.firstTime) : "\(AzDate.plain(a.firstTime)) – \(AzDate.plain(a.lastTime))"
                    s +=
                        "| \(time) | \(a.count) | \(a.vault) | \(a.key ?? "") | "
                        + "\(a.version.map { String($0.prefix(8)) + "…" } ?? "") | \(a.operation) | "
                        + "\(cell(a.caller)) | \(a.principal) | \(a.result) |\n"
                }
            }
        }
        return s
    }

    static func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
}
