import JMESPath

/// `-o jsonc` on a terminal: the same text as `-o json`, with keys, strings and literals coloured.
enum JSONColorizer {
    static let key = "\u{1B}[94m", string = "\u{1B}[32m", literal = "\u{1B}[33m", reset = "\u{1B}[0m"

    static func colorize(_ value: JSON) -> String {
        var out = ""
        write(value, level: 0, into: &out)
        return out
    }

    private static func write(_ value: JSON, level: Int, into out: inout String) {
        let pad = String(repeating: "  ", count: level + 1)
        let closePad = String(repeating: "  ", count: level)
        switch value {
        case .array(let a) where !a.isEmpty:
            out += "[\n"
            for (i, v) in a.enumerated() {
                out += pad
                write(v, level: level + 1, into: &out)
                out += i == a.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "]"
        case .object(let o) where !o.isEmpty:
            out += "{\n"
            let keys = o.keys.sorted(by: JSON.codePointLess)
            for (i, k) in keys.enumerated() {
                out += pad + key + JSON.string(k).serialized(.az) + reset + ": "
                write(o[k]!, level: level + 1, into: &out)
                out += i == keys.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "}"
        case .string: out += string + value.serialized(.az) + reset
        case .array, .object: out += value.serialized(.az)
        default: out += literal + value.serialized(.az) + reset
        }
    }
}
