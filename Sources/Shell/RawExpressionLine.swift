/// `assert` takes the rest of its line as a JMESPath expression as typed, so the expression's own
/// quotes survive (`assert name == 'rg1'`). Wrapping it in one pair of double quotes is also
/// accepted (the shell form); `$NAME` and `${NAME}` are substituted either way.
public enum RawExpressionLine {
    public static func expression(after command: String, in line: String) -> String? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard trimmed.hasPrefix(command) else { return nil }
        let rest = trimmed.dropFirst(command.count)
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        return String(rest).trimmingCharacters(in: [" ", "\t"])
    }

    public static func substitute<C: SubstitutionContext>(_ text: String, context: inout C) throws -> String {
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\""), !LineLexer.needsContinuation(text) {
            var parsed = try LineLexer.parse(text, context: &context).words
            if parsed.count == 1 { return parsed.removeFirst() }
        }
        if text.count >= 2, text.hasPrefix("'"), text.hasSuffix("'"), !text.dropFirst().dropLast().contains("'") {
            return String(text.dropFirst().dropLast())
        }
        var out = ""
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            if chars[i] == "$", i + 1 < chars.count,
                chars[i + 1] == "{" || chars[i + 1].isLetter || chars[i + 1] == "_",
                let (value, next) = try LineLexer.expand(chars, i, &context)
            {
                out += value
                i = next
                continue
            }
            out.append(chars[i])
            i += 1
        }
        return out
    }
}
