import XCTest
@testable import AzureCLI

/// The handlers and the command table agree: every handler is for a command the table has, reads
/// only arguments the command declares, and is declared once; every group has a summary.
final class CatalogueTests: XCTestCase {
    func testEveryHandlerNamesOnlyArgumentsItsCommandDeclares() {
        let table = CommandTable.shared
        for (name, handler) in CommandRegistry.handlers.sorted(by: { $0.key < $1.key }) {
            guard let spec = table.command(name) else {
                XCTFail("a handler for '\(name)', which the command table lacks")
                continue
            }
            let dests = Set(spec.parameters.map(\.dest) + table.globals.map(\.dest))
            for dest in handler.supported.sorted() where !dests.contains(dest) {
                XCTFail("'\(name)' handles '\(dest)', which az's specification of it does not declare")
            }
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
}
