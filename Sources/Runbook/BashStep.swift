import Cloud
import Foundation
import Shell
import Store

#if canImport(Glibc)
import Glibc
#endif

/// Runs a runbook's bash (a `bash`/`sh`/`console` block, or a Learn line using pipes) in real
/// bash, against the run's world: the world goes into a private state directory, an `az` shim
/// (a link to keydrill) goes first on PATH with the runbook's variables exported, and the world
/// bash's `az` calls left comes back into the session. The exit status is bash's.
struct BashStep {
    /// The keydrill executable the shim links to.
    let keydrill: String

    struct Outcome {
        var stdout = ""
        var stderr = ""
        var exitCode: Int32 = 0
    }

    func run(_ script: String, session: Session, environment: [String: String]) -> Outcome {
        var o = Outcome()
        let dir = NSTemporaryDirectory() + "keydrill-bash-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            try FileManager.default.createDirectory(
                atPath: dir + "/bin", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileManager.default.createSymbolicLink(atPath: dir + "/bin/az", withDestinationPath: keydrill)
            let world = session.world
            try StateDirectory(path: dir + "/state").transaction { $0 = world }
        } catch {
            o.stderr = "ERROR: cannot prepare bash's state directory: \(error)\n"
            o.exitCode = 1
            return o
        }
        var env = environment
        for (k, v) in session.variables
        where k.range(of: #"^[A-Za-z_][A-Za-z0-9_]*$"#, options: .regularExpression) != nil {
            env[k] = v
        }
        env["PATH"] = dir + "/bin:" + (environment["PATH"] ?? "/usr/bin:/bin")
        env["KEYDRILL_STATE"] = dir + "/state"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        // -e: the block stops at its first failing command, as a CI step does.
        p.arguments = ["-e", "-c", script]
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch {
            o.stderr = "ERROR: cannot run bash: \(error)\n"
            o.exitCode = 127
            return o
        }
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        o.stdout = String(decoding: outData, as: UTF8.self)
        o.stderr = String(decoding: errData, as: UTF8.self)
        o.exitCode = p.terminationReason == .uncaughtSignal ? 128 + p.terminationStatus : p.terminationStatus
        do {
            // Decoded whole, so nothing reads the private directory once it is gone.
            guard let left = try StateDirectory(path: dir + "/state").load() else { return o }
            let data = try JSONEncoder().encode(left)
            try session.adopt(world: try JSONDecoder().decode(World.self, from: data))
        } catch {
            o.stderr += "ERROR: cannot read back the world bash left: \(error)\n"
            o.exitCode = 1
        }
        return o
    }
}
