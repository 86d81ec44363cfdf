import Foundation
import Cloud
import JMESPath
import OrderedCollections

/// The values collected while parsing one command line, with az's conversion rule for each kind
/// of argument.
struct ArgumentState {
    let spec: CommandSpec
    let environment: @Sendable (String) -> String?
    var arguments = [String: JSON]()
    var given = [String: String]()
    var query: JMESPathExpression?

    let signedIn: Bool

    init(spec: CommandSpec, environment: @escaping @Sendable (String) -> String?, signedIn: Bool = true) {
        self.spec = spec
        self.environment = environment
        self.signedIn = signedIn
    }

    /// az's `location_name_type`: a name with a space is looked for among the subscription's
    /// locations' display names (`East US` is eastus); one it does not find stays as it is.
    private func locationName(_ value: String) throws -> String {
        guard value.contains(" ") else { return value }
        guard signedIn else { throw CLIError("Please run 'az login' to setup account.") }
        return Locations.all.first { $0.displayName.lowercased() == value.lowercased() }?.name ?? value
    }

    static let aazBooleans = ["true", "t", "yes", "y", "1", "false", "f", "no", "n", "0"]

    private func invalidChoice(_ value: String, _ param: ParameterSpec, _ allowed: [String]) -> UsageError {
        let near = Suggest.closest(value, among: allowed)
        return UsageError(
            "az \(spec.name): '\(value)' is not a valid value for '\(param.primaryOption)'. Allowed values: "
                + "\(allowed.joined(separator: ", ")).",
            suggestion: near.map { "Did you mean '\($0)' ?" }, examples: spec.usageExamples)
    }

    private func choice(_ value: String, _ param: ParameterSpec) throws -> String {
        guard !param.choices.isEmpty else { return value }
        if let exact = param.choices.first(where: { $0 == value }) { return exact }
        if !param.choicesCaseSensitive, let m = param.choices.first(where: { $0.lowercased() == value.lowercased() }) {
            return m
        }
        throw invalidChoice(value, param, param.choices)
    }

    mutating func take(_ param: ParameterSpec, typed: String, values: [String]) throws {
        let dest = param.dest
        given[dest] = typed
        let value: JSON
        switch param.kind {
        case .flag:
            value = .bool(true)
        case .bool:
            guard let v = values.first else { value = .bool(true); break }
            guard ["true", "false"].contains(v.lowercased()) else { throw invalidChoice(v, param, param.choices) }
            value = .bool(v.lowercased() == "true")
        case .aazbool:
            guard let v = values.first else { value = .bool(true); break }
            guard let k = Self.aazBooleans.firstIndex(of: v.lowercased()) else {
                throw invalidChoice(v, param, Self.aazBooleans)
            }
            value = .bool(k < 5)
        case .int:
            guard let v = values.first, let n = Int(v.trimmingCharacters(in: .whitespaces)) else {
                throw UsageError(
                    "argument \(param.displayName): invalid int value: '\(values.first ?? "")'",
                    examples: spec.usageExamples)
            }
            value = .int(n)
        case .aazint:
            let v = values.first ?? ""
            // AAZ's action converts the value as argparse takes it, so this comes before any later
            // option's problem; az names the option as it was typed (an abbreviation expanded).
            guard let n = Int(v.trimmingCharacters(in: .whitespaces)) else {
                throw CLIError("Failed to parse '\(typed)' argument: invalid literal for int() with base 10: '\(v)'")
            }
            value = .int(n)
        case .datetime:
            let v = values.first ?? ""
            guard let date = DatetimeType.parse(v) else {
                throw UsageError(
                    "argument \(param.displayName): invalid datetime_type value: '\(v)'", examples: spec.usageExamples)
            }
            value = .string(AzDate.sdk(date))
        case .duration:
            // Every duration is an AAZ field, checked with its schema's other fields as it runs.
            value = .string(values.first ?? "")
        case .tags:
            var o = OrderedDictionary<String, JSON>()
            for item in values where !item.isEmpty {
                if let eq = item.firstIndex(of: "=") {
                    o[String(item[..<eq])] = .string(String(item[item.index(after: eq)...]))
                } else {
                    o[item] = .string("")
                }
            }
            value = .object(o)
        case .dict, .aazobject, .aazlist:
            // tools/gen-command-table.py writes a shape for every such argument.
            let shape = try AAZShape.decode(param.aazShape!)
            // Repeats of the option add to what the earlier ones gave, as AAZ's operations do.
            value = try AAZCompoundValue.take(shape, values: values, option: typed, over: arguments[dest])
        case .value, .file, .fileordict:
            if param.options.contains("--query") {
                let q = values.first ?? ""
                do {
                    query = try JMESPathExpression(q)
                } catch {
                    throw UsageError(
                        "argument --query: invalid jmespath_type value: '\(q)'",
                        suggestion:
                            "To learn more about --query, please visit: "
                            + "'https://learn.microsoft.com/cli/azure/query-azure-cli'",
                        footer: [])
                }
                value = .string(q)
            } else if values.isEmpty, let text = param.aazShape,
                case .value(let blank)? = try AAZShape.decode(text).blank
            {
                // An AAZ string given its option alone takes the schema's blank value.
                value = blank.json
            } else if param.isList {
                value = .array(try values.map { .string(try choice($0, param)) })
            } else if param.kind == .fileordict {
                let text = values.first ?? ""
                try Self.checkFileOrDict(text)
                value = .string(text)
            } else if param.isLocationName {
                value = .string(try locationName(values.first ?? ""))
            } else {
                value = .string(try choice(values.first ?? "", param))
            }
        }
        if param.appends {
            var list = arguments[dest]?.arrayValue ?? []
            list.append(value)
            arguments[dest] = .array(list)
        } else {
            arguments[dest] = value
        }
    }

