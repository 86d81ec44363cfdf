import Cloud
import Foundation
import JMESPath

/// The blast radius of losing a key, a vault or an identity, as `impact` at the prompt and
/// `keydrill impact` both give it: who loses access, how soon, how each comes back; with
/// `--simulate`, the loss done to a copy of the world.
public enum Impact {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// What is lost, from az's option names: `--key` (an identifier or VAULT/NAME),
    /// `--vault-name`, or `--identity` with its `--resource-group`.
    public static func loss(
        key: String?, vault: String?, identity: String?, resourceGroup: String?
    ) throws
        -> LostResource
    {
        guard [key, vault, identity].compactMap({ $0 }).count == 1 else {
            throw Failure(description: "give exactly one of --key, --vault-name and --identity")
        }
        if resourceGroup != nil, identity == nil {
            throw Failure(description: "--resource-group goes with --identity")
        }
        if let vault { return .vault(vault) }
        if let identity { return .identity(resourceGroup: resourceGroup, name: identity) }
        if let id = KeyIdentifier.parse(key!) { return .key(vault: id.vault, name: id.name) }
        let parts = key!.split(separator: "/").map(String.init)
        guard parts.count == 2 else {
            throw Failure(description: "--key takes a key identifier or VAULT/NAME, not '\(key!)'")
        }
        return .key(vault: parts[0], name: parts[1])
    }

    /// The report as JSON: `consumers`, and `simulation` when asked for.
    public static func report(_ world: World, _ loss: LostResource, simulate: Bool) throws -> JSON {
        try world.requireExists(loss)
        struct Out: Encodable {
            let consumers: [ImpactEntry]
            let simulation: LossSimulation?
        }
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        let data = try e.encode(
            Out(consumers: world.impact(of: loss), simulation: simulate ? world.simulate(loss) : nil))
        return try JSON.parse(String(decoding: data, as: UTF8.self))
    }
}

extension Builtins {
    /// `impact --key ID | --vault-name NAME | --identity NAME [-g RG] [--simulate]`, as JSON.
    static func impact(_ s: Session, _ words: [String]) -> LineOutcome {
        var options = [String: String]()
        var simulate = false
        var i = 0
        while i < words.count {
            switch words[i] {
            case "--simulate": simulate = true
            case "--key", "--vault-name", "--identity", "--resource-group", "-g":
                guard i + 1 < words.count else { return usage("impact: \(words[i]) needs a value") }
                options[words[i] == "-g" ? "--resource-group" : words[i]] = words[i + 1]
                i += 1
            default:
                return usage(
                    "usage: impact --key ID | --vault-name NAME | --identity NAME [-g RG] [--simulate] "
                        + "(not '\(words[i])')")
            }
            i += 1
        }
        do {
            let loss = try Impact.loss(
                key: options["--key"], vault: options["--vault-name"], identity: options["--identity"],
                resourceGroup: options["--resource-group"])
            let doc = try Impact.report(s.world, loss, simulate: simulate)
            var o = LineOutcome()
            o.stdout = doc.serialized(.az) + "\n"
            s.setLastValue(doc)
            return o
        } catch let e as Impact.Failure {
            return usage("impact: \(e.description)")
        } catch let e as CloudError {
            return failure("ERROR: (\(e.code)) \(e.message)")
        } catch {
            return failure("ERROR: \(error)")
        }
    }
}
