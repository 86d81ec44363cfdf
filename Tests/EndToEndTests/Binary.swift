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

    /// A bash script with the az shim's directory first on PATH, against this test's state.
    func bash(_ script: String, path: String) throws -> Binary.Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", script]
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["KEYDRILL_STATE"] = state
        env["NO_COLOR"] = "1"
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        nonisolated(unsafe) var e = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { e = err.fileHandleForReading.readDataToEndOfFile() }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return Binary.Result(
            stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self),
            exitCode: p.terminationStatus)
    }

    func kd(_ lines: String...) throws -> Binary.Result {
        try Binary.run(lines.flatMap { ["-c", $0] }, state: state)
    }
}
