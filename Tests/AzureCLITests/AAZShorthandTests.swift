import XCTest
@testable import AzureCLI
import JMESPath

/// AAZ's shorthand syntax and value conversion. Every expected message is what az 2.91 printed
/// for the same value (tools/az-parse-diff.py generates many more and compares them with az).
final class AAZShorthandTests: XCTestCase {
    func shorthandError(_ text: String) -> String? {
        do {
            _ = try AAZShorthand.parse(text)
            return nil
        } catch let e as AAZShorthandError {
            return e.description
        } catch {
            return "\(error)"
        }
    }

    func testSyntaxErrorsPointWhereAzPoints() {
        XCTAssertEqual(
            shorthandError("2030-01-01T00:00:00Z"),
            "Shorthand Syntax Error: Redundant tail:\n\t2030-01-01T00:00:00Z\n\t             ^^^^^^^")
        XCTAssertEqual(
            shorthandError("a b"),
            "Shorthand Syntax Error: Please wrap whitespace character in single quotes:\n\ta \n\t ^")
        XCTAssertEqual(shorthandError("{a:b"), "Shorthand Syntax Error: Expect character ',' or '}':\n\t{a:b\n\t    ^")
        XCTAssertEqual(
            shorthandError("{a:b,a:c}"), "Shorthand Syntax Error: Duplicate defined dict key 'a':\n\t{a:b,a\n\t     ^")
        XCTAssertEqual(shorthandError("'x"), "Shorthand Syntax Error: Miss end quota character: ':\n\t'x\n\t  ^")
        // `'/` is a quote inside a quoted string: `'b'/'` is b' and the next c is out of place.
        XCTAssertEqual(
            shorthandError("{a:'b'/'c'}"),
            "Shorthand Syntax Error: Expect character ',' or '}':\n\t{a:'b'/'c\n\t        ^")
        XCTAssertEqual(shorthandError("[a,b"), "Shorthand Syntax Error: Expect character ',' or ']':\n\t[a,b\n\t    ^")
        XCTAssertEqual(shorthandError("{a:b}}"), "Shorthand Syntax Error: Redundant tail:\n\t{a:b}}\n\t     ^")
        XCTAssertEqual(shorthandError("{:a}"), "Shorthand Syntax Error: Cannot parse empty:\n\t{:\n\t ^")
        XCTAssertEqual(shorthandError("[}"), "Shorthand Syntax Error: Cannot parse empty:\n\t[}\n\t ^")
    }

    func testValuesAreWhatJSONWouldMakeOfEachWord() throws {
        let v = try AAZShorthand.parse("{a:1,b:1.5,c:true,d:null,e:'x y',f:[],g,h:007}")
        XCTAssertEqual(
            v.pythonRepr,
            "OrderedDict([('a', 1), ('b', 1.5), ('c', True), ('d', None), ('e', 'x y'), ('f', []), "
                + "('g', BlankArgValue), ('h', '007')])")
        XCTAssertEqual(try AAZShorthand.parse("null", simple: true).pythonRepr, "None")
        XCTAssertEqual(try AAZShorthand.parse("7", simple: true).pythonRepr, "'7'", "a simple value stays a string")
        XCTAssertEqual(try AAZShorthand.parse("'it'/s'", simple: true).pythonStr, "it's")
    }

    func testPartialValueKeys() throws {
        let (key, value) = try AAZShorthand.splitPartialValue("a.'b c'[0].d=x=y")
        XCTAssertEqual(key, [.name("a"), .name("b c"), .index(0), .name("d")])
        XCTAssertEqual(value, "x=y")
        XCTAssertNil(try AAZShorthand.splitPartialValue("a b=c").key, "not a key: the whole value")
        XCTAssertNil(try AAZShorthand.splitPartialValue("{a:b}").key)
    }

