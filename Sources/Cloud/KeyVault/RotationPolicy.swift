import Foundation

/// A key's rotation policy, as Key Vault stores it. Durations stay as the ISO-8601 text the user
/// gave (az prints them back unchanged); they are measured with `AzDuration`.
public struct RotationPolicy: Codable, Sendable, Equatable {
    public struct LifetimeAction: Codable, Sendable, Equatable {
        /// "Rotate" or "Notify".
        public var action: String
        public var timeAfterCreate: String?
        public var timeBeforeExpiry: String?

        public init(action: String, timeAfterCreate: String?, timeBeforeExpiry: String?) {
            self.action = action
            self.timeAfterCreate = timeAfterCreate
            self.timeBeforeExpiry = timeBeforeExpiry
        }
    }

    public var lifetimeActions: [LifetimeAction]
    /// Applied as `expires` to versions the policy or `rotate` creates, never to existing ones.
    public var expiryTime: String?
    public var createdOn: Date?
    public var updatedOn: Date?

    public init(lifetimeActions: [LifetimeAction], expiryTime: String?, createdOn: Date?, updatedOn: Date?) {
        self.lifetimeActions = lifetimeActions
        self.expiryTime = expiryTime
        self.createdOn = createdOn
        self.updatedOn = updatedOn
    }

    /// What Key Vault answers for a key that never had a policy.
    public static let serviceDefault = RotationPolicy(
        lifetimeActions: [LifetimeAction(action: "Notify", timeAfterCreate: nil, timeBeforeExpiry: "P30D")],
        expiryTime: nil, createdOn: nil, updatedOn: nil)
}

/// Key Vault's rules for a policy, from how-to-configure-key-rotation: one trigger per action,
/// at most one Rotate and one Notify, rotation no sooner than 7 days after creation and no later
/// than 7 days before expiry, an expiry of at least 28 days, and expiry-relative triggers only
/// when the policy sets an expiry.
extension RotationPolicy {
    static let minimumRotationSeconds = 7.0 * 86400
    static let minimumExpirySeconds = 28.0 * 86400

    public func validate() throws {
        func bad(_ message: String) -> CloudError { CloudError.badRequest("BadParameter", message) }
        func seconds(_ text: String, _ field: String) throws -> Double {
            guard text.uppercased().hasPrefix("P"), let s = AzDuration.seconds(text), s > 0 else {
                throw bad("Invalid \(field) '\(text)': expected an ISO 8601 duration such as P90D.")
            }
            return s
        }
        var expiry: Double?
        if let e = expiryTime {
            let s = try seconds(e, "expiryTime")
            guard s >= Self.minimumExpirySeconds else {
                throw bad("The expiryTime '\(e)' is shorter than the minimum of 28 days (P28D).")
            }
            expiry = s
        }
        var seen: Set<String> = []
        for a in lifetimeActions {
            guard ["Rotate", "Notify"].contains(a.action) else {
                throw bad("Invalid lifetime action type '\(a.action)': expected Rotate or Notify.")
            }
            guard seen.insert(a.action).inserted else {
                throw bad("A rotation policy can hold only one \(a.action) action.")
            }
            switch (a.timeAfterCreate, a.timeBeforeExpiry) {
            case (let after?, nil):
                let s = try seconds(after, "timeAfterCreate")
                if a.action == "Rotate", s < Self.minimumRotationSeconds {
                    throw bad(
                        "The timeAfterCreate '\(after)' of the Rotate action is shorter than the minimum of 7 days "
                            + "(P7D)."
                    )
                }
                if let expiry, s > expiry - Self.minimumRotationSeconds {
                    throw bad(
                        "The timeAfterCreate '\(after)' must fall at least 7 days before the expiryTime "
                            + "'\(expiryTime!)'."
                    )
                }
            case (nil, let before?):
                let s = try seconds(before, "timeBeforeExpiry")
                guard let expiry else {
                    throw bad(
                        "The \(a.action) action's timeBeforeExpiry needs an expiryTime in the policy's attributes.")
                }
                if s < Self.minimumRotationSeconds || s > expiry - Self.minimumRotationSeconds {
                    throw bad(
                        "The timeBeforeExpiry '\(before)' must be at least 7 days (P7D) and fall at least 7 days "
                            + "after creation within the expiryTime '\(expiryTime!)'."
                    )
                }
            default:
                throw bad("Each lifetime action needs exactly one trigger: timeAfterCreate or timeBeforeExpiry.")
            }
        }
    }

    /// When an action falls due for a version: after its creation, or before its expiry.
    func dueTime(of action: LifetimeAction, for version: KeyVersion) -> Date? {
        if let after = action.timeAfterCreate, let s = AzDuration.seconds(after) {
            return version.created.addingTimeInterval(s)
        }
        if let before = action.timeBeforeExpiry, let s = AzDuration.seconds(before), let exp = version.expires {
            return exp.addingTimeInterval(-s)
        }
        return nil
    }
}
