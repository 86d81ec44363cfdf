import ArgumentParser
import AzureCLI
import Cloud
import JMESPath
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
    @Option(
        name: [.customLong("vault-name"), .customLong("vault")],
        help: ArgumentHelp("A vault, by name.", valueName: "NAME"))
    var vault: String?
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
        guard ["json", "table"].contains(output) else { throw ValidationError("--output takes json or table") }
        do { _ = try loss } catch let e as Impact.Failure { throw ValidationError(e.description) }
    }

    var loss: LostResource {
        get throws { try Impact.loss(key: key, vault: vault, identity: identity, resourceGroup: resourceGroup) }
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
            if output == "json" {
                print(try Impact.report(world, loss, simulate: simulate).serialized(.az))
                return
            }
            try world.requireExists(loss)
            print(Self.table(world.impact(of: loss), simulate ? try world.simulate(loss) : nil), terminator: "")
        } catch let e as CloudError {
            FileHandle.standardError.write(Data("ERROR: (\(e.code)) \(e.message)\n".utf8))
            throw ExitCode(1)
        }
    }

    static func table(_ entries: [ImpactEntry], _ simulation: LossSimulation?) -> String {
        var s = ""
        if entries.isEmpty {
            s += "No consumer uses it: nothing loses access.\n"
        } else {
            s += columns(
                entries.map {
                    [
                        ("Consumer", ActivityEvent.shortName($0.consumer)), ("Relation", $0.relation), ("Use", $0.use),
                        ("Principal", $0.principal), ("Access", $0.access),
                        ("Loses access", $0.losesAccess ? "yes" : "no"), ("Notices", $0.notice),
                        ("Recovery", $0.recovery), ("Data at risk", $0.dataAtRisk),
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
                    sim.outcomes.map {
                        [
                            ("Consumer", ActivityEvent.shortName($0.consumer)), ("Before", $0.before),
                            ("After", $0.after), ("Changed at", $0.changedAt.map(AzDate.plain) ?? ""),
                            ("Detected after", $0.detectedAfterSeconds.map(AzDuration.describe) ?? ""),
                        ]
                    })
        }
        return s
    }

    /// Rows as az's `-o table` prints them (the same formatter), columns in the order given.
    static func columns(_ rows: [[(String, String)]]) -> String {
        OutputFormatter.render(
            .array(rows.map { .object($0.map { ($0.0, JSON.string($0.1)) }) }), as: .table, queryActive: true)
    }
}
