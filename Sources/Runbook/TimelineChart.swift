import Cloud
import Foundation

/// The drill as a picture: one lane per resource it touched, coloured by state over virtual
/// time, with each fault and each fix that measures name drawn as a marked line across them.
/// Plain SVG 1.1, no script, no external font or stylesheet: it reads the same offline, in a
/// browser, in an editor's Markdown preview and in a filed PDF.
public enum TimelineChart {
    static let labelWidth = 260.0
    static let plotWidth = 760.0
    static let laneHeight = 24.0
    static let top = 56.0

    /// The colour of each state: usable green, lost red, a key out of service orange, gone grey.
    static func colour(_ state: String) -> String {
        switch state {
        case ConsumerState.ready, ConsumerState.active, KeyState.enabled, ObservedState.exists: return "#2e7d32"
        case ConsumerState.inaccessible: return "#c62828"
        case KeyState.disabled, KeyState.expired, KeyState.notYetValid: return "#ef6c00"
        case ObservedState.softDeleted, ConsumerState.dropped: return "#757575"
        case FlexibleServerState.stopped: return "#78909c"
        default: return "#f9a825"
        }
    }

    /// Each colour with a state that has it.
    static let legend: [(String, String)] = [
        ("usable (Ready, Active, Enabled)", colour(ConsumerState.ready)),
        ("Inaccessible", colour(ConsumerState.inaccessible)), ("key Disabled / Expired", colour(KeyState.disabled)),
        ("soft-deleted / dropped", colour(ObservedState.softDeleted)), ("other", colour("")),
    ]

    static let typeOrder = [
        ResourceType.singleServer, ResourceType.flexibleServer, ResourceType.namespace, ResourceType.key,
        ResourceType.vault, ResourceType.identity,
    ]

    static func typeLabel(_ type: String) -> String {
        switch type {
        case ResourceType.singleServer: return "Single Server"
        case ResourceType.flexibleServer: return "Flexible Server"
        case ResourceType.namespace: return "Service Bus"
        case ResourceType.key: return "key"
        case ResourceType.vault: return "vault"
        case ResourceType.identity: return "identity"
        default: return type
        }
    }

    struct Lane {
        let resource: String
        let type: String
        /// From and to: indices into the activity log (to: nil while the state lasts to the end).
        var segments: [(from: Int, to: Int?, state: String)] = []
        var gone: Int?
    }

    static func lanes(_ events: [ActivityEvent]) -> [Lane] {
        var lanes = [String: Lane]()
        var order = [String]()
        for (i, e) in events.enumerated() where e.kind == .state {
            guard let state = e.state else { continue }
            var lane = lanes[e.resource] ?? Lane(resource: e.resource, type: e.resourceType ?? "")
            if lanes[e.resource] == nil { order.append(e.resource) }
            if let last = lane.segments.indices.last, lane.segments[last].to == nil { lane.segments[last].to = i }
            if state == ObservedState.deleted || state == ObservedState.purged {
                lane.gone = i
            } else {
                lane.segments.append((i, nil, state))
                lane.gone = nil
            }
            lanes[e.resource] = lane
        }
        return order.compactMap { lanes[$0] }.sorted {
            (typeOrder.firstIndex(of: $0.type) ?? typeOrder.count)
                < (typeOrder.firstIndex(of: $1.type) ?? typeOrder.count)
        }
    }

    /// Where each drawn event sits: in order, one step apart, and further apart the more virtual
    /// time passed between them (logarithmically), so a burst of changes at one instant stays
    /// readable beside an idle day, and a drill that takes no virtual time still shows its order.
    struct Scale {
        var positions: [Int: Double] = [:]
        var endPosition = 1.0

        init(_ events: [ActivityEvent], drawn: Set<Int>, end: Date) {
            var p = 0.0
            var last: Date?
            for i in Scale.order(drawn, events) {
                if let l = last { p += Self.gap(l, events[i].time) }
                positions[i] = p
                last = events[i].time
            }
            endPosition = p + (last.map { Self.gap($0, end) } ?? 1)
        }

        /// In time order (a state dated back when it was seen goes where it happened), then log order.
        static func order(_ drawn: Set<Int>, _ events: [ActivityEvent]) -> [Int] {
            drawn.sorted { (events[$0].time, $0) < (events[$1].time, $1) }
        }

        static func gap(_ a: Date, _ b: Date) -> Double {
            let dt = max(b.timeIntervalSince(a), 0)
            return dt == 0 ? 0.6 : 1 + 1.5 * log1p(dt / 60)
        }

        func x(_ index: Int?) -> Double {
            labelWidth + plotWidth * (index.flatMap { positions[$0] } ?? endPosition) / max(endPosition, 1e-9)
        }
    }

