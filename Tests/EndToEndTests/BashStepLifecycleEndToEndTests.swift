import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// A bash step's copy of the world lives in the state directory's private area, and its bash
/// (with anything it started) ends with keydrill: at once on a signal, and on the next run after
/// a kill that gave keydrill no chance.
final class BashStepLifecycleEndToEndTests: BinaryTestCase {
    func drill(_ marker: String) throws -> String {
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let path = state + "/sleepy-\(marker).md"
        try """
        # Sleepy

        ## Sleep in bash

        ```bash
        az group create -n rg -l westus -o none
        sleep 301.\(marker) &
        sleep 302.\(marker)
        ```
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The pids of processes whose command line starts with `text` (the sleeps themselves, not
    /// the bash whose script names them).
    func processes(_ text: String) -> [Int32] {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap(Int32.init).filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\0", with: " ").hasPrefix(text)
        } ?? []
    }

    override func tearDown() {
        // A failed check must not leave sleeps behind for the next test to find.
        for pid in processes("sleep 301.\(getpid())") + processes("sleep 302.\(getpid())") { kill(pid, SIGKILL) }
        super.tearDown()
    }

    func startRun(_ path: String, marker: String) throws -> Process {
        let p = Process()
        p.executableURL = Binary.url
        p.arguments = ["run", path, "--state", state + "/st"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        for _ in 0..<400 {
            if !processes("sleep 301.\(marker)").isEmpty && !processes("sleep 302.\(marker)").isEmpty { break }
            usleep(25_000)
        }
        return p
    }

    func testAKilledRunsBashIsEndedAndItsWorldCopyRemovedByTheNextRun() throws {
        let marker = String(getpid())
        let p = try startRun(try drill(marker), marker: marker)
        XCTAssertEqual(processes("sleep 301.\(marker)").count, 1)
        let area = state + "/st/tmp"
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: area).count, 1, "the step's directory")
        XCTAssertTrue(
            try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter {
                $0.hasPrefix("keydrill-bash-")
            }.isEmpty, "nothing in the shared temporary directory")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertEqual(processes("sleep 301.\(marker)").count, 1, "a kill -9 gives keydrill no chance")
        let tiny = state + "/tiny.md"
        try "# Tiny\n\n## One\n\n```keydrill\nclock now\n```\n".write(toFile: tiny, atomically: true, encoding: .utf8)
        let next = try Binary.run(["run", tiny, "--state", state + "/st"])
        XCTAssertEqual(next.exitCode, 0, next.stdout + next.stderr)
        for _ in 0..<40 {
            if processes("sleep 301.\(marker)").isEmpty { break }
            usleep(25_000)
        }
        XCTAssertEqual(processes("sleep 301.\(marker)"), [], "the next run ended the group")
        XCTAssertEqual(processes("sleep 302.\(marker)"), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: area), [])
    }

    /// A kill the instant bash starts, before keydrill has recorded anything of it: the next run
    /// still finds what runs against the step's directory.
    func testAKillAsBashStartsLeavesNothingAfterTheNextRun() throws {
        let marker = String(getpid()) + "2"
        let p = Process()
        p.executableURL = Binary.url
        p.arguments = ["run", try drill(marker), "--state", state + "/st"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        for _ in 0..<400 {
            if !processes("/bin/bash -e -c az group create").isEmpty { break }
            usleep(5_000)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        usleep(300_000)
        let tiny = state + "/tiny.md"
        try "# Tiny\n\n## One\n\n```keydrill\nclock now\n```\n".write(toFile: tiny, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Binary.run(["run", tiny, "--state", state + "/st"]).exitCode, 0)
        usleep(100_000)
        XCTAssertEqual(processes("sleep 301.\(marker)") + processes("sleep 302.\(marker)"), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: state + "/st/tmp"), [])
    }

    func testASignalThatEndsKeydrillEndsItsBash() throws {
        let marker = String(getpid()) + "1"
        let p = try startRun(try drill(marker), marker: marker)
        XCTAssertEqual(processes("sleep 302.\(marker)").count, 1)
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        for _ in 0..<40 {
            if (processes("sleep 301.\(marker)") + processes("sleep 302.\(marker)")).isEmpty { break }
            usleep(25_000)
        }
        XCTAssertEqual(processes("sleep 301.\(marker)") + processes("sleep 302.\(marker)"), [])
    }
}
