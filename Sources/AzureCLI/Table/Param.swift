import JMESPath

/// A value an argument parses to, and the kinds of az argument that give it: a `Param<Int>` can
/// only stand for an `int` argument, and the catalogue test checks every handler's reads so.
public protocol ParamValue: Sendable {
    static func decode(_ json: JSON) -> Self?
    static func accepts(_ kind: ParameterSpec.Kind, isList: Bool) -> Bool
}

/// Names one argument destination (`vault_base_url`) with the type its value has. Handlers list
/// the params they read (that list is what they support) and read them through `Arguments`.
public struct Param<Value: ParamValue>: AnyParam {
    public let dest: String
    public init(_ dest: String) { self.dest = dest }
    public func accepts(_ spec: ParameterSpec) -> Bool {
        Value.accepts(spec.kind, isList: spec.isList || spec.appends)
    }
}

/// A param of any value type, as a handler's list of reads holds them.
public protocol AnyParam: Sendable {
    var dest: String { get }
    func accepts(_ spec: ParameterSpec) -> Bool
}

extension String: ParamValue {
    public static func decode(_ json: JSON) -> String? { json.stringValue }
    public static func accepts(_ kind: ParameterSpec.Kind, isList: Bool) -> Bool {
        !isList && [.value, .datetime, .duration, .file, .fileordict].contains(kind)
    }
}

extension Bool: ParamValue {
    public static func decode(_ json: JSON) -> Bool? { json.boolValue }
    public static func accepts(_ kind: ParameterSpec.Kind, isList: Bool) -> Bool {
        [.flag, .bool, .aazbool].contains(kind)
    }
}

extension Int: ParamValue {
    /// Clamped into Int's range (az's ints are Python's, unbounded): the command's own range
    /// check then refuses the value instead of the conversion trapping.
    public static func decode(_ json: JSON) -> Int? {
        json.numberValue.map { $0 >= 9.2e18 ? Int.max : $0 <= -9.2e18 ? Int.min : Int($0) }
    }
    public static func accepts(_ kind: ParameterSpec.Kind, isList: Bool) -> Bool { [.int, .aazint].contains(kind) }
}

extension Array: ParamValue where Element == String {
    public static func decode(_ json: JSON) -> [String]? { json.arrayValue?.compactMap(\.stringValue) }
    public static func accepts(_ kind: ParameterSpec.Kind, isList: Bool) -> Bool {
        kind == .aazlist || (isList && kind == .value)
    }
}

extension Dictionary: ParamValue where Key == String, Value == String {
    public static func decode(_ json: JSON) -> [String: String]? {
        json.objectValue.map { o in
            var out = [String: String]()
            for (k, v) in o { out[k] = v.stringValue ?? "" }
            return out
        }
    }
    public static func accepts(_ kind: ParameterSpec.Kind, isList: Bool) -> Bool { kind == .tags || kind == .dict }
}

extension JSON: ParamValue {
    public static func decode(_ json: JSON) -> JSON? { json.isNull ? nil : json }
    public static func accepts(_ kind: ParameterSpec.Kind, isList: Bool) -> Bool { true }
}
