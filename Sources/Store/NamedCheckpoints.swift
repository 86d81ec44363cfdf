import Cloud
import Foundation

/// The shell's `checkpoint NAME` / `rewind NAME`, kept in the state directory
/// (`checkpoints/NAME.json`, mode 0600) so they outlive the process, as run records do.
public struct NamedCheckpoints {
    public struct Saved: Codable, Sendable {
        public let world: World
        public let variables: [String: String]
    }

    let directory: String

    public init(stateDirectory: String) { directory = stateDirectory + "/checkpoints" }

    /// A name is a file name: letters, digits, `.`, `_` and `-`, not starting with a dot.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100 && name.first != "."
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }

    private var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .secondsSince1970
        return e
    }

    public func save(_ name: String, world: World, variables: [String: String]) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError("cannot create \(directory): \(StateDirectory.reason(error))")
        }
        try AtomicFile.write(
            try encoder.encode(Saved(world: world, variables: variables)), to: "\(directory)/\(name).json")
    }

    public func load(_ name: String) throws -> Saved? {
        let path = "\(directory)/\(name).json"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let d = JSONDecoder()
        d.dateDecodingStrategy = .secondsSince1970
        do {
            return try d.decode(Saved.self, from: try StateDirectory.readPrivateFile(path))
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError("the checkpoint \(path) cannot be read (\(error)); remove it or save it again")
        }
    }

    public var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".json") && !$0.contains(".tmp-") }.map { String($0.dropLast(5)) }.sorted()
    }
}
