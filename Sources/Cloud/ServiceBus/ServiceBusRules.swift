import Foundation

/// Service Bus's rules on names and on what a namespace in a given state accepts.
enum ServiceBusRules {
    /// 6-50 characters: letters, digits and hyphens, starting with a letter and ending with a
    /// letter or digit.
    static func validateNamespaceName(_ name: String) throws {
        let ok =
            (6...50).contains(name.count) && name.first!.isLetter && (name.last!.isLetter || name.last!.isNumber)
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        guard ok else {
            throw CloudError.badRequest(
                "BadRequest",
                "The specified namespace name '\(name)' is invalid: use 6-50 letters, numbers and hyphens, starting "
                    + "with a letter and ending with a letter or number."
            )
        }
    }

    /// Premium capacity is counted in messaging units, 1, 2, 4, 8 or 16.
    static let premiumCapacities = [1, 2, 4, 8, 16]

    static func validateCapacity(_ capacity: Int?, sku: String) throws {
        guard let c = capacity else { return }
        guard sku == "Premium", premiumCapacities.contains(c) else {
            throw CloudError.badRequest(
                "BadRequest", "Capacity (messaging units) is 1, 2, 4, 8 or 16, on the Premium tier only.")
        }
    }

    static func validateEntityName(_ name: String) throws {
        let ok =
            (1...260).contains(name.count) && name.first.map { $0.isLetter || $0.isNumber } == true
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._/~".contains($0)) }
        guard ok else {
            throw CloudError.badRequest(
                "BadRequest",
                "The entity name '\(name)' is invalid: use letters, numbers, periods, hyphens, underscores and "
                    + "slashes, starting with a letter or number."
            )
        }
    }

    /// A paired secondary is read-only: the service's exact answer, with a correlation id.
    static func requireNotSecondary(_ ns: ServiceBusNamespace, correlation: String) throws {
        if ns.alias?.role == "Secondary" {
            throw CloudError.badRequest(
                "BadRequest", "Cannot update a namespace which is secondary. CorrelationId: \(correlation)")
        }
    }
}
