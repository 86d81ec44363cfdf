import Crypto
import Foundation

/// Messages sealed with AES-GCM under the namespace's data key, so sending and receiving prove
/// the data key (and through it a customer-managed key) is usable.
extension World {
    static func messagePayload(_ n: Int) -> Data { Data("keydrill message \(n)".utf8) }

    static func requireDataKey(_ ns: ServiceBusNamespace) throws -> Data {
        guard let key = ns.activeDataKey else {
            throw CloudError.badRequest(
                "EncryptionKeyUnavailable",
                "The namespace '\(ns.name)' cannot reach any of its customer-managed keys, so its entities are "
                    + "unavailable: messages stay stored, encrypted, and become available at the first key poll "
                    + "after access to a key is restored."
            )
        }
        return key
    }

    /// The namespace a client reaches by this name: a namespace, or a geo-DR alias, which
    /// reaches whichever namespace is its primary now (a client's alias connection string).
    func serviceBusEndpoint(_ name: String, resourceGroup: String) -> String {
        guard serviceBusNamespaces[name.lowercased()] == nil else { return name }
        let primary = serviceBusNamespaces.values.first { ns in
            ns.resourceGroup.equalsIgnoringCase(resourceGroup) && ns.alias?.name.equalsIgnoringCase(name) == true
                && ns.alias?.role.hasPrefix("Primary") == true
        }
        return primary?.name ?? name
    }

    /// A namespace in a region that is down answers no data operation.
    func requireRegionUp(_ ns: ServiceBusNamespace) throws {
        guard isDown(ns.location) else { return }
        throw CloudError(
            "ServiceUnavailable",
            "The namespace '\(ns.name)' is unavailable: its region \(ns.location) has an outage. A geo-DR alias can "
                + "fail over to its secondary (az servicebus georecovery-alias fail-over, run on the secondary).",
            status: 503)
    }

    @discardableResult
    public mutating func sendServiceBusMessages(
        namespace given: String, resourceGroup: String, queue: String, count: Int
    ) throws -> Int {
        let namespace = serviceBusEndpoint(given, resourceGroup: resourceGroup)
        var (ns, q) = try serviceBusQueue(namespace: namespace, resourceGroup: resourceGroup, name: queue)
        try requireRegionUp(ns)
        let key = try World.requireDataKey(ns)
        guard (1...Limits.workloadBatch).contains(count) else {
            throw CloudError.badRequest(
                "BadRequest", "--count must be between 1 and \(Limits.workloadBatch) (one batch).")
        }
        let start = (q.messages.last?.sequenceNumber ?? 0) + 1
        var sealer = BatchSealer(key: key)
        for n in start..<(start + count) {
            if (n - start) % 4096 == 4095 { try Interruption.check() }
            q.messages.append(SealedMessage(sequenceNumber: n, sealed: try sealer.seal(World.messagePayload(n))))
        }
        ns.queues[queue.lowercased()] = q
        serviceBusNamespaces[namespace.lowercased()] = ns
        return q.messages.count
    }

    /// Receives (and completes) up to `count` messages, oldest first.
    public mutating func receiveServiceBusMessages(
        namespace given: String, resourceGroup: String, queue: String, count: Int
    ) throws -> (received: Int, verified: Bool) {
        let namespace = serviceBusEndpoint(given, resourceGroup: resourceGroup)
        var (ns, q) = try serviceBusQueue(namespace: namespace, resourceGroup: resourceGroup, name: queue)
        try requireRegionUp(ns)
        let key = try World.requireDataKey(ns)
        guard (1...Limits.workloadBatch).contains(count) else {
            throw CloudError.badRequest(
                "BadRequest", "--count must be between 1 and \(Limits.workloadBatch) (one batch).")
        }
        let taken = Array(q.messages.prefix(count))
        let opening = SymmetricKey(data: key)
        let verified = taken.allSatisfy { m in
            (try? DataKey.open(m.sealed, with: opening)) == World.messagePayload(m.sequenceNumber)
        }
        q.messages.removeFirst(taken.count)
        ns.queues[queue.lowercased()] = q
        serviceBusNamespaces[namespace.lowercased()] = ns
        return (taken.count, verified)
    }
}
