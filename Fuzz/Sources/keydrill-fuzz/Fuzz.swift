import AzureCLI
import JMESPath
import Shell

/// One input, three languages: the bytes as a keydrill line (lexed, with substitutions answered
/// without running anything), as az arguments (parsed against the command table), and as a
/// JMESPath expression (compiled and run on a small document).
struct FuzzContext: SubstitutionContext {
    func variable(_ name: String) -> String? { name.count % 2 == 0 ? "value" : nil }
    mutating func commandOutput(_ line: String) throws -> String { line }
}

let document = try! JSON.parse(#"{"a": [1, 2, {"b": "c"}], "d": {"e": null, "f": true}, "g": "text"}"#)
nonisolated(unsafe) let parser = CommandLineParser(environment: { _ in nil })

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var context = FuzzContext()
    if let parsed = try? LineLexer.parse(text, context: &context) {
        _ = try? parser.parse(parsed.words.first == "az" ? Array(parsed.words.dropFirst()) : parsed.words)
    }
    _ = LineLexer.needsContinuation(text)
    if let expression = try? JMESPathExpression(text) {
        _ = try? expression.search(document)
    }
    _ = try? JSON.parse(text)
    return 0
}

/// SwiftPM links an executable's entry point as `<module>_main`; hand control to libFuzzer's
/// driver from there.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32) -> Int32

@_cdecl("keydrill_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzz(data, size) }
}
