import Cloud
import Foundation

/// One line of a plan's `## Faults`: a fault, or `one of:` several, drawn with the game's seed.
///
///     - key-expired key contoso-kv/orders-key between 2h and 1d
///     - keyVault:denyAccess vault contoso-kv between 1h and 2h for 30m
///     - one of:
///       - key-disabled any key between 2h and 1d
///       - access-removed vault contoso-kv at 6h
public struct FaultSpec: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public let line: Int
        public let indent: Int
        public let text: String
    }

    /// A target as the plan names it: one resource, or `any` of a kind that a consumer uses.
    public enum Selector: Sendable, Equatable, CustomStringConvertible {
        case named(FaultTarget)
        case any(FaultTarget.Kind)

        public var description: String {
            switch self {
            case .named(let t): return t.description
            case .any(let k): return "any \(k.rawValue)"
            }
        }
    }

    public struct Choice: Sendable, Equatable {
        public let line: Int
        public let fault: String
        public let target: Selector
        /// The window, from the game's start.
        public let from: Double
        public let to: Double
        public let duration: Double?
    }

    public let line: Int
    public let choices: [Choice]

    static func parseList(_ items: [Item]) throws -> [FaultSpec] {
        var out = [FaultSpec]()
        var i = 0
        while i < items.count {
            let item = items[i]
            if item.text.trimmingCharacters(in: .whitespaces).lowercased() == "one of:" {
                var choices = [Choice]()
                i += 1
                while i < items.count, items[i].indent > item.indent {
                    choices.append(try parseChoice(items[i]))
                    i += 1
                }
                guard choices.count >= 2 else {
                    throw GameDayPlan.Problem(line: item.line, message: "'one of:' needs two or more indented faults")
                }
                out.append(FaultSpec(line: item.line, choices: choices))
            } else {
                out.append(FaultSpec(line: item.line, choices: [try parseChoice(item)]))
                i += 1
            }
        }
        return out
    }

    static func parseChoice(_ item: Item) throws -> Choice {
        func problem(_ m: String) -> GameDayPlan.Problem { GameDayPlan.Problem(line: item.line, message: m) }
        let words = item.text.split(separator: " ").map(String.init)
        let form = "FAULT TARGET between DURATION and DURATION [for DURATION] (or at DURATION)"
        guard words.count >= 4 else { throw problem("a fault is '\(form)', not '\(item.text)'") }
        guard let definition = FaultDefinition.named(words[0]) else {
            let known = FaultDefinition.catalogue.map(\.name).joined(separator: ", ")
            throw problem("unknown fault '\(words[0])' (the catalogue: \(known))")
        }
        let kind = FaultTarget.Kind(rawValue: words[1])
        var rest = Array(words.dropFirst(3))
        let selector: Selector
        if words[1] == "any" {
            guard let k = FaultTarget.Kind(rawValue: words[2]) else {
                throw problem("'any \(words[2])': a target is any key, any vault, any identity or any namespace")
            }
            selector = .any(k)
        } else if let kind {
            selector = .named(FaultTarget(kind: kind, name: words[2]))
        } else {
            throw problem(
                "'\(words[1])' is not a target: write key VAULT/KEY, vault NAME, identity GROUP/NAME, "
                    + "namespace NAME, or any KIND")
        }
        let targetKind: FaultTarget.Kind
        switch selector {
        case .named(let t): targetKind = t.kind
        case .any(let k): targetKind = k
        }
        guard targetKind == definition.target else {
            throw problem("\(definition.name) acts on a \(definition.target.rawValue), not a \(targetKind.rawValue)")
        }
        if case .named(let t) = selector, t.kind == .key || t.kind == .identity {
            guard t.name.split(separator: "/", omittingEmptySubsequences: false).count == 2 else {
                throw problem("a \(t.kind.rawValue) target is \(t.kind == .key ? "VAULT/KEY" : "GROUP/NAME")")
            }
        }
        func duration(_ text: String) throws -> Double {
            guard let d = World.parseClockDuration(text) else {
                throw problem("'\(text)' is not a duration (as 30m, 2h, 3d)")
            }
            return d
        }
        let from: Double
        let to: Double
        if rest.first == "at", rest.count >= 2 {
            from = try duration(rest[1])
            to = from
            rest.removeFirst(2)
        } else if rest.count >= 4, rest[0] == "between", rest[2] == "and" {
            from = try duration(rest[1])
            to = try duration(rest[3])
            rest.removeFirst(4)
        } else {
            throw problem("a fault is '\(form)', not '\(item.text)'")
        }
        guard from <= to else { throw problem("the window ends before it starts") }
        var length: Double?
        if rest.count == 2, rest[0] == "for" {
            length = try duration(rest[1])
            rest.removeFirst(2)
        }
        guard rest.isEmpty else { throw problem("unexpected '\(rest.joined(separator: " "))' after the window") }
        if definition.takesDuration, length == nil {
            throw problem("\(definition.name) lasts for a duration: add 'for DURATION'")
        }
        if !definition.takesDuration, length != nil {
            throw problem("\(definition.name) has no duration: it stays until the players undo it")
        }
        return Choice(
            line: item.line, fault: definition.name, target: selector, from: from, to: to, duration: length)
    }
}
