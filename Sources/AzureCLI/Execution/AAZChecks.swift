import Cloud
import Foundation
import JMESPath

/// What an AAZ command checks when it runs, before its first request (AAZObjectArgFormat): its
/// schema's fields in order, each a given value's format and then, when required, its presence.
/// A custom command that calls an AAZ command first has that command's format checks (the table
/// maps them). az prints these as `InvalidArgumentValue: OPTION: Invalid format: ...`, exit 1.
/// Without a world (a command keydrill does not emulate, refused next) the checks that would ask
/// the service end the run.
enum AAZChecks {
    static func run(_ invocation: Invocation, values: [String: JSON], world: World?) throws {
        let fields = invocation.spec.aazFields
        guard !fields.isEmpty else { return }
        func present(_ p: ParameterSpec) -> Bool {
            !(values[p.dest] ?? .null).isNull || (p.idPart != nil && !invocation.ids.isEmpty)
        }
        for p in fields {
            let field = p.aaz!
            let value = values[p.dest] ?? .null
            if let format = field.format {
                if value.isNull {
                    // A missing location is the resource group's, which asks the service.
                    if format == .location, let rg = fields.first(where: { $0.dest == "resource_group" }),
                        let name = values[rg.dest]?.stringValue
                    {
                        guard let world else { return }
                        try AzureCLI.requireSignedIn(world)
                        if (try? world.resourceGroup(name)) != nil { continue }
                    }
                } else {
                    // A list's format is each element's, named by its index.
                    let items =
                        field.each ? (value.arrayValue ?? []).enumerated().map { ("[\($0)]", $1) } : [("", value)]
                    for (index, item) in items where !item.isNull {
                        let problem: String?
                        do {
                            problem = try check(item, format, field, values: values, world: world)
                        } catch is NeedsWorld {
                            return
                        } catch let p as AAZProblem {
                            problem = p.text
                        }
                        if let problem {
                            throw CLIError("InvalidArgumentValue: \(field.option)\(index): Invalid format: \(problem)")
                        }
                    }
                }
            }
            if field.required, !present(p) {
                throw CLIError("InvalidArgumentValue: Missing required field: \(field.option)")
            }
        }
    }

    /// A check that needs the service (a sign-in) where there is no world: the command is not
    /// emulated, and keydrill refuses it next.
    struct NeedsWorld: Error {}

    /// What is wrong with a value, in AAZ's words after "Invalid format: ", or nil.
    private static func check(
        _ value: JSON, _ format: AAZField.Format, _ field: AAZField, values: [String: JSON], world: World?
    ) throws
        -> String?
    {
        let text = value.stringValue ?? ""
        switch format {
        case .str:
            // Python counts code points; az's message for a short value ends with a space.
            let n = text.unicodeScalars.count
            if let min = field.min, n < min { return "'\(text)' length is less than \(min) " }
            if let max = field.max, n > max { return "'\(text)' length is greater than \(max)" }
        case .int:
            guard case .number(let d) = value, let n = Int(exactly: d) else { return nil }
            if let m = field.multiple, m != 0, n % m != 0 { return "'\(n)' is not multiple of \(m)" }
            if let min = field.min, n < min { return "'\(n)' is less than \(min)" }
            if let max = field.max, n > max { return "'\(n)' is greater than \(max)" }
        case .duration:
            if !isDuration(text) {
                return "'\(text)' should be of the form '##dT##h##m##s', '##h##m##s' or ISO8601 duration"
            }
        case .pagetoken:
            // The token's own checks have no "Invalid format: " in az's messages.
            if let problem = pageTokenProblem(text) {
                throw CLIError("InvalidArgumentValue: \(field.option): \(problem)")
            }
        case .location:
            // A display name ("East US") is looked up among the subscription's locations.
            guard let world else { throw NeedsWorld() }
            if text.contains(" ") { try AzureCLI.requireSignedIn(world) }
        case .resourceid:
            guard let template = field.template else { return nil }
            return try resourceIDProblem(text, template: template, values: values, world: world)
        }
        return nil
    }

    /// AAZResourceIdArgFormat's template: a bare name becomes an id of the template's shape, its
    /// subscription the job's (an id's, `--subscription`) or the signed-in one's; an id must
    /// have the template's segments.
    private static func resourceIDProblem(
        _ text: String, template: String, values: [String: JSON], world: World?
    ) throws -> String? {
        let segments = template.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var data = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if data.count != segments.count, data.count == 1, segments.filter({ $0 == "{}" }).count == 1 {
            data = try segments.map { segment in
                guard segment.hasPrefix("{") else { return segment }
                if segment == "{}" { return text }
                let name = String(segment.dropFirst().dropLast())
                if name == "subscription" {
                    if let given = values["subscription"]?.stringValue, !given.isEmpty { return given }
                    guard let world else { throw NeedsWorld() }
                    return try AzureCLI.subscriptionID(given: nil, world: world)
                }
                guard let v = values[name], !v.isNull else {
                    throw AAZProblem("Failed to construct resource id: argument '\(name)' is not defined")
                }
                guard let s = v.stringValue else {
                    throw AAZProblem("Failed to construct resource id: argument '\(name)' is not string")
                }
                return s
            }
        }
        let shaped =
            data.count == segments.count
            && zip(data, segments).allSatisfy { d, s in s.hasPrefix("{") || d.lowercased() == s.lowercased() }
        return shaped ? nil : "resource id should be in '\(template)' format."
    }

    /// A format problem found while an id was being built.
    struct AAZProblem: Error {
        let text: String
        init(_ text: String) { self.text = text }
    }

    /// AAZDurationFormat: isodate reads the text upper-cased as an ISO 8601 duration, or after
    /// `P0M` (`1d`, and an empty text), or after `PT` (`1h30m`).
    static func isDuration(_ text: String) -> Bool {
        let upper = text.uppercased()
        return [upper, "P0M" + upper, "PT" + upper].contains { candidate in
            candidate.wholeMatch(of: isoPeriod) != nil
                // isodate's other form: P and a date and time (`P0001-02-03T04:05:06`).
                || candidate.hasPrefix("P") && candidate.dropFirst().wholeMatch(of: isoDateTime) != nil
        }
    }

    // isodate's ISO8601_PERIOD_REGEX: a P that a number or T follows, then each part optional.
    nonisolated(unsafe) private static let isoPeriod: Regex<AnyRegexOutput> = {
        func part(_ unit: String) -> String { "([0-9]+([,.][0-9]+)?\(unit))?" }
        let date = part("Y") + part("M") + part("W") + part("D")
        return try! Regex(#"[+-]?P(?=\w)"# + date + "(T" + part("H") + part("M") + part("S") + ")?")
    }()
    nonisolated(unsafe) private static let isoDateTime =
        /[0-9]{4}-?[0-9]{2}-?[0-9]{2}T[0-9]{2}(:?[0-9]{2}(:?[0-9]{2}([.,][0-9]+)?)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?/

    /// AAZPaginationTokenArgFormat: base64 (as Python decodes it) of UTF-8 JSON with two keys.
    static func pageTokenProblem(_ token: String) -> String? {
        guard let bytes = try? PythonBase64.decode(token) else { return "Invalid Base64 string." }
        guard let text = String(validating: bytes, as: UTF8.self) else { return "Error decoding UTF-8." }
        guard let object = try? JSON.parse(text) else { return "Invalid JSON object." }
        guard let keys = object.objectValue else { return "Decoded object is not a dictionary." }
        if keys["next_link"] == nil || keys["offset"] == nil { return "`next_link` or `offset` doesn't exist." }
        return nil
    }
}
