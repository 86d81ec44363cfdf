import Cloud
import XCTest

@testable import GameDay

final class GameDayPlanTests: XCTestCase {
    static let plan = """
        ---
        kind: gameday
        budget: 1d
        probe-every: 10m
        hold: 1h
        seed: 42
        variables:
          RG: rg
        ---
        # A plan

        ## World

        ```keydrill
        az group create -n $RG -l eastus -o none
        ```

        ## Probe: the group exists

        ```keydrill
        az group show -n $RG
        ```

        ## Briefing

        Defend the group.

        ## Faults

        - key-disabled key kvgame/k between 1h and 2h
        - one of:
          - vault-deleted vault kvgame at 3h
          - keyVault:denyAccess vault kvgame between 1h and 6h for 30m

        ## Rubric

        - detect within 30m: 25
        - key-purged: -150
        - reveal: -5
        """

    func testAPlanReadsItsSectionsFrontMatterFaultsAndRubric() throws {
        let p = try GameDayPlan.parse(Self.plan)
        XCTAssertEqual(p.title, "A plan")
        XCTAssertEqual(p.world.map(\.text), ["az group create -n $RG -l eastus -o none"])
        XCTAssertEqual(p.probes.map(\.name), ["the group exists"])
        XCTAssertEqual([p.budgetSeconds, p.probeIntervalSeconds, p.holdSeconds], [86400, 600, 3600])
        XCTAssertEqual(p.seed, 42)
        XCTAssertEqual(p.variables, ["RG": "rg"])
        XCTAssertTrue(p.briefing.contains("Defend the group."))
        XCTAssertEqual(p.faults.count, 2)
        XCTAssertEqual(p.faults[0].choices.map(\.fault), ["key-disabled"])
        XCTAssertEqual(p.faults[1].choices.map(\.fault), ["vault-deleted", "keyVault:denyAccess"])
        XCTAssertEqual(p.faults[1].choices[0].from, 3 * 3600)
        XCTAssertEqual(p.faults[1].choices[0].to, 3 * 3600)
        XCTAssertEqual(p.faults[1].choices[1].duration, 1800)
        XCTAssertEqual(p.rubric.detectWithinSeconds, 1800)
        XCTAssertEqual(p.rubric.detectPoints, 25)
        XCTAssertEqual(p.rubric.harmPenalties["key-purged"], 150)
        XCTAssertEqual(p.rubric.revealPenalty, 5)
        XCTAssertEqual(p.rubric.recoverPoints, GameRubric().recoverPoints)
    }

    func testEachFaultInTheCatalogueHasAUniqueNameAndSaysWhatRecoveredMeans() {
        let names = FaultDefinition.catalogue.map(\.name)
        XCTAssertEqual(Set(names).count, names.count)
        for f in FaultDefinition.catalogue {
            XCTAssertFalse(f.summary.isEmpty, f.name)
            XCTAssertFalse(f.recovered.isEmpty, f.name)
        }
    }

    func testARubricItemItDoesNotKnowIsRefusedWithItsLine() {
        let text = Self.plan.replacingOccurrences(of: "- reveal: -5", with: "- speed bonus: 10")
        XCTAssertThrowsError(try GameDayPlan.parse(text)) { error in
            let p = error as? GameDayPlan.Problem
            XCTAssertEqual(p?.line, 39)
            XCTAssertTrue(p?.message.contains("unknown rubric item 'speed bonus'") ?? false, "\(error)")
        }
    }

    func testABashBlockIsRefused() {
        let text = Self.plan.replacingOccurrences(of: "```keydrill\naz group create", with: "```bash\naz group create")
        XCTAssertThrowsError(try GameDayPlan.parse(text)) { error in
            XCTAssertTrue("\(error)".contains("a bash block would run on the host"), "\(error)")
        }
    }

    func testTheDrawIsTheSameForTheSameSeedAndFallsInsideEachWindow() throws {
        let p = try GameDayPlan.parse(Self.plan)
        var world = World.new(now: Date(timeIntervalSince1970: 1_767_225_600))
        _ = try world.createResourceGroup(name: "rg", location: "eastus", tags: nil, managedBy: nil)
        _ = try world.createVault(
            name: "kvgame", resourceGroup: "rg", location: "eastus",
            settings: VaultSettings(enableRbacAuthorization: false),
            selfPermissions: true)
        _ = try world.createKey(vault: "kvgame", name: "k", spec: KeySpec(), caller: world.operatorCaller)
        let start = world.now
        var seen = Set<String>()
        for seed in UInt64(0)..<40 {
            let a = try FaultDraw.draw(p.faults, seed: seed, world: world, start: start)
            let b = try FaultDraw.draw(p.faults, seed: seed, world: world, start: start)
            XCTAssertEqual(a, b)
            let offset = a[0].at.timeIntervalSince(start)
            XCTAssertTrue((3600...7200).contains(offset), "\(offset)")
            XCTAssertEqual(offset.truncatingRemainder(dividingBy: 60), 0)
            seen.insert(a[1].fault)
        }
        XCTAssertEqual(seen, ["vault-deleted", "keyVault:denyAccess"], "both alternatives are drawn over seeds")
    }
}
