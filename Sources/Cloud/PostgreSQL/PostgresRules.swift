import Foundation

/// Single Server's rules on names, sizes and passwords, and on when a server can be touched.
enum PostgresRules {
    /// 3-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen.
    static func validateName(_ name: String) throws {
        let ok =
            (3...63).contains(name.count) && !name.hasPrefix("-") && !name.hasSuffix("-")
            && name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
        guard ok else {
            throw CloudError.badRequest(
                "InvalidServerName",
                "Server name '\(name)' is invalid: use 3-63 lowercase letters, numbers and hyphens, not starting or "
                    + "ending with a hyphen."
            )
        }
    }

    /// 5120 MB minimum in 1024 MB steps; 1 TB on Basic, 16 TB on General Purpose and Memory
    /// Optimized (the storage that supports customer-managed keys).
    static func validateStorage(_ mb: Int, sku: PostgresSku) throws {
        let max = sku.tier == "Basic" ? 1_048_576 : 16_777_216
        guard mb >= 5120, mb <= max, mb % 1024 == 0 else {
            throw CloudError.badRequest(
                "InvalidStorageSize",
                "Storage size \(mb) MB is invalid for \(sku.tier): use 5120 to \(max) MB in 1024 MB increments.")
        }
    }

    static func validateRetention(_ days: Int) throws {
        guard (7...35).contains(days) else {
            throw CloudError.badRequest(
                "InvalidBackupRetentionDays", "Backup retention must be 7 to 35 days; \(days) was given.")
        }
    }

    /// 8-128 characters from three of: upper case, lower case, digits, symbols; not containing
    /// the login name.
    static func validatePassword(_ p: String, login: String) throws {
        let classes = [
            p.contains { $0.isUppercase }, p.contains { $0.isLowercase }, p.contains { $0.isNumber },
            p.contains { !$0.isLetter && !$0.isNumber },
        ].filter { $0 }.count
        guard (8...128).contains(p.count), classes >= 3, login.isEmpty || !p.lowercased().contains(login.lowercased())
        else {
            throw CloudError.badRequest(
                "PasswordNotComplex",
                "The password does not meet policy requirements: 8-128 characters from three of upper case letters, "
                    + "lower case letters, numbers and non-alphanumeric characters, not containing the login name."
            )
        }
    }

    /// Azure: an inaccessible server denies everything but delete (and revalidating its key).
    static func requireAccessible(_ s: PostgresServer, doing what: String) throws {
        guard s.userVisibleState != "Inaccessible" else {
            throw CloudError.badRequest(
                "ServerInaccessible",
                "The server '\(s.name)' is inaccessible because it cannot reach its customer-managed key, so "
                    + "'\(what)' is not allowed. Restore access to the key, then revalidate it ('az postgres server "
                        + "key create' with the same key id, or the portal's Revalidate key). Only delete is allowed "
                            + "meanwhile."
            )
        }
    }
}
