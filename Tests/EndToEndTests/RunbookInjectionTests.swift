import Foundation
import JMESPath
import XCTest

/// A runbook's values are data wherever they enter a line: a `--var`, a front-matter default, a
/// Learn `<placeholder>` (bare, in double quotes, in single quotes, on a line bash runs or one
/// keydrill runs), `$VAR` in a keydrill line and in a bash block. Whatever a value holds, it
/// arrives as the one word it is and nothing of it runs on the host.
final class RunbookInjectionTests: BinaryTestCase {
    /// Each shell metacharacter, in each way it could end a word, a quote or a command.
    static let values = [
        "x; touch MARK; echo", "`touch MARK`", "$(touch MARK)", "a' && touch MARK '", "a\" > MARK \"",
        "a | tee MARK", "a\\", "a\ntouch MARK", "-o none --tags x=y", "'", "\"", "a & touch MARK", "<v>", "${HOME}",
    ]

    static let page = """
        ---
        variables:
          fm: "; touch MARK"
        ---
        # Values stay words

        ## Tag the group

        ```azurecli
        az group create -n rg1 -l westus --tags "note=<v>" --query tags.note -o tsv | cat
        az group update -n rg1 --tags 'note=<v>' --query tags.note -o tsv | cat
        az group update -n rg1 --tags note=<v> --query tags.note -o tsv | cat
        az group update -n rg1 --tags "note=<v>" --query tags.note -o tsv
        az group update -n rg1 --tags note=<v> --query tags.note -o tsv
        ```

        ## Variables

        ```keydrill
        echo "$v"
        echo "$fm"
        ```

        ```bash
        printf '%s\\n' "$v"
        az group update -n rg1 --tags "note=$fm" --query tags.note -o tsv
        ```
        """

    func testNoValueRunsOnTheHostAndEachArrivesAsOneWord() throws {
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let path = state + "/page.md"
        try Self.page.write(toFile: path, atomically: true, encoding: .utf8)
        for (i, raw) in Self.values.enumerated() {
            let mark = state + "/mark-\(i)"
            let value = raw.replacingOccurrences(of: "MARK", with: mark)
            let json = state + "/r\(i).json"
            let r = try Binary.run([
                "run", path, "--var", "v=" + value, "--var", "fm=; touch " + mark, "--json", json,
                "--state", state + "/st\(i)",
            ])
            XCTAssertEqual(r.exitCode, 0, "\(raw): \(r.stdout)\(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: mark), "\(raw) ran on the host")
            let outputs = try JMESPathExpression("[0].steps[].commands[].stdout").search(
                try JSON.parse(try String(contentsOfFile: json, encoding: .utf8)))
            let expected =
                Array(repeating: value + "\n", count: 5) + [value + "\n", "; touch \(mark)\n"]
                + [value + "\n" + "; touch \(mark)\n"]
            XCTAssertEqual(outputs.arrayValue?.compactMap(\.stringValue), expected, raw)
        }
    }
}
