import Cloud
import Foundation
import JMESPath

/// `az group wait`, `az keyvault wait` and `az postgres flexible-server wait`: az's generic
/// waiter (azure-cli-core's wait command), on the virtual clock. It polls every `--interval`
/// seconds until the condition holds or `--timeout` passes; between polls virtual time moves, so
/// scheduled events (a resource group finishing its deletion, a key falling due) happen as they
/// would while az sleeps.
enum WaitCommands {
    static let conditions: [any AnyParam] = [
        P.created, P.deleted, P.updated, P.exists, P.custom, P.interval, P.timeout,
    ]

    /// - Parameter show: the command's getter, as `show` prints the resource (a 404 when missing).
    static func wait(_ world: inout World, _ args: Arguments, show: (World) throws -> JSON) throws -> JSON? {
        let created = args[P.created] == true, deleted = args[P.deleted] == true
        let updated = args[P.updated] == true, exists = args[P.exists] == true
        let custom = try args[P.custom].map { text in
            do { return try JMESPathExpression(text) } catch {
                throw CLIError("argument --custom: invalid jmespath query supplied: \(text)")
            }
        }
        guard created || deleted || updated || exists || custom != nil else {
            throw CLIError("incorrect usage: --created | --updated | --deleted | --exists | --custom JMESPATH")
        }
        let timeout = args[P.timeout] ?? 3600, interval = args[P.interval] ?? 30
        // Python's range(0, timeout, 0) is an error; a negative step would never poll.
        guard interval > 0 else { throw CLIError("--interval must be a positive number of seconds, not \(interval)") }
        let polls = timeout > 0 ? (timeout - 1) / interval + 1 : 0
        let start = world.now
        var poll = 0
        while poll < polls {
            do {
                let instance = try show(world)
                if exists { return nil }
                let state =
                    (instance["provisioningState"].stringValue
                    ?? instance["properties"]["provisioningState"].stringValue)?.lowercased()
                if state == "failed" { throw CLIError("The operation failed") }
                if (created || updated) && state == "succeeded" { return nil }
                if let custom, try custom.search(instance).isTruthy { return nil }
            } catch let e as CloudError where e.status == 404 {
                if deleted { return nil }
                if !(created || exists || custom != nil) { throw e }
            }
            // Nothing changes between two polls unless an event runs: go to the first poll after
            // the next one (or to the end), running every event on the way.
            var next = poll + 1
            if let due = world.scheduler.events.first?.at {
                let after = Int((due.timeIntervalSince(start) / Double(interval)).rounded(.up))
                next = max(next, min(after, polls))
            } else {
                next = polls
            }
            let target = start.addingTimeInterval(Double(next) * Double(interval))
            _ = try world.advanceClock(by: max(0, target.timeIntervalSince(world.now)))
            poll = next
        }
        // az returns (does not raise) its timeout error, which prints as an empty object, exit 0.
        return .object([:])
    }

    static let handlers: [String: Handler] = [
        "group wait": Handler(reads: [P.resourceGroupName] + conditions) { world, args in
            let name = try args.require(P.resourceGroupName)
            return try wait(&world, args) { w in GroupCommands.render(try w.resourceGroup(name), w) }
        },
        "keyvault wait": Handler(reads: [P.vaultName, P.resourceGroupName] + conditions) { world, args in
            let name = try args.require(P.vaultName)
            let rg = args[P.resourceGroupName]
            return try wait(&world, args) { w in KeyVaultCommands.render(try w.vault(name, resourceGroup: rg), w) }
        },
        // A flexible server has no provisioningState: --custom (on `state`), --exists and
        // --deleted are the conditions that can hold, as with az.
        "postgres flexible-server wait": Handler(reads: [P.serverName, P.resourceGroupName] + conditions) {
            world, args in
            let (name, rg) = (try args.required(P.serverName), try args.required(P.resourceGroupName))
            return try wait(&world, args) { w in
                FlexibleServerRendering.render(try w.flexibleServer(name, resourceGroup: rg), w)
            }
        },
    ]
}
