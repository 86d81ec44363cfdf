import Cloud
import Foundation
import Shell

/// The drill report a lead and an auditor file as evidence: when and by what it ran, exactly
/// which runbook (its hash) with which values, each step as written with its commands, the
/// outputs the assertions read and a readable diff on failure, the timeline, how fast each lost
/// key was noticed and recovered and whether the data survived, and who changed what.
public enum MarkdownReport {
    static let maxOutputLines = 15

    public static func render(_ results: [RunbookResult]) -> String {
        ReportRenderer.markdown(blocks(results))
    }

    public static func html(_ results: [RunbookResult]) -> String {
        ReportRenderer.html(blocks(results), title: "keydrill drill report")
    }

    static func wall(_ d: Date) -> String { AzDate.plain(d) }

    public static func blocks(_ results: [RunbookResult]) -> [ReportBlock] {
        var b: [ReportBlock] = [.heading(1, "keydrill drill report")]
        if let first = results.map(\.started).min() {
            b.append(
                .paragraph(
                    "Run on \(wall(first)) (wall clock, UTC) by keydrill \(results.first?.keydrillVersion ?? ""); "
                        + "\(results.filter(\.passed).count) of \(results.count) runbooks passed."))
        }
        b.append(
            .table(
                header: ["Runbook", "Steps passed", "Result", "Virtual time", "Wall time"],
                rows: results.map { r in
                    return [
                        r.title, "\(r.stepsPassed)/\(r.steps.count)", r.passed ? "PASSED" : "FAILED",
                        AzDuration.describe(r.virtualSeconds), String(format: "%.2f s", r.wallSeconds),
                    ]
                }))
        for r in results { b += runbook(r) }
        return b
    }

    static func runbook(_ r: RunbookResult) -> [ReportBlock] {
        var b: [ReportBlock] = [.heading(2, r.title)]
        var facts = [
            ["Runbook", "`\(r.path)`"], ["sha256", "`\(r.sha256)`"],
            ["Run started", wall(r.started)], ["keydrill", r.keydrillVersion],
        ]
        if let s = r.virtualStart, let e = r.virtualEnd {
            facts.append([
                "Virtual time",
                "\(AzDate.plain(s)) → \(AzDate.plain(e)) (\(AzDuration.describe(e.timeIntervalSince(s))))",
            ])
        }
        facts.append(["Result", "**\(r.passed ? "PASSED" : "FAILED")**"])
        b.append(.table(header: ["Run", ""], rows: facts))
        if !r.earlierAttempts.isEmpty {
            b.append(.paragraph("This run was resumed; before it:"))
            b.append(.list(r.earlierAttempts))
        }
        if !r.variables.isEmpty {
            b.append(.heading(3, "Variables"))
            let declared = Set(r.declaredVariables)
            b.append(
                .table(
                    header: ["Name", "Value", "From"],
                    rows: r.variables.keys.sorted {
                        (declared.contains($0) ? 0 : 1, $0) < (declared.contains($1) ? 0 : 1, $1)
                    }
                    .map {
                        [
                            ReportRenderer.code("$" + $0), ReportRenderer.code(r.variables[$0]!),
                            declared.contains($0) ? "runbook (or --var)" : "set by a step",
                        ]
                    }))
        }
        b.append(.heading(3, "Steps"))
        b.append(
            .table(
                header: ["#", "Step", "Verdict", "Virtual start", "Virtual time", "Wall time"],
                rows: r.steps.map { step in
                    let vdur = step.virtualSeconds.map(AzDuration.describe) ?? ""
                    return [
                        "\(step.number)", step.title, step.status.rawValue, step.virtualStart.map(AzDate.plain) ?? "",
                        vdur, String(format: "%.3f s", step.wallSeconds),
                    ]
                }))
        if let svg = TimelineChart.svg(r) {
            b.append(.heading(3, "Timeline"))
            b.append(.svg(svg))
        }
        b += measures(r)
        for step in r.steps { b += self.step(step) }
        b += controlPlane(r)
        b += audit(r)
        return b
    }

    static func measures(_ r: RunbookResult) -> [ReportBlock] {
        guard !r.measures.isEmpty else {
            return [.heading(3, "Time to detect and recover"), .paragraph("No consumer lost access to its key.")]
        }
        func d(_ s: Double?) -> String { s.map(AzDuration.describe) ?? "—" }
        return [
            .heading(3, "Time to detect and recover"),
            .paragraph(
                "Virtual time. Detect: from the fault to the consumer's state change; recover: from the fix "
                    + "to usable again; outage: from the loss to usable again."),
            .table(
                header: [
                    "Consumer", "Fault", "Lost access", "Time to detect", "Fix", "Usable again", "Time to recover",
                    "Outage", "Data after recovery",
                ],
                rows: r.measures.map { m in
                    [
                        "`\(m.name)`", m.fault ?? "—", AzDate.plain(m.lostAt), d(m.timeToDetectSeconds),
                        m.fix ?? (m.recoveredAt == nil ? "—" : "none (recovered by itself)"),
                        m.recoveredAt.map(AzDate.plain) ?? "**not recovered**", d(m.timeToRecoverSeconds),
                        d(m.outageSeconds), m.dataVerified ?? "not checked",
                    ]
                }),
        ]
    }

