import Foundation
import XCTest

/// Runs the built `keydrill` executable the way a user does.
struct Binary {
    struct Result {
        let stdout: String
        let stderr: String
        let exitCode: Int32
    }

    static let url: URL = {
        let candidates = [
            URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug")
                .standardized,
        ]
        for dir in candidates {
            let u = dir.appendingPathComponent("keydrill")
            if FileManager.default.isExecutableFile(atPath: u.path) { return u }
        }
        fatalError("keydrill binary not found next to the tests")
    }()

    static func run(
        _ args: [String], stdin: String? = nil, state: String? = nil, environment: [String: String] = [:]
    ) throws -> Result {
        let p = Process()
        p.executableURL = url
        p.arguments = (state.map { ["--state", $0] } ?? []) + args
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        // Both pipes are drained while stdin is written: a child that fills one while the
        // test waits on another would otherwise wait forever.
        nonisolated(unsafe) var o = Data(), e = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { o = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { e = err.fileHandleForReading.readDataToEndOfFile() }
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        try inp.fileHandleForWriting.close()
        group.wait()
        p.waitUntilExit()
        return Result(
            stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self),
            exitCode: p.terminationStatus)
    }

    static func tempDir() -> String {
        NSTemporaryDirectory() + "keydrill-e2e-\(UUID().uuidString)"
    }
}

/// A test case with its own state directory and a helper that runs `keydrill -c LINE...` in it.
class BinaryTestCase: XCTestCase {
    var state: String!
    override func setUp() { state = Binary.tempDir() }
    override func tearDown() { try? FileManager.default.removeItem(atPath: state) }

    func kd(_ lines: String...) throws -> Binary.Result {
        try Binary.run(lines.flatMap { ["-c", $0] }, state: state)
    }
}
