import Foundation

/// One kind of resource that encrypts its data with a customer-managed key: the one declaration
/// of it that resource states, blast radius (`impact`), resource lookup and resource-group
/// deletion, `status`, game days and the activity log read. Adding a kind is its folder, its
/// descriptor (a `static let` beside its model) and its entry in `all`; `ConsumerKindTests`
/// fails while a consumer type has no descriptor.
public struct ConsumerKind: Sendable {
    /// Its ARM type, as `ResourceType` spells it.
    public let resourceType: String
    /// How people name one ("PostgreSQL flexible server").
    public let noun: String
    /// Every consumer of this kind, in name order (a kind may list a name twice, the later wins).
    public let members: @Sendable (World) -> [Consumer]
    /// The keys its consumers use, in name order.
    public let keyDependencies: @Sendable (World) -> [KeyDependency]
    /// The id of the consumer of this kind with this name, if there is one.
    public let resourceID: @Sendable (World, _ name: String) -> String?
    /// Removes its consumers in a resource group, as ARM deletes each resource of a deleted group.
    public let deleteAll: @Sendable (inout World, _ resourceGroup: String) -> Void
    /// How its consumers check their keys on the clock.
    let keyCheck: KeyCheck

    /// Every kind, in the order reports list them.
    public static let all: [ConsumerKind] = [.postgresSingleServer, .postgresFlexibleServer, .serviceBusNamespace]

    public static func of(type: String) -> ConsumerKind? {
        all.first { $0.resourceType.lowercased() == type.lowercased() }
    }
}

/// A kind's key check, a scheduled event per consumer (by lowercased name) that the clock runs:
/// how often, what it does, when a run of them is known unchanged (so the clock takes it in one
/// step), and the wraps it would make (prepared together with a tick's other checks).
struct KeyCheck: Sendable {
    let interval: @Sendable (WorldSettings) -> Double
    let run: @Sendable (inout World, _ name: String) -> Void
    /// Nil when the next check's outcome could differ from the last one's.
    let repeats: @Sendable (World, _ name: String) -> (limit: Date?, apply: (inout World, Date, Int, Date) -> Void)?
    let plannedWraps: @Sendable (World, _ name: String) -> [PlannedWrap]
    /// What `clock advance -v` says ran.
    let summary: @Sendable (_ name: String) -> String
}

/// One consumer as every kind describes it.
public struct Consumer: Sendable, Equatable {
    public let id: String
    public let name: String
    public let resourceGroup: String
    public let state: ObservedState
    /// Workload data it holds that a reader could lose (rows, messages).
    public let holdsData: Bool
    /// Its system-assigned identity's principal, when it has one.
    public let systemPrincipalId: String?

    public init(
        id: String, name: String, resourceGroup: String, state: ObservedState, holdsData: Bool,
        systemPrincipalId: String?
    ) {
        self.id = id
        self.name = name
        self.resourceGroup = resourceGroup
        self.state = state
        self.holdsData = holdsData
        self.systemPrincipalId = systemPrincipalId
    }
}

extension World {
    /// Every consumer of every kind.
    public func consumers() -> [Consumer] { ConsumerKind.all.flatMap { $0.members(self) } }
}
