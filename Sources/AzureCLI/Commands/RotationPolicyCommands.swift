import Cloud
import Foundation
import JMESPath
import OrderedCollections

/// `az keyvault key rotation-policy show | update`.
enum RotationPolicyCommands {
    static let handlers: [String: Handler] = [
        "keyvault key rotation-policy show": Handler(reads: [P.vaultBaseUrl, P.identifier, P.keyName]) {
            world, args in
            let t = try KeyCommands.target(args)
            let (v, policy) = try world.getRotationPolicy(vault: t.vault, name: t.name!, caller: world.operatorCaller)
            return render(policy, id: "\(v.kid(t.name!))/rotationpolicy")
        },
        "keyvault key rotation-policy update": Handler(reads: [P.vaultBaseUrl, P.identifier, P.keyName, P.value])
        { world, args in
            let t = try KeyCommands.target(args)
            guard let document = try args.jsonDocument(P.value) else {
                throw CLIError("the following arguments are required: --value")
            }
            let policy = try parse(document)
            let (v, stored) = try world.setRotationPolicy(
                vault: t.vault, name: t.name!, policy: policy, caller: world.operatorCaller)
            return render(stored, id: "\(v.kid(t.name!))/rotationpolicy")
        },
    ]

    /// az flattens the wire shape: each action becomes {action, timeAfterCreate, timeBeforeExpiry}
    /// and the attributes become createdOn / expiresIn / updatedOn.
    static func render(_ p: RotationPolicy, id: String) -> JSON {
        .object([
            ("createdOn", p.createdOn.map { .string(AzDate.sdk($0)) }),
            ("expiresIn", .string(p.expiryTime)),
            ("id", .string(id)),
            (
                "lifetimeActions",
                .array(
                    p.lifetimeActions.map { a in
                        .object([
                            ("action", .string(a.action)), ("timeAfterCreate", .string(a.timeAfterCreate)),
                            ("timeBeforeExpiry", .string(a.timeBeforeExpiry)),
                        ])
                    })
            ),
            ("updatedOn", p.updatedOn.map { .string(AzDate.sdk($0)) }),
        ])
    }

    /// The policy file in Key Vault's wire shape (camelCase, or the snake_case az also reads).
    /// Unknown fields are refused rather than dropped.
    static func parse(_ doc: JSON) throws -> RotationPolicy {
        func fail(_ why: String) -> CLIError { CLIError("Invalid rotation policy for --value: \(why)") }
        func field(_ o: OrderedDictionary<String, JSON>, _ names: String...) -> JSON? {
            for n in names { if let v = o[n], !v.isNull { return v } }
            return nil
        }
        func checkKeys(_ o: OrderedDictionary<String, JSON>, _ allowed: Set<String>, _ place: String) throws {
            if let k = o.keys.first(where: { !allowed.contains($0) }) {
                throw fail("unknown field '\(k)' in \(place).")
            }
        }
        guard let root = doc.objectValue else { throw fail("expected a JSON object.") }
        try checkKeys(root, ["lifetimeActions", "lifetime_actions", "attributes", "id"], "the policy")
        var actions: [RotationPolicy.LifetimeAction] = []
        if let list = field(root, "lifetimeActions", "lifetime_actions") {
            guard let items = list.arrayValue else { throw fail("lifetimeActions must be an array.") }
            for item in items {
                guard let o = item.objectValue else { throw fail("each lifetime action must be an object.") }
                try checkKeys(o, ["trigger", "action"], "a lifetime action")
                let trigger = field(o, "trigger")?.objectValue ?? OrderedDictionary<String, JSON>()
                try checkKeys(
                    trigger, ["timeAfterCreate", "time_after_create", "timeBeforeExpiry", "time_before_expiry"],
                    "a trigger")
                let type: String?
                if let a = field(o, "action")?.objectValue {
                    try checkKeys(a, ["type"], "an action")
                    type = field(a, "type")?.stringValue
                } else {
                    type = field(o, "action")?.stringValue
                }
                guard let type else { throw fail("each lifetime action needs an action type (Rotate or Notify).") }
                let normalized = ["rotate": "Rotate", "notify": "Notify"][type.lowercased()] ?? type
                actions.append(
                    .init(
                        action: normalized,
                        timeAfterCreate: field(trigger, "timeAfterCreate", "time_after_create")?.stringValue,
                        timeBeforeExpiry: field(trigger, "timeBeforeExpiry", "time_before_expiry")?.stringValue))
            }
        }
        var expiry: String?
        if let attributes = field(root, "attributes") {
            guard let o = attributes.objectValue else { throw fail("attributes must be an object.") }
            try checkKeys(o, ["expiryTime", "expiry_time", "created", "updated"], "attributes")
            expiry = field(o, "expiryTime", "expiry_time")?.stringValue
        }
        return RotationPolicy(lifetimeActions: actions, expiryTime: expiry, createdOn: nil, updatedOn: nil)
    }
}
