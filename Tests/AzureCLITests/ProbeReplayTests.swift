import Foundation
import XCTest
@testable import AzureCLI
import JMESPath

/// Replays the real az command lines recorded in az-parse-probes.json (241 lines, azure-cli
/// 2.91.0/2.79.0) through keydrill's parser and formatters.
final class ProbeReplayTests: XCTestCase {
    struct Probe {
        let argv: String
        let exitCode: Int
        let stdout: String
        let stderr: String
    }

    static let probes: [Probe] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Probes/az-parse-probes.json")
        let text = try! String(contentsOf: url, encoding: .utf8)
        return try! JSON.parse(text)["probes"].arrayValue!.map {
            Probe(
                argv: $0["argv"].stringValue!, exitCode: Int($0["exit_code"].numberValue!),
                stdout: $0["stdout"].stringValue ?? "", stderr: $0["stderr"].stringValue ?? "")
        }
    }()

    /// Splits a probe's command line as the shell that ran it did (quotes removed).
    static func words(_ line: String) -> [String] {
        var words = [String]()
        var current = ""
        var quote: Character?
        var inWord = false
        for c in line {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c
                inWord = true
            } else if c == " " {
                if inWord { words.append(current); current = ""; inWord = false }
            } else {
                current.append(c)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return Array(words.dropFirst())  // "az"
    }

    /// Validator-level checks that az runs inside its own handlers; keydrill makes them in the
    /// command implementations, not in the parser.
    static let validatorMessages = ["specify exactly one: --object-id, --spn, --upn"]

    /// Values az's validators and handlers rewrite after argparse (URLs built from names, bytes,
    /// generic-update expressions, dicts from key=value lists); keydrill does that in its command
    /// implementations, so only argparse's own values are compared.
    static let validatorRewritten: Set<String> = [
        "vault_base_url", "hsm_name", "value", "properties_to_set", "encryption_config", "ids",
    ]

    let parser = CommandLineParser(environment: { _ in nil })

    func parse(_ argv: [String]) -> Result<ParseResult, Error> {
        Result { try parser.parse(argv) }
    }

    func testUsageErrorsMatchAz() throws {
        var checked = 0
        for p in Self.probes where p.exitCode == 2 {
            let expected = p.stderr.split(separator: "\n").first.map(String.init) ?? ""
            if Self.validatorMessages.contains(where: { expected.contains($0) }) { continue }
            switch parse(Self.words(p.argv)) {
            case .failure(let e as UsageError):
                XCTAssertEqual("ERROR: " + e.message, expected, p.argv)
                // az prints the examples block only for errors inside a command's own parser.
                XCTAssertEqual(
                    e.rendered.contains("Examples from command's help:"),
                    p.stderr.contains("Examples from command's help:"), p.argv)
                checked += 1
            default:
                XCTFail("expected a usage error for: \(p.argv)")
            }
        }
        print("usage-error probes replayed: \(checked)")
        XCTAssertGreaterThan(checked, 25)
    }

    func testAcceptedLinesParseToAzValues() throws {
        var checked = 0
        var compared = 0
        for p in Self.probes where p.exitCode == 0 && !p.argv.hasPrefix("az --version") {
            let argv = Self.words(p.argv)
            guard case .success(let outcome) = parse(argv) else {
                XCTFail("keydrill refused a line az accepted: \(p.argv): \(String(describing: try? parse(argv).get()))")
                continue
            }
            checked += 1
            guard case .run(let inv) = outcome, let doc = try? JSON.parse(p.stdout),
                case .object(let params) = doc["params"]
            else { continue }
            for (dest, _) in inv.given {
                guard let expected = params[dest], let mine = inv.arguments[dest] else { continue }
                // az's validators rewrite some values after parsing (e.g. the encryption-config dicts);
                // compare what argparse itself produced.
                if Self.validatorRewritten.contains(dest) { continue }
                if !inv.ids.isEmpty, inv.spec.parameter(dest: dest)?.idPart != nil { continue }
                if let kind = inv.spec.parameter(dest: dest)?.kind, kind == .aazlist || kind == .aazobject { continue }
                XCTAssertEqual(mine, expected, "\(p.argv): \(dest)")
                compared += 1
            }
        }
        print("accepted probes replayed: \(checked), values compared: \(compared)")
        XCTAssertGreaterThan(checked, 140)
        XCTAssertGreaterThan(compared, 150)
    }

    func testAAZValueErrorsMatchAz() throws {
        var checked = 0
        for p in Self.probes where p.exitCode == 1 && p.stderr.contains("Failed to parse '--") {
            let expected = p.stderr.split(separator: "\n").first.map(String.init) ?? ""
            switch parse(Self.words(p.argv)) {
            case .failure(let e as CLIError):
                XCTAssertEqual("ERROR: " + e.message, expected, p.argv)
                checked += 1
            default:
                XCTFail("expected an AAZ value error for \(p.argv)")
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 3)
    }

    /// Lines that differ only by -o/--query: the plain line's JSON is the document, and keydrill's
    /// formatting of it must print exactly what az printed.
    func testOutputFormattingMatchesAz() throws {
        func strip(_ argv: [String]) -> [String] {
            var out = [String]()
            var i = 0
            while i < argv.count {
                if ["-o", "--output", "--query"].contains(argv[i]) { i += 2; continue }
                out.append(argv[i])
                i += 1
            }
            return out
        }
        var documents = [[String]: JSON]()
        for p in Self.probes where p.exitCode == 0 {
            let argv = Self.words(p.argv)
            if strip(argv) == argv, let doc = try? JSON.parse(p.stdout) { documents[argv] = doc }
        }
        var checked = 0
        for p in Self.probes where p.exitCode == 0 {
            let argv = Self.words(p.argv)
            guard strip(argv) != argv, let doc = documents[strip(argv)] else { continue }
            guard case .success(.run(let inv)) = parse(argv) else { XCTFail(p.argv); continue }
            if inv.output == .jsonc || inv.output == .yamlc { continue }
            var value = doc
            if let q = inv.query { value = try q.search(doc) }
            let printed = OutputFormatter.render(
                value, as: inv.output, keepKeyOrder: inv.query?.isMultiSelectHash ?? false,
                queryActive: inv.query != nil)
            XCTAssertEqual(printed, p.stdout, p.argv)
            checked += 1
        }
        print("output probes replayed: \(checked)")
        XCTAssertGreaterThanOrEqual(checked, 3)
    }
}
