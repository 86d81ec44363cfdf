import ArgumentParser
import Cloud
@preconcurrency import Foundation
import Shell
import Store

/// `keydrill impact`: the blast radius of losing a key, a vault or an identity, read off the
/// world in the state directory; with --simulate, the loss done to a copy of it.
struct ImpactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "impact",
        abstract:
            "Who loses access if a key, a vault or an identity goes: every consumer (servers, namespaces, their "
            + "copies, replicas and geo-DR partners), through which principal and grant, how soon it notices, "
            + "what recovery takes and whether data can be lost for good.")

    @Option(
        help: ArgumentHelp(
            "A key: its identifier (https://VAULT.vault.azure.net/keys/NAME) or VAULT/NAME.",
            valueName: "KEY-ID"))
    var key: String?
    @Option(help: ArgumentHelp("A vault, by name.", valueName: "NAME")) var vault: String?
    @Option(help: ArgumentHelp("A user-assigned identity, by name.", valueName: "NAME")) var identity: String?
    @Option(name: [.customShort("g"), .long], help: ArgumentHelp("The identity's resource group.", valueName: "RG"))
    var resourceGroup: String?
    @Flag(
        help: ArgumentHelp(
            "Apply the loss to a copy of the world, advance its clock past every detection window, print what "
                + "happened; the world is left unchanged."))
    var simulate = false
    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("json or table.", valueName: "FORMAT"))
    var output = "table"
    @OptionGroup var globals: GlobalOptions

    func validate() throws {
        let given = [key, vault, identity].compactMap { $0 }
        guard given.count == 1 else {
            throw ValidationError("give exactly one of --key, --vault and --identity")
        }
        guard ["json", "table"].contains(output) else { throw ValidationError("--output takes json or table") }
        if resourceGroup != nil, identity == nil { throw ValidationError("--resource-group goes with --identity") }
    }

    var loss: LostResource {
        get throws {
            if let vault { return .vault(vault) }
            if let identity { return .identity(resourceGroup: resourceGroup, name: identity) }
            let k = key!
            if let id = KeyIdentifier.parse(k) { return .key(vault: id.vault, name: id.name) }
            let parts = k.split(separator: "/").map(String.init)
            guard parts.count == 2 else {
                throw ValidationError("--key takes a key identifier or VAULT/NAME, not '\(k)'")
            }
            return .key(vault: parts[0], name: parts[1])
        }
    }

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        let loss = try self.loss
        let world: World
        do {
            let store = try StateDirectory(path: StatePaths.directory(explicit: globals.state, environment: env))
            world = try store.load() ?? World.new(now: Date())
        } catch {
            FileHandle.standardError.write(Data("ERROR: \(error)\n".utf8))
            throw ExitCode(1)
        }
        do {
            try Self.checkExists(loss, in: world)
            let entries = world.impact(of: loss)
            let simulation = simulate ? try world.simulate(loss) : nil
            print(output == "json" ? Self.json(entries, simulation) : Self.table(entries, simulation), terminator: "")
        } catch let e as CloudError {
            FileHandle.standardError.write(Data("ERROR: (\(e.code)) \(e.message)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// A name that matches nothing is a mistake, not an empty blast radius.
    static func checkExists(_ loss: LostResource, in world: World) throws {
        switch loss {
        case .key(let vault, let name):
            let v = try world.vault(vault)
            guard v.keys[name.lowercased()] != nil else {
                throw CloudError.notFound(
                    "KeyNotFound", "A key with (name/id) \(name) was not found in this key vault.")
            }
        case .vault(let name): _ = try world.vault(name)
        case .identity(let rg, let name): _ = try world.uniqueIdentity(name, resourceGroup: rg)
        }
    }

    static func json(_ entries: [ImpactEntry], _ simulation: LossSimulation?) -> String {
        struct Out: Encodable {
            let consumers: [ImpactEntry]
            let simulation: LossSimulation?
        }
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        let data = (try? e.encode(Out(consumers: entries, simulation: simulation))) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func table(_ entries: [ImpactEntry], _ simulation: LossSimulation?) -> String {
        var s = ""
        if entries.isEmpty {
            s += "No consumer uses it: nothing loses access.\n"
        } else {
            s += columns(
                [
                    "Consumer", "Relation", "Use", "Principal", "Access", "Loses access", "Notices", "Recovery",
                    "Data at risk",
                ],
                entries.map {
                    [
                        ActivityEvent.shortName($0.consumer), $0.relation, $0.use, $0.principal, $0.access,
                        $0.losesAccess ? "yes" : "no", $0.notice, $0.recovery, $0.dataAtRisk,
                    ]
                })
        }
        if let sim = simulation {
            s +=
                "\nSimulated on a copy of the world: \(sim.applied) at \(AzDate.plain(sim.start)), then the clock "
                + "advanced \(AzDuration.describe(sim.advancedSeconds)). The world is unchanged.\n"
            s +=
                sim.outcomes.isEmpty
                ? "No consumer changed state.\n"
                : columns(
                    ["Consumer", "Before", "After", "Changed at", "Detected after"],
                    sim.outcomes.map {
                        [
                            ActivityEvent.shortName($0.consumer), $0.before, $0.after,
                            $0.changedAt.map(AzDate.plain) ?? "",
                            $0.detectedAfterSeconds.map(AzDuration.describe) ?? "",
                        ]
                    })
        }
        return s
    }

    static func columns(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { i in all.map { $0[i].count }.max()! }
        func line(_ r: [String]) -> String {
            r.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        return
            ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
            + rows.map(line)).joined(separator: "\n") + "\n"
    }
}
