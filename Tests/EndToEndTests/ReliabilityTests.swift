import Foundation
import XCTest
import JMESPath
import Cloud
@testable import Store

/// Crash safety and bad input through the binary: a SIGKILL at any moment leaves a state
/// directory that loads and holds the state before or after the command in flight; two writers
/// take turns; random and mutated lines never crash keydrill or corrupt its state.
final class ReliabilityTests: BinaryTestCase {
    func groupNames() throws -> [String] {
        let r = try Binary.run(["--state", state, "-c", "az group list --query [].name -o tsv"])
        XCTAssertEqual(r.exitCode, 0, "the state loads: \(r.stderr)")
        return r.stdout.split(separator: "\n").map(String.init)
    }

    /// keydrill reading `script` on stdin against this test's state directory, running on.
    func spawn(_ script: String) throws -> Process {
        let p = Process()
        p.executableURL = Binary.url
        p.arguments = ["--state", state]
        let input = Pipe()
        p.standardInput = input
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        input.fileHandleForWriting.write(Data(script.utf8))
        try input.fileHandleForWriting.close()
        return p
    }

    func testSIGKILLAtRandomMomentsLeavesTheStateBeforeOrAfterTheCommandInFlight() throws {
        let script = (1...120).map { "az group create -n g\($0) -l westus -o none" }.joined(separator: "\n") + "\n"
        var generator = SystemRandomNumberGenerator()
        var killedMidway = 0
        // Kill moments spread over the whole script, however fast this machine runs it.
        let started = Date()
        XCTAssertEqual(try Binary.run(["--state", state], stdin: script).exitCode, 0)
        let duration = max(Date().timeIntervalSince(started), 0.05)
        XCTAssertEqual(try groupNames().count, 120)
        for trial in 1...100 {
            try? FileManager.default.removeItem(atPath: state)
            let p = try spawn(script)
            usleep(UInt32(Double.random(in: 0.02...0.7, using: &generator) * duration * 1_000_000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            guard FileManager.default.fileExists(atPath: state + "/world.json") else { continue }
            let names = try groupNames()
            // Exactly g1..gN: every command that finished is there, nothing half-done.
            XCTAssertEqual(Set(names), Set((0..<names.count).map { "g\($0 + 1)" }), "trial \(trial)")
            if !names.isEmpty && names.count < 120 { killedMidway += 1 }
        }
        XCTAssertGreaterThan(killedMidway, 10, "most kills landed in the middle of the script")
    }

    func testTwoWritersTakeTurnsAndNothingIsLost() throws {
        XCTAssertEqual(try kd("az group create -n seed -l westus -o none").exitCode, 0)
        func script(_ prefix: String) -> String {
            (1...60).map { "az group create -n \(prefix)\($0) -l westus -o none" }.joined(separator: "\n")
        }
        let a = try spawn(script("a")), b = try spawn(script("b"))
        a.waitUntilExit()
        b.waitUntilExit()
        XCTAssertEqual(a.terminationStatus, 0)
        XCTAssertEqual(b.terminationStatus, 0)
        XCTAssertEqual(try groupNames().count, 121)
    }

    /// 10,000 random and mutated lines: every exit code is 0-3, keydrill never crashes, and the
    /// state directory still loads.
    func testRandomAndMutatedLinesNeverCrashOrCorrupt() throws {
        let seeds = [
            "az group create -n rg -l westus",
            "az keyvault create --enable-rbac-authorization false -n kv1 -g rg --enable-purge-protection true",
            "az keyvault key create --vault-name kv1 -n k1 --kty RSA --size 2048",
            "az keyvault set-policy -n kv1 --upn admin@contoso.com --key-permissions get",
            "az keyvault key show --vault-name kv1 -n k1 --query key.kid -o tsv",
            "az postgres server create -g rg -n pg1 -u cloudsa -p Passw0rd!x",
            "az servicebus namespace create -g rg -n sbns01 --sku Premium --mi-system-assigned", "clock advance 5m",
            "assert length(@) > `0`",
            "X=$(az group list --query [0].name -o tsv)", "echo ${X##*/} \"quoted $X\" 'single'",
            "await --until \"@ == 'x'\" --within 2m clock now",
            "expect-fail --code NotFound az keyvault show -n nope", "?? [].name",
            "settings set postgresKeyCheckSeconds 5m",
            "az keyvault key rotation-policy update --vault-name kv1 -n k1 --value '{\"lifetimeActions\":[]}'",
        ]
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789 -_=$(){}[]'\"\\|`@?*#.,:/~!&;<>\t\u{e9}\u{2713}")
        var lines = [String]()
        for _ in 0..<10_000 {
            var chars = Array(seeds.randomElement(using: &rng)!)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: chars = (0..<Int.random(in: 0..<60, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            case 1: chars = Array(chars.prefix(Int.random(in: 0...chars.count, using: &rng)))
            case 2:
                for _ in 0..<Int.random(in: 1...4, using: &rng) where !chars.isEmpty {
                    chars[Int.random(in: 0..<chars.count, using: &rng)] = alphabet.randomElement(using: &rng)!
                }
            case 3:
                chars.insert(
                    contentsOf: Array(" --" + String((0..<5).map { _ in alphabet.randomElement(using: &rng)! })),
                    at: Int.random(in: 0...chars.count, using: &rng))
            default: break
            }
            // One logical line each: no raw newlines, and no trailing continuation.
            var line = String(chars).replacingOccurrences(of: "\n", with: " ")
            while line.hasSuffix("\\") { line.removeLast() }
            // Close what a mutation left open, so each line stands alone rather than swallowing
            // the next ones as a continuation.
            if line.filter({ $0 == "'" }).count % 2 == 1 { line += "'" }
            if line.filter({ $0 == "\"" }).count % 2 == 1 { line += "\"" }
            let opens = line.components(separatedBy: "$(").count - 1, closes = line.filter { $0 == ")" }.count
            if opens > closes { line += String(repeating: ")", count: opens - closes) }
            lines.append(line)
        }
        let p = Process()
        p.executableURL = Binary.url
        p.arguments = ["--state", state, "--keep-going"]
        let input = Pipe(), err = Pipe()
        p.standardInput = input
        p.standardOutput = FileHandle.nullDevice
        p.standardError = err
        try p.run()
        let data = Data(lines.joined(separator: "\n").utf8)
        let handle = input.fileHandleForWriting
        let writer = Thread {
            handle.write(data); try? handle.close()
        }
        writer.start()
        _ = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .exit, "no crash")
        XCTAssertTrue((0...3).contains(p.terminationStatus), "exit \(p.terminationStatus)")
        XCTAssertEqual(
            try Binary.run(["--state", state, "-c", "az group list -o none"]).exitCode, 0, "the state still loads")
    }
}

/// A disk that fills up mid-write: simulated with a file-size limit (bash `ulimit -f`, SIGXFSZ
/// ignored so the write fails with EFBIG instead of killing the process).
final class FullDiskTests: BinaryTestCase {
    func testAFullDiskIsAClearErrorAndTheOldStateStays() throws {
        XCTAssertEqual(
            try kd(
                "az group create -n rg -l westus -o none",
                "az keyvault create --enable-rbac-authorization false -n kv1 -g rg -o none"
            ).exitCode, 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: state + "/world.json"))
        XCTAssertLessThan(
            before.count, 2048, "the old world fits under the limit, the new one (with an RSA key) does not")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [
            "-c",
            "trap '' XFSZ; ulimit -f 2; exec \"$0\" --state \"$1\" -c 'az keyvault key create --vault-name kv1 -n k1 "
                + "-o none'",
            Binary.url.path, state,
        ]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 1, message)
        XCTAssertTrue(message.hasPrefix("ERROR: "), message)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: state + "/world.json")), before, "nothing overwritten")
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: state).filter {
                $0.hasPrefix(".") || $0.contains("tmp")
            }, [], "no temporary file left")
        XCTAssertEqual(try kd("az keyvault key list --vault-name kv1 --query length(@)").stdout, "0\n")
    }
}

