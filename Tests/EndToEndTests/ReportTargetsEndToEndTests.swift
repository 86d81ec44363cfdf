import Foundation
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Reports go where the path names, and never replace what it names with something else: a
/// regular file is replaced atomically, a device, a FIFO or standard output is written in place,
/// a directory or a path in any keydrill state directory is refused with the reason.
final class ReportTargetsEndToEndTests: BinaryTestCase {
    static let drill = """
        # Tiny

        ## One

        ```keydrill
        clock now
        ```
        """

    func drillPath() throws -> String {
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let path = state + "/tiny.md"
        try Self.drill.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func fileType(_ path: String) -> mode_t {
        var st = stat()
        XCTAssertEqual(lstat(path, &st), 0, path)
        return st.st_mode & S_IFMT
    }

    func testStandardOutputADeviceAndAFIFOAreWrittenInPlace() throws {
        let path = try drillPath()
        let toStdout = try Binary.run(["run", path, "--state", state + "/st", "--junit", "/dev/stdout"])
        XCTAssertEqual(toStdout.exitCode, 0, toStdout.stderr)
        XCTAssertTrue(toStdout.stdout.contains("<testsuites"), toStdout.stdout)
        XCTAssertTrue(toStdout.stdout.contains("[1] One ... passed"), "the progress came first")

        let toNull = try Binary.run(["run", path, "--state", state + "/st", "--json", "/dev/null"])
        XCTAssertEqual(toNull.exitCode, 0, toNull.stderr)
        XCTAssertEqual(fileType("/dev/null"), S_IFCHR, "/dev/null is still a device")

        let fifo = state + "/pipe"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        nonisolated(unsafe) var read = Data()
        let reader = Thread {
            read = FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile() ?? Data()
        }
        reader.start()
        let toFIFO = try Binary.run(["run", path, "--state", state + "/st", "--report", fifo])
        XCTAssertEqual(toFIFO.exitCode, 0, toFIFO.stderr)
        while reader.isExecuting { usleep(10_000) }
        XCTAssertTrue(String(decoding: read, as: UTF8.self).hasPrefix("# keydrill drill report"))
        XCTAssertEqual(fileType(fifo), S_IFIFO, "the FIFO is still a FIFO")
    }

    func testADirectoryAndAnyStateDirectoryAreRefusedBeforeTheRun() throws {
        let path = try drillPath()
        let other = state + "/other-state"
        XCTAssertEqual(try Binary.run(["-c", "clock now"], state: other).exitCode, 0)
        let world = try Data(contentsOf: URL(fileURLWithPath: other + "/world.json"))
        for target in [other + "/world.json", other + "/notes.json", other + "/runs/x.json"] {
            let r = try Binary.run(["run", path, "--state", state + "/st", "--json", target])
            XCTAssertEqual(r.exitCode, 2, target)
            XCTAssertTrue(
                r.stderr.contains("is inside the keydrill state directory") || r.stdout.contains("state directory"),
                r.stdout + r.stderr)
            XCTAssertFalse(r.stdout.contains("[1] One"), "refused before any step ran")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: other + "/world.json")), world)
        XCTAssertFalse(FileManager.default.fileExists(atPath: other + "/notes.json"))
        let dir = try Binary.run(["run", path, "--state", state + "/st", "--report", state])
        XCTAssertEqual(dir.exitCode, 2)
        XCTAssertTrue((dir.stdout + dir.stderr).contains("is a directory"), dir.stdout + dir.stderr)
    }

    func testAPlantedRunsLinkIsNotFollowed() throws {
        let path = try drillPath()
        let st = state + "/st", elsewhere = state + "/elsewhere"
        try FileManager.default.createDirectory(atPath: st, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: st + "/runs", withDestinationPath: elsewhere)
        let r = try Binary.run(["run", path, "--state", st])
        XCTAssertNotEqual(r.exitCode, 0)
        XCTAssertTrue((r.stdout + r.stderr).contains("runs is a symbolic link"), r.stdout + r.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: elsewhere), [])
    }
}
