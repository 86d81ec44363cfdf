import XCTest
@testable import Shell

struct FakeContext: SubstitutionContext {
    var vars: [String: String] = [:]
    var outputs: [String: String] = [:]
    var ran: [String] = []
    func variable(_ name: String) -> String? { vars[name] }
    mutating func commandOutput(_ line: String) throws -> String {
        ran.append(line)
        guard let o = outputs[line] else { throw SubstitutionFailed(message: "", exitCode: 3) }
        return o
    }
}

final class LineLexerTests: XCTestCase {
    func words(_ line: String, _ ctx: FakeContext = FakeContext()) throws -> [String] {
        var c = ctx
        return try LineLexer.parse(line, context: &c).words
    }

    func testQuotesEscapesAndComments() throws {
        XCTAssertEqual(
            try words(#"az group create -n 'my rg' --tags "a=b c" x\ y # a comment"#),
            ["az", "group", "create", "-n", "my rg", "--tags", "a=b c", "x y"])
        XCTAssertEqual(
            try words(#"echo "say \"hi\" \$HOME" 'no $X here'"#), ["echo", "say \"hi\" $HOME", "no $X here"])
        XCTAssertEqual(try words("echo a#b"), ["echo", "a#b"])
        XCTAssertEqual(try words("echo ''"), ["echo", ""])
    }

    func testVariablesAndSubstitution() throws {
        var ctx = FakeContext(vars: ["RG": "rg1", "LIST": "a b", "?": "3"])
        ctx.outputs["az group show -n $RG --query id -o tsv"] = "/subscriptions/s/resourceGroups/rg1\n"
        XCTAssertEqual(
            try words("echo $RG ${RG}x \"$LIST\" $LIST $?", ctx), ["echo", "rg1", "rg1x", "a b", "a", "b", "3"])
        XCTAssertEqual(
            try words("echo $(az group show -n $RG --query id -o tsv)", ctx),
            ["echo", "/subscriptions/s/resourceGroups/rg1"])
    }

    func testSubstitutionFailurePropagatesItsExitCode() {
        XCTAssertThrowsError(try words("echo $(az nope)")) { e in
            XCTAssertEqual((e as? SubstitutionFailed)?.exitCode, 3)
        }
        XCTAssertThrowsError(try words("echo $UNSET")) { e in
            XCTAssertEqual((e as? SubstitutionFailed)?.message, "UNSET: unbound variable")
        }
    }

    func testUnbalancedQuotesAndParensNameTheColumn() {
        XCTAssertThrowsError(try words(#"echo "abc"#)) { e in
            XCTAssertEqual((e as? LineSyntaxError)?.message, "unbalanced quote: the \" at column 6 is never closed")
        }
        XCTAssertThrowsError(try words("echo x 'y")) { e in
            XCTAssertEqual((e as? LineSyntaxError)?.message, "unbalanced quote: the ' at column 8 is never closed")
        }
        XCTAssertThrowsError(try words("echo $(az group list")) { e in
            XCTAssertEqual(
                (e as? LineSyntaxError)?.message, "unbalanced parenthesis: the $( at column 6 is never closed")
        }
    }

    func testAssignments() throws {
        var c = FakeContext()
        let p = try LineLexer.parse("A=1 B='two words'", context: &c)
        XCTAssertEqual(p.words, [])
        XCTAssertEqual(p.assignments.map { $0.0 + "=" + $0.1 }, ["A=1", "B=two words"])
        let q = try LineLexer.parse("AZURE_DEFAULTS_GROUP=rg az group show", context: &c)
        XCTAssertEqual(q.words, ["az", "group", "show"])
        XCTAssertEqual(q.assignments.count, 1)
        XCTAssertEqual(try LineLexer.parse("echo A=1", context: &c).words, ["echo", "A=1"])
    }

    func testContinuation() {
        XCTAssertTrue(LineLexer.needsContinuation("az group create \\"))
        XCTAssertTrue(LineLexer.needsContinuation("echo 'open"))
        XCTAssertTrue(LineLexer.needsContinuation("X=$(az group"))
        XCTAssertFalse(LineLexer.needsContinuation("echo done # it's fine"))
        XCTAssertFalse(LineLexer.needsContinuation("echo \"a\\\\\""))
    }
}
