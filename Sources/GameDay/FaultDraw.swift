import Cloud
import Foundation

/// The seeded draw: which alternative of each `one of:`, which resource for `any`, and when in
/// each window. The same plan, seed and world always draw the same faults.
struct FaultDraw {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// SplitMix64: small, fast, and the same on every machine.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

    /// Draws every spec's fault, in plan order, against the world the players defend.
    static func draw(_ specs: [FaultSpec], seed: UInt64, world: World, start: Date) throws -> [DrawnFault] {
        var rng = FaultDraw(seed: seed)
        var out = [DrawnFault]()
        for spec in specs {
            let choice = spec.choices[rng.below(spec.choices.count)]
            let target: FaultTarget
            switch choice.target {
            case .named(let t):
                try world.requireTarget(t, line: choice.line)
                target = t
            case .any(let kind):
                let candidates = world.consumerTargets(kind)
                guard !candidates.isEmpty else {
                    throw GameDayPlan.Problem(
                        line: choice.line, message: "'any \(kind.rawValue)': no consumer in the world uses one")
                }
                target = candidates[rng.below(candidates.count)]
            }
            // Whole minutes, so a briefing's and a report's times read cleanly.
            let minutes = Int((choice.to - choice.from) / 60)
            let offset = choice.from + Double(rng.below(minutes + 1) * 60)
            out.append(
                DrawnFault(
                    fault: choice.fault, target: target, at: start.addingTimeInterval(offset),
                    durationSeconds: choice.duration))
        }
        return out
    }
}

extension World {
    /// Every resource of a kind that some consumer reads its key through, in a stable order.
    func consumerTargets(_ kind: FaultTarget.Kind) -> [FaultTarget] {
        let deps = keyDependencies()
        var names = Set<String>()
        for d in deps {
            switch kind {
            case .key: names.insert("\(d.vault)/\(d.key)")
            case .vault: names.insert(d.vault)
            case .namespace:
                guard d.consumerType == ResourceType.namespace,
                    let ns = serviceBusNamespaces.values.first(where: { serviceBusNamespaceID($0) == d.consumer })
                else { continue }
                names.insert(ns.name)
            case .identity:
                guard let id = d.identity, let i = identities.values.first(where: { identityID($0) == id }) else {
                    continue
                }
                names.insert("\(i.resourceGroup)/\(i.name)")
            }
        }
        return names.sorted().map { FaultTarget(kind: kind, name: $0) }
    }

    func requireTarget(_ t: FaultTarget, line: Int) throws {
        func missing(_ what: String) -> GameDayPlan.Problem {
            GameDayPlan.Problem(line: line, message: "\(t): \(what) does not exist in the plan's world")
        }
        switch t.kind {
        case .vault:
            guard vaults[t.name.lowercased()] != nil else { throw missing("the vault") }
        case .key:
            let parts = t.name.split(separator: "/").map { String($0).lowercased() }
            guard vaults[parts[0]]?.keys[parts[1]] != nil else { throw missing("the key") }
        case .identity:
            let parts = t.name.split(separator: "/").map { String($0).lowercased() }
            guard identities["\(parts[0])/\(parts[1])"] != nil else { throw missing("the identity") }
        case .namespace:
            guard serviceBusNamespaces[t.name.lowercased()] != nil else { throw missing("the namespace") }
        }
    }
}