    /// az fills `-g` and `-l` from AZURE_DEFAULTS_GROUP / AZURE_DEFAULTS_LOCATION, which also
    /// makes them optional to argparse.
    private func configuredDefault(_ param: ParameterSpec) -> String? {
        if param.dest == "resource_group_name" || param.dest == "resource_group" {
            return environment("AZURE_DEFAULTS_GROUP").flatMap { $0.isEmpty ? nil : $0 }
        }
        if param.dest == "location" { return environment("AZURE_DEFAULTS_LOCATION").flatMap { $0.isEmpty ? nil : $0 } }
        return nil
    }

    func checkRequired(_ params: [ParameterSpec]) throws {
        // An AAZ field that an id can give (`-g`, `-n` of a show) is not argparse's to require:
        // the table does not mark it required, and AAZ checks it when the command runs.
        let missing = params.filter { $0.required && given[$0.dest] == nil && configuredDefault($0) == nil }
        if !missing.isEmpty {
            throw UsageError(
                "the following arguments are required: \(missing.map(\.displayName).joined(separator: ", "))",
                examples: spec.usageExamples)
        }
    }

    func finish(_ params: [ParameterSpec]) throws -> Invocation {
        var arguments = self.arguments
        for p in params where arguments[p.dest] == nil {
            if let d = configuredDefault(p) {
                arguments[p.dest] = .string(d)
            } else if let d = p.defaultJSON, let v = try? JSON.parse(d), !v.isNull {
                arguments[p.dest] = v
            }
        }
        let outputText = given["output"] != nil ? arguments["output"]?.stringValue : environment("AZURE_CORE_OUTPUT")
        var output = OutputFormat.json
        if let t = outputText {
            guard let f = OutputFormat(rawValue: t.lowercased()) else {
                throw UsageError(
                    "az \(spec.name): '\(t)' is not a valid value for '--output'. Allowed values: json, jsonc, yaml, "
                        + "yamlc, table, tsv, none."
                )
            }
            output = f
        }
        var warnings = [String]()
        var ids = [[String: String]]()
        if let idList = arguments["ids"]?.arrayValue, given["ids"] != nil, spec.splitsIds {
            for id in Self.expandIds(idList.compactMap(\.stringValue)) {
                guard let parts = ResourceID.parts(id) else { throw CLIError("invalid resource ID: \(id)") }
                // az's parse_ids_arguments: each id argument, the required first, then the others
                // as az registered them, must find its part in the id. An AAZ command's id
                // arguments are all optional to argparse.
                let required = spec.isAAZ ? [] : spec.requiredWithoutIds
                let optional = params.enumerated()
                    .filter { $0.element.idPart != nil && (spec.isAAZ || $0.element.requiredWithoutIds == nil) }
                    .sorted {
                        (spec.registration[$0.element.dest] ?? Int.max, $0.offset)
                            < (spec.registration[$1.element.dest] ?? Int.max, $1.offset)
                    }.map(\.element)
                if let p = (required + optional).first(where: { parts[$0.idPart!] == nil }) {
                    throw CLIError(
                        "Argument \(p.primaryOption) cannot be derived from ID \(id). Please provide a complete "
                            + "resource ID containing all information of 'Resource Id' arguments. ")
                }
                ids.append(parts)
            }
            for p in params where p.idPart != nil && given[p.dest] != nil {
                warnings.append("option '\(p.primaryOption)' will be ignored due to use of '--ids'.")
            }
        }
        return Invocation(
            spec: spec, arguments: arguments, given: given, output: output, query: query,
            onlyShowErrors: arguments["only_show_errors"]?.boolValue ?? false,
            verbose: arguments["verbose"]?.boolValue ?? false, debug: arguments["debug"]?.boolValue ?? false,
            ids: ids, warnings: warnings)
    }