    static func step(_ step: StepResult) -> [ReportBlock] {
        guard !step.commands.isEmpty || !step.prose.isEmpty else { return [] }
        var b: [ReportBlock] = [.heading(3, "Step \(step.number): \(step.title) — \(step.status.rawValue)")]
        let prose = step.prose.trimmingCharacters(in: .whitespacesAndNewlines)
        if !prose.isEmpty { b.append(.prose(prose)) }
        for (i, c) in step.commands.enumerated() {
            var text = "$ \(c.text)\n"
            if let s = c.substituted { text = "$ \(s)\n" }
            // The fields the assertions right after this command read: the lines worth keeping.
            let asserted = step.commands[(i + 1)...].prefix { $0.assertion != nil }.compactMap(\.assertion)
            let fields = AssertionTrace.fields(of: asserted.map(\.expression))
            if c.assertion == nil {
                text += CommandDisplay.trimmed(c.stdout + c.stderr, keeping: fields, maxLines: maxOutputLines)
                    .joined(separator: "\n")
            } else if c.exitCode != 0 {
                text += c.stderr.trimmingCharacters(in: .newlines)
            }
            b.append(.code(text.trimmingCharacters(in: .newlines)))
            var note =
                "\(c.exitCode == 0 ? "✔" : "✘") exit \(c.exitCode) at \(AzDate.plain(c.virtualTime)) (virtual), "
                + "line \(c.line)"
            let code = ReportRenderer.code
            if c.substituted != nil { note += "; as written: \(code(c.text))" }
            if let a = c.assertion {
                let reads = a.reads.keys.sorted().map { "\(code($0)) = \(code(a.reads[$0]!))" }.joined(separator: ", ")
                note += "; assertion \(code(a.expression)) gave \(code(a.value))" + (reads.isEmpty ? "" : " (\(reads))")
            }
            b.append(.paragraph(note))
            if let a = c.assertion, !a.passed {
                b.append(
                    .diff(
                        ["- expected: \(a.expression)  →  true", "+ got:      \(a.value)"]
                            + a.reads.keys.sorted().map { "+   \($0) = \(a.reads[$0]!)" }))
            } else if c.exitCode != 0, let failure = step.failure {
                let got = failure.split(separator: "\n").dropFirst().map { "+ " + $0 }
                b.append(.diff(["- expected: exit 0 (or the failure the line expects)"] + got))
            }
        }
        return b
    }

    static func controlPlane(_ r: RunbookResult) -> [ReportBlock] {
        let changes = r.activity.filter { $0.kind == .change }
        var b: [ReportBlock] = [.heading(3, "Control-plane changes")]
        guard !changes.isEmpty else { return b + [.paragraph("No changes.")] }
        b.append(
            .table(
                header: ["Time", "Who", "Operation", "Resource", "Options"],
                rows: changes.map { e in
                    [
                        AzDate.plain(e.time), e.caller ?? "", e.operation ?? "",
                        "`\(ActivityEvent.shortName(e.resource))`",
                        e.detail.map { $0.isEmpty ? "" : ReportRenderer.code($0) } ?? "",
                    ]
                }))
        return b
    }

    static func audit(_ r: RunbookResult) -> [ReportBlock] {
        var b: [ReportBlock] = [.heading(3, "Audit trail of key operations")]
        guard !r.audit.isEmpty else { return b + [.paragraph("No key operations.")] }
        // A run of identical outcomes (a key check repeating while nothing changed) is one line.
        b.append(
            .table(
                header: ["Time", "Count", "Vault", "Key", "Version", "Operation", "Caller", "Principal", "Result"],
                rows: r.audit.map { a in
                    [
                        a.count == 1
                            ? AzDate.plain(a.firstTime)
                            : "\(AzDate.plain(a.firstTime)) – "
                                + AzDate.plain(a.lastTime),
                        "\(a.count)", a.vault, a.key ?? "", a.version.map { String($0.prefix(8)) + "…" } ?? "",
                        a.operation, a.caller, a.principal, a.result,
                    ]
                }))
        return b
    }
}
