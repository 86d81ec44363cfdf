import XCTest
@testable import Runbook

final class RunbookParserTests: XCTestCase {
    func testTitleStepsAndExecutableBlocks() throws {
        let text = """
            ---
            description: a drill
            ---
            # Recover a deleted key

            Intro prose.

            ## Create the vault

            ```azurecli
            az group create -n rg -l westus
            ```

            ```json
            {"not": "run"}
            ```

            ## Check

            ~~~keydrill
            assert name == 'rg'
            ~~~
            """
        let doc = try RunbookParser.parse(text)
        XCTAssertEqual(doc.title, "Recover a deleted key")
        XCTAssertEqual(doc.frontMatter, "description: a drill")
        XCTAssertEqual(doc.steps.map(\.title), ["Create the vault", "Check"])
        XCTAssertEqual(doc.steps[0].commands.map(\.text), ["az group create -n rg -l westus"])
        XCTAssertEqual(doc.steps[0].commands.first?.line, 11)
        XCTAssertEqual(doc.steps[1].commands.map(\.text), ["assert name == 'rg'"])
    }

    func testInvalidRunbooksNameTheLine() {
        XCTAssertThrowsError(try RunbookParser.parse("# T\n## S\n```keydrill\necho x\n")) { e in
            XCTAssertEqual((e as? RunbookFormatError)?.line, 3)
        }
        XCTAssertThrowsError(try RunbookParser.parse("## S\n")) { e in
            XCTAssertEqual((e as? RunbookFormatError)?.message, "no title: a runbook starts with a '# Title' heading")
        }
        XCTAssertThrowsError(try RunbookParser.parse("# T\n```keydrill\necho x\n```\n## S\n")) { e in
            XCTAssertEqual((e as? RunbookFormatError)?.line, 3)
        }
    }
}