    func testPythonLiteralsAndJSONAsAzReadsThem() {
        XCTAssertEqual(PythonJSON.parse("{'a': 1.5e20}")?.pythonRepr, "{'a': 1.5e+20}", "a plain dict")
        XCTAssertEqual(PythonJSON.parse("(1, 2)")?.pythonType, "<class 'tuple'>")
        XCTAssertEqual(PythonJSON.parse("(1,)")?.pythonRepr, "(1,)")
        XCTAssertEqual(PythonJSON.parse("(1)")?.pythonRepr, "1")
        XCTAssertEqual(PythonJSON.parse("1,5")?.pythonRepr, "(1, 5)", "a tuple needs no parentheses")
        XCTAssertEqual(PythonJSON.parse("'a',")?.pythonRepr, "('a',)")
        XCTAssertEqual(PythonJSON.parse("[NaN, 1e400]")?.pythonRepr, "[nan, inf]", "json.loads reads NaN")
        XCTAssertEqual(
            PythonJSON.parse(#"{"a": {"b": null}}"#)?.pythonRepr, "OrderedDict([('a', OrderedDict([('b', None)]))])")
        XCTAssertNil(PythonJSON.parse("{1, 2}"), "sets are not read")
        XCTAssertNil(PythonJSON.parse("007"), "Python refuses a decimal int with a leading zero")
    }

    func shape(_ json: String) throws -> AAZShape { try AAZShape.decode(json) }

    func take(_ shape: AAZShape, _ values: [String], over: JSON? = nil) throws -> JSON {
        try AAZCompoundValue.take(shape, values: values, option: "--x", over: over)
    }

    func message(_ shape: AAZShape, _ values: [String]) -> String? {
        do {
            _ = try take(shape, values)
            return nil
        } catch let e as CLIError {
            return e.message
        } catch {
            return "\(error)"
        }
    }

    func testSchemaConversionAndItsMessages() throws {
        let tags = try shape(#"{"t":"dict","el":{"t":"str"}}"#)
        XCTAssertEqual(try take(tags, ["a=b", "c=7"]), .object(["a": "b", "c": "7"]))
        XCTAssertEqual(try take(tags, [#"{"a":1}"#]), .object(["a": "1"]), "JSON, its number made a string")
        XCTAssertEqual(
            message(tags, ["{a}"]), "Failed to parse '--x' argument: Invalid 'a' : argument value cannot be blank")
        XCTAssertEqual(
            message(tags, ["{a:[1]}"]),
            "Failed to parse '--x' argument: Invalid 'a' : <class 'str'> type value expected, got '[1]'(<class 'list'>)"
        )
        XCTAssertEqual(message(tags, ["null"]), "Failed to parse '--x' argument: field is not nullable")
        XCTAssertEqual(
            message(tags, ["(1,2)"]),
            "Failed to parse '--x' argument: dict type value expected, got '(1, 2)'(<class 'tuple'>)")
        XCTAssertEqual(
            try take(tags, ["c=d"], over: .object(["a": "b"])), .object(["a": "b", "c": "d"]), "repeats merge")

        let identity = try shape(
            #"{"t":"object","n":true,"f":[["type",[],{"t":"str","n":true,"e":[["None","None"],"#
                + #"["UserAssigned","UserAssigned"]]}],["user_assigned_identities",["user-assigned-identities"],"#
                + #"{"t":"dict","el":{"t":"object","f":[],"b":{}}}]]}"#)
        XCTAssertEqual(try take(identity, ["type=none"]), .object(["type": "None"]), "enums ignore case")
        XCTAssertEqual(
            message(identity, ["type=foo"]), "unrecognized value 'foo' from choices '['None', 'UserAssigned']' ",
            "an enum's error does not name the option")
        XCTAssertEqual(
            try take(identity, ["{user-assigned-identities:{a}}"]),
            .object(["user-assigned-identities": .object(["a": .object([:])])]), "a blank takes the schema's blank")
        XCTAssertEqual(
            message(identity, ["foo=1"]),
            "Failed to parse '--x' argument: Model 'AAZObjectArg' has no field named 'foo'")
        XCTAssertEqual(
            message(identity, ["{userAssignedIdentities:7}"]),
            "Failed to parse '--x' argument: Invalid 'userAssignedIdentities' : dict type value expected, got '7'"
                + "(<class 'int'>)", "a camelCase key finds the snake_case field")

        let rules = try shape(#"{"t":"list","el":{"t":"object","f":[["priority",[],{"t":"int"}]]}}"#)
        XCTAssertEqual(
            message(rules, ["[{priority:x}]"]),
            "Failed to parse '--x' argument: invalid literal for int() with base 10: 'x'",
            "int()'s own error is not prefixed with where it was")
        XCTAssertEqual(
            message(rules, ["x"]), "Failed to parse '--x' argument: list type value expected, got 'x'(<class 'str'>)")
        XCTAssertEqual(
            message(rules, ["[{priority:1.5}]"]),
            "Failed to parse '--x' argument: Invalid at [0] : Invalid 'priority' : <class 'int'> type value expected, "
                + "got '1.5'(<class 'float'>)")
        XCTAssertEqual(try take(rules, ["[0].priority=3"]), .array([.object(["priority": .int(3)])]))
    }

    func testAListOfSimpleValuesTakesSeparateElements() throws {
        let prefixes = try shape(#"{"t":"list","el":{"t":"str"}}"#)
        XCTAssertEqual(try take(prefixes, ["[a,b]"]), .array(["a", "b"]))
        XCTAssertEqual(
            try take(prefixes, ["a b", "c"]), .array(["a b", "c"]), "not shorthand: each value one element")
        XCTAssertEqual(try take(prefixes, ["{a:b}"]), .array(["{a:b}"]))
        XCTAssertEqual(try take(prefixes, [""]), .array([""]))
        XCTAssertEqual(try take(prefixes, ["[1.5,true,null]"]), .array(["[1.5,true,null]"]), "None is not an element")
        XCTAssertEqual(try take(prefixes, ["[0]=a b"]), .array(["a b"]), "a simple element is not shorthand")
        XCTAssertEqual(
            message(prefixes, ["[0]='x"]),
            "Failed to parse '--x' argument: Shorthand Syntax Error: Miss end quota character: ':\n\t'x\n\t  ^",
            "a keyed value has no separate form")
    }

    func testIdsReadJSONAndLinesAsAzDoes() {
        let id = "/subscriptions/s/resourceGroups/rg/providers/P/t/n"
        XCTAssertEqual(ArgumentState.expandIds(["7", "", "true"]), [], "JSON without ids, and no lines")
        XCTAssertEqual(ArgumentState.expandIds([#"[{"id": "\#(id)"}, {"name": "x"}]"#]), [id])
        XCTAssertEqual(ArgumentState.expandIds([#"{"id": "\#(id)"}"#]), [id])
        XCTAssertEqual(ArgumentState.expandIds(["\(id)\r\ngarbage\n"]), [id, "garbage"])
        XCTAssertEqual("a\n\nb\u{2028}c".pythonLines, ["a", "", "b", "c"])
        XCTAssertEqual("\n".pythonLines, [""])
    }

    /// What Python 3.11's json.loads said of each (az prints it after "Error detail:").
    func testJSONErrorsAreCPythonsScanners() {
        let said: [(String, String)] = [
            ("sbname1", "Expecting value: line 1 column 1 (char 0)"),
            ("", "Expecting value: line 1 column 1 (char 0)"),
            (" ", "Expecting value: line 1 column 2 (char 1)"),
            ("{", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
            ("{\"a\"", "Expecting ':' delimiter: line 1 column 5 (char 4)"),
            ("{\"a\":", "Expecting value: line 1 column 6 (char 5)"),
            ("{\"a\":1", "Expecting ',' delimiter: line 1 column 7 (char 6)"),
            ("{\"a\":1,}", "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)"),
            ("[1,]", "Expecting value: line 1 column 4 (char 3)"),
            ("[1 2]", "Expecting ',' delimiter: line 1 column 4 (char 3)"),
            ("\"abc", "Unterminated string starting at: line 1 column 1 (char 0)"),
            ("\"a\\x\"", "Invalid \\escape: line 1 column 3 (char 2)"),
            ("\"\\u12\"", "Invalid \\uXXXX escape: line 1 column 3 (char 2)"),
            ("{a:1}", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
            ("1 2", "Extra data: line 1 column 3 (char 2)"),
            ("01", "Extra data: line 1 column 2 (char 1)"),
            ("-", "Expecting value: line 1 column 1 (char 0)"),
            ("1.", "Extra data: line 1 column 2 (char 1)"),
            ("1e", "Extra data: line 1 column 2 (char 1)"),
            ("[", "Expecting value: line 1 column 2 (char 1)"),
            ("tru", "Expecting value: line 1 column 1 (char 0)"),
            ("\"a\nb\"", "Invalid control character at: line 1 column 3 (char 2)"),
            ("{\"a\":1}\n x", "Extra data: line 2 column 2 (char 9)"),
            ("x,y", "Expecting value: line 1 column 1 (char 0)"),
            ("a b", "Expecting value: line 1 column 1 (char 0)"),
            ("{\"a\" 1}", "Expecting ':' delimiter: line 1 column 6 (char 5)"),
            ("[1,\n2,\n]", "Expecting value: line 3 column 1 (char 7)"),
        ]
        for (text, message) in said { XCTAssertEqual(PythonJSONError.message(text), message, text) }
        XCTAssertNil(PythonJSONError.message(#"{"a": [1, 2.5e3, -0, "x\u00e9"], "b": null}"#))
    }
}
