import Foundation
import XCTest
@testable import AzureCLI

/// The handlers and the command table agree: every handler is for a command the table has, reads
/// only arguments the command declares, and is declared once; every group has a summary.
final class CatalogueTests: XCTestCase {
    /// What is wrong with one handler's reads against its command's specification.
    static func problems(_ name: String, _ handler: Handler, table: CommandTable = .shared) -> [String] {
        guard let spec = table.command(name) else { return ["a handler for '\(name)', which the command table lacks"] }
        var out = [String]()
        for p in handler.reads {
            guard let declared = spec.parameter(dest: p.dest) ?? table.globals.first(where: { $0.dest == p.dest })
            else {
                out.append("'\(name)' reads '\(p.dest)', which az's specification of it does not declare")
                continue
            }
            if !p.accepts(declared) {
                out.append("'\(name)' reads '\(p.dest)' as \(type(of: p)), but it is a \(declared.kind) argument")
            }
        }
        return out
    }

    func testEveryHandlerReadsOnlyArgumentsItsCommandDeclaresWithTheirTypes() {
        for (name, handler) in CommandRegistry.handlers.sorted(by: { $0.key < $1.key }) {
            for problem in Self.problems(name, handler) { XCTFail(problem) }
        }
    }

    /// The check above can fail: a dest the command lacks (`maxresults` for `max_page_size`) and a
    /// wrong type are both reported.
    func testAWrongDestOrTypeIsReported() {
        let wrongDest = Handler(reads: [P.vaultBaseUrl, P.maxresults]) { _, _ in nil }
        XCTAssertEqual(
            Self.problems("keyvault key list-deleted", wrongDest),
            ["'keyvault key list-deleted' reads 'maxresults', which az's specification of it does not declare"])
        let wrongType = Handler(reads: [Param<Int>("name")]) { _, _ in nil }
        XCTAssertEqual(Self.problems("keyvault show", wrongType).count, 1)
    }

    /// A command added without saying what it asks of ARM fails here, not in front of a user.
    func testEveryCommandSaysWhatItAsksOfResourceManager() {
        for name in CommandRegistry.handlers.keys.sorted() {
            let known =
                ResourceManagerRequests.table[name] != nil || ResourceManagerRequests.asksNothing(name)
            XCTAssertTrue(known, "'\(name)' has no entry in ResourceManagerRequests.table")
        }
        for name in ResourceManagerRequests.table.keys {
            XCTAssertNotNil(CommandRegistry.handlers[name], "'\(name)' is in the table but not emulated")
            XCTAssertFalse(ResourceManagerRequests.asksNothing(name), name)
        }
    }

    func testNoCommandIsHandledTwice() {
        var seen = [String: Int]()
        for room in CommandRegistry.rooms { for name in room.keys { seen[name, default: 0] += 1 } }
        XCTAssertEqual(seen.filter { $0.value > 1 }.keys.sorted(), [])
    }

    func testEveryGroupHasASummary() {
        let table = CommandTable.shared
        for path in table.children.keys.sorted() where !path.isEmpty && table.isGroup(path) {
            XCTAssertNotNil(GroupInfo.summaries[path], "group '\(path)' has no summary")
        }
    }

    /// The generator marks secrets and completion kinds on every command that has them.
    func testSecretsAndCompletionKindsAreDeclaredInTheTable() throws {
        let table = CommandTable.shared
        let create = try XCTUnwrap(table.command("postgres server create"))
        XCTAssertEqual(create.parameters.filter(\.isSecret).map(\.dest), ["administrator_login_password"])
        XCTAssertEqual(try XCTUnwrap(table.command("keyvault key show")).parameter(dest: "name")?.completion, .key)
        XCTAssertEqual(try XCTUnwrap(table.command("keyvault show")).parameter(dest: "vault_name")?.completion, .vault)
        XCTAssertEqual(
            try XCTUnwrap(table.command("workload servicebus send")).parameter(dest: "queue")?.completion, .queue)
        let kinds = Set(table.commandNames.compactMap(table.command).flatMap(\.parameters).compactMap(\.completion))
        XCTAssertEqual(kinds, Set(CompletionKind.allCases), "a kind nothing completes")
    }

    /// keydrill's own groups are edited as a table; the embedded copy must be regenerated with it.
    func testTheEmbeddedKeydrillTableIsTheTSVAsWritten() throws {
        let tsv = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/AzureCLI/Table/KeydrillCommands.tsv")
        let written = try String(contentsOf: tsv, encoding: .utf8)
        XCTAssertEqual(
            KeydrillSpecification.text + "\n", written, "run tools/gen-command-table.py after editing the .tsv")
    }
}