/// A state directory keydrill may read but not write, its files read-only too (as root, keydrill
/// is run as `nobody` through setpriv, since root writes anywhere): a change is a clear error,
/// exit 1, and nothing in the directory changes; reading still works.
final class UnwritableDirectoryTests: BinaryTestCase {
    func files() throws -> [String: Data] {
        var out = [String: Data]()
        for name in try FileManager.default.contentsOfDirectory(atPath: state) {
            out[name] = try Data(contentsOf: URL(fileURLWithPath: state + "/" + name))
        }
        return out
    }

    func testAnUnwritableStateDirectoryIsAClearErrorAndNothingChanges() throws {
        XCTAssertEqual(
            try kd(
                "az group create -n rg -l westus -o none",
                "az keyvault create --enable-rbac-authorization false -n kv-ro -g rg -o none",
                "az keyvault key create --vault-name kv-ro -n k1 --kty EC -o none"
            ).exitCode, 0)
        let before = try files()
        XCTAssertNotNil(before["journal.bin"])
        var command = [Binary.url.path]
        if getuid() == 0 {
            let chown = Process()
            chown.executableURL = URL(fileURLWithPath: "/bin/chown")
            chown.arguments = ["-R", "65534:65534", state]
            try chown.run()
            chown.waitUntilExit()
            XCTAssertEqual(chown.terminationStatus, 0)
            command = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] + command
        }
        for name in before.keys { XCTAssertEqual(chmod(state + "/" + name, 0o400), 0) }
        XCTAssertEqual(chmod(state, 0o500), 0)
        defer { chmod(state, 0o700) }
        func run(_ line: String) throws -> (status: Int32, stdout: String, stderr: String) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: command[0])
            p.arguments = Array(command.dropFirst()) + ["--state", state, "-c", line]
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            try p.run()
            let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            return (p.terminationStatus, o, e)
        }
        let write = try run("az group create -n rg2 -l westus -o none")
        XCTAssertEqual(write.status, 1, write.stderr)
        XCTAssertEqual(write.stderr, "ERROR: cannot write in \(state!): Permission denied; nothing was changed\n")
        XCTAssertEqual(try files(), before, "nothing in the directory changed")
        let read = try run("az group list --query [].name -o tsv")
        XCTAssertEqual(read.status, 0, read.stderr)
        XCTAssertEqual(read.stdout, "rg\n")
        // A key read appends an audit record it cannot keep: the read is served, with a warning.
        let show = try run("az keyvault key show --vault-name kv-ro -n k1 --query key.kty -o tsv")
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertEqual(show.stdout, "EC\n")
        XCTAssertTrue(
            show.stderr.hasPrefix("WARNING: the audit record of this command was not kept: cannot write in"),
            show.stderr)
        let list = try run("az keyvault key list --vault-name kv-ro --query [].name -o tsv")
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertEqual(list.stdout, "k1\n")
        XCTAssertEqual(try files(), before, "nothing in the directory changed")
    }
}