    public static func svg(_ result: RunbookResult) -> String? {
        let events = result.activity
        let start = result.virtualStart ?? events.first?.time ?? Date()
        let end = max(result.virtualEnd ?? start, events.last?.time ?? start)
        let lanes = lanes(events)
        guard !lanes.isEmpty else { return nil }
        let marks = marks(result.measures, events)
        var drawn = Set(marks.map(\.index))
        for l in lanes {
            for seg in l.segments { drawn.insert(seg.from) }
            if let g = l.gone { drawn.insert(g) }
        }
        let scale = Scale(events, drawn: drawn, end: end)
        func x(_ i: Int?) -> Double { scale.x(i) }
        let height = top + Double(lanes.count) * laneHeight + 40 + Double(marks.count) * 14 + 26
        let width = labelWidth + plotWidth + 40
        var s = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
            viewBox="0 0 \(Int(width)) \(Int(height))" font-family="DejaVu Sans, Arial, sans-serif" font-size="11" \
            role="img" aria-label="Timeline of \(xml(result.title))">
            <rect width="100%" height="100%" fill="#ffffff"/>
            <text x="8" y="18" font-size="13" font-weight="bold">\(xml(result.title)): state over virtual time</text>

            """
        // The axis: each instant something happened, as an offset from the start, where there is room.
        var lastLabel = -1000.0
        var lastTime: Date?
        for i in Scale.order(drawn, events) + [-1] {
            let t = i < 0 ? end : events[i].time
            let px = i < 0 ? x(nil) : x(i)
            guard t != lastTime, px - lastLabel >= 70 || i < 0 else { continue }
            if i < 0, px - lastLabel < 70 { break }
            lastTime = t
            lastLabel = px
            let label = t == start ? AzDate.plain(t) : "+" + AzDuration.describe(t.timeIntervalSince(start))
            let anchor = px == labelWidth ? "start" : i < 0 ? "end" : "middle"
            s += "<line x1=\"\(f(px))\" y1=\"\(f(top - 10))\" x2=\"\(f(px))\" "
            s += "y2=\"\(f(top + Double(lanes.count) * laneHeight))\" stroke=\"#e0e0e0\"/>\n"
            s +=
                "<text x=\"\(f(px))\" y=\"\(f(top - 14))\" text-anchor=\"\(anchor)\" fill=\"#555\">"
                + "\(xml(label))</text>\n"
        }
        for (i, lane) in lanes.enumerated() {
            let y = top + Double(i) * laneHeight
            let name = ActivityEvent.shortName(lane.resource)
            let kind = KeyIdentifier.parse(lane.resource)?.version != nil ? "pinned key version" : typeLabel(lane.type)
            s += "<text x=\"8\" y=\"\(f(y + 15))\">\(xml(name)) <tspan fill=\"#777\">(\(kind))</tspan>"
            s += "<title>\(xml(lane.resource))</title></text>\n"
            for seg in lane.segments {
                let x0 = x(seg.from)
                let x1 = max(x(seg.to ?? lane.gone), x0 + 2)
                s += "<rect x=\"\(f(x0))\" y=\"\(f(y + 4))\" width=\"\(f(x1 - x0))\" height=\"\(f(laneHeight - 8))\" "
                s += "fill=\"\(colour(seg.state))\"><title>\(xml(name)): \(xml(seg.state)) from "
                s += "\(AzDate.plain(events[seg.from].time))</title></rect>\n"
                if x1 - x0 > Double(seg.state.count) * 6.5 + 6 {
                    s += "<text x=\"\(f(x0 + 4))\" y=\"\(f(y + 16))\" fill=\"#fff\">\(xml(seg.state))</text>\n"
                }
            }
            if let gone = lane.gone {
                s += "<text x=\"\(f(x(gone) + 2))\" y=\"\(f(y + 16))\" fill=\"#555\">✕ deleted</text>\n"
            }
        }
        let bottom = top + Double(lanes.count) * laneHeight
        for (i, m) in marks.enumerated() {
            let colour = m.fault ? "#c62828" : "#1565c0"
            let mx = x(m.index)
            s +=
                "<line x1=\"\(f(mx))\" y1=\"\(f(top - 6))\" x2=\"\(f(mx))\" y2=\"\(f(bottom + 6))\" "
                + "stroke=\"\(colour)\" "
            s += "stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\n"
            s += "<text x=\"\(f(mx))\" y=\"\(f(bottom + 18))\" text-anchor=\"middle\" fill=\"\(colour)\" "
            s += "font-weight=\"bold\">\(i + 1)</text>\n"
            let ly = bottom + 36 + Double(i) * 14
            s += "<text x=\"8\" y=\"\(f(ly))\" fill=\"\(colour)\">\(i + 1). \(m.fault ? "fault" : "fix") at "
            s += "\(AzDate.plain(m.at)): \(xml(m.label))</text>\n"
        }
        var lx = 8.0
        let ly = height - 10
        for (label, colour) in legend {
            s += "<rect x=\"\(f(lx))\" y=\"\(f(ly - 9))\" width=\"10\" height=\"10\" fill=\"\(colour)\"/>"
            s += "<text x=\"\(f(lx + 14))\" y=\"\(f(ly))\">\(xml(label))</text>\n"
            lx += 28 + Double(label.count) * 6
        }
        return s + "</svg>"
    }

    struct Mark {
        let at: Date
        let index: Int
        let fault: Bool
        let label: String
    }

    /// Each distinct fault and fix the measures name, in time order, at the event it names.
    static func marks(_ measures: [ConsumerMeasure], _ events: [ActivityEvent]) -> [Mark] {
        func index(_ at: Date, _ label: String) -> Int? {
            events.indices.first { events[$0].time == at && label.hasSuffix(DrillMeasures.describe(events[$0])) }
                ?? events.indices.last { events[$0].time <= at }
        }
        var seen = Set<String>()
        var out = [Mark]()
        for m in measures {
            if let at = m.faultAt, let what = m.fault, seen.insert("f\(at)\(what)").inserted, let i = index(at, what) {
                out.append(Mark(at: at, index: i, fault: true, label: what))
            }
            if let at = m.fixAt, let what = m.fix, seen.insert("x\(at)\(what)").inserted, let i = index(at, what) {
                out.append(Mark(at: at, index: i, fault: false, label: what))
            }
        }
        return out.sorted { $0.index < $1.index }
    }

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func xml(_ s: String) -> String { ReportRenderer.escape(s) }
}
