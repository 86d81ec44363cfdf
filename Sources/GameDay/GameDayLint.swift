import Cloud
import Foundation
import Runbook
import Shell

/// A plan checked without playing it: its lines against the command table, then its world
/// built, its steady state green, and every fault a draw could pick (each alternative, each
/// `any`) aimed at something that exists, inside the game's budget.
public enum GameDayLint {
    public static func check(_ path: String) -> [GameDayPlan.Problem] {
        let plan: GameDayPlan
        do { plan = try GameDayPlan.load(path) } catch let p as GameDayPlan.Problem {
            return [p]
        } catch {
            return [GameDayPlan.Problem(line: 0, message: "\(error)")]
        }
        guard let doc = plan.document else { return [] }
        var problems = RunbookLint.check(doc, variables: plan.variables).problems.map {
            GameDayPlan.Problem(line: $0.line, message: $0.message)
        }
        guard problems.isEmpty else { return problems }
        do {
            let (world, vars) = try GameMaster.build(plan)
            let probes = plan.probes.map { GameProbe(name: $0.name, lines: $0.lines.map(\.text)) }
            for r in GamePlay.evaluate(world, probes, vars) where !r.passed {
                let line = plan.probes.first { $0.name == r.probe }?.heading ?? 0
                problems.append(
                    .init(line: line, message: "probe '\(r.probe)' is red before any fault: \(r.failure ?? "")"))
            }
            for spec in plan.faults {
                for c in spec.choices {
                    switch c.target {
                    case .named(let t):
                        do { try world.requireTarget(t, line: c.line) } catch let p as GameDayPlan.Problem {
                            problems.append(p)
                        }
                    case .any(let kind):
                        if world.consumerTargets(kind).isEmpty {
                            problems.append(
                                .init(
                                    line: c.line, message: "'any \(kind.rawValue)': no consumer in the world uses one"))
                        }
                    }
                }
            }
        } catch let p as GameDayPlan.Problem {
            problems.append(p)
        } catch {
            problems.append(.init(line: 0, message: "\(error)"))
        }
        return problems
    }
}