    /// az's `validate_file_or_dict`, which argparse runs as it takes the option: a file's JSON,
    /// or JSON (or a Python literal) given inline. The handler reads the document again.
    static func checkFileOrDict(_ text: String) throws {
        let path = (text as NSString).expandingTildeInPath
        if FileManager.default.fileExists(atPath: path) {
            let content = try PythonJSON.fileContent(path)
            if let failure = PythonJSON.failure(content) {
                throw CLIError("Failed to parse file '\(path)' with exception:\n\(failure)\n\(PythonJSON.validJSON)")
            }
            return
        }
        if path.hasSuffix(".json") { throw CLIError("JSON file does not exist: '\(path)'\n\(PythonJSON.validJSON)") }
        if let failure = PythonJSON.failure(text) {
            throw CLIError(failure + "\n" + PythonJSON.validJSON + "\n" + PythonJSON.shellQuoting)
        }
    }

    /// az's parse_ids_arguments reads each `--ids` value as JSON first, so that `az ... list`
    /// output pipes in: a list of objects, or one, gives their `id`s and any other JSON gives none
    /// (`--ids 7` runs the command zero times); other text is ids a line.
    static func expandIds(_ values: [String]) -> [String] {
        values.flatMap { v -> [String] in
            guard let json = PythonJSON.loads(v) else { return v.pythonLines }
            let items = json.arrayValue ?? [json]
            return items.compactMap { item -> String? in
                guard case .object(let o) = item, let id = o["id"] else { return nil }
                return PyValue(json: id, ordered: false).pythonStr
            }
        }
    }
}

extension String {
    /// Python's `str.splitlines()`.
    var pythonLines: [String] {
        var lines = [String]()
        var current = String.UnicodeScalarView()
        var scalars = unicodeScalars.makeIterator()
        var pendingCR = false
        while let c = scalars.next() {
            if pendingCR {
                pendingCR = false
                if c == "\n" { continue }
            }
            switch c.value {
            case 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029:
                lines.append(String(current))
                current = String.UnicodeScalarView()
                pendingCR = c == "\r"
            default:
                current.append(c)
            }
        }
        if !current.isEmpty { lines.append(String(current)) }
        return lines
    }
}