/// An entry of the snapshot damaged on disk is found when a command first reads it (entries are
/// read on demand): a clear error, exit 1, nothing written; commands that do not read it work.
final class CorruptEntryTests: BinaryTestCase {
    func testADamagedKeyIsAClearErrorWhenReadAndNothingIsWritten() throws {
        // The first change to an empty directory writes a snapshot, so the key is in the tables file.
        try StateDirectory(path: state).transaction { w in
            try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
            _ = try w.createVault(
                name: "kv-damaged", resourceGroup: "rg", location: nil,
                settings: VaultSettings(enableRbacAuthorization: false), selfPermissions: true
            )
            var spec = KeySpec()
            spec.kty = "EC"
            _ = try w.createKey(vault: "kv-damaged", name: "k1", spec: spec, caller: w.operatorCaller)
        }
        let tables = try XCTUnwrap(
            try FileManager.default.contentsOfDirectory(atPath: state).first { $0.hasPrefix("tables-") })
        var bytes = try Data(contentsOf: URL(fileURLWithPath: state + "/" + tables))
        let at = try XCTUnwrap(bytes.firstRange(of: Data("\"versions\"".utf8))).lowerBound
        bytes[at + 2] ^= 0x20
        try bytes.write(to: URL(fileURLWithPath: state + "/" + tables))
        let before = try FileManager.default.contentsOfDirectory(atPath: state).sorted()

        let show = try kd("az keyvault key show --vault-name kv-damaged -n k1")
        XCTAssertEqual(show.exitCode, 1)
        XCTAssertEqual(show.stdout, "")
        XCTAssertTrue(
            show.stderr.hasPrefix(
                "ERROR: the state directory is corrupt: entry 'kv-damaged/k1' of table keys cannot be read"),
            show.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: state + "/" + tables)), bytes, "nothing overwritten")
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: state).sorted(), before, "no journal written")
        XCTAssertEqual(try kd("az group list --query [].name -o tsv").stdout, "rg\n")
    }
}
