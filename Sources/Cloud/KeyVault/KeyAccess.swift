import Foundation

/// Every key operation Key Vault knows, with the access-policy permission it needs and the name
/// its AuditEvent log gives it.
public enum KeyOperation: String, Sendable, CaseIterable {
    case get, list, listVersions, create, update, delete, recover, purge, rotate
    case encrypt, decrypt, wrapKey, unwrapKey, sign, verify
    case getRotationPolicy, setRotationPolicy, listDeleted, getDeleted
    case backup, restore, `import`

    public var permission: String {
        switch self {
        case .list, .listVersions, .listDeleted: return "list"
        case .getDeleted: return "get"
        case .getRotationPolicy: return "getrotationpolicy"
        case .setRotationPolicy: return "setrotationpolicy"
        default: return rawValue
        }
    }

    public var auditName: String {
        switch self {
        case .get: return "KeyGet"
        case .list: return "KeyList"
        case .listVersions: return "KeyListVersions"
        case .create: return "KeyCreate"
        case .update: return "KeyUpdate"
        case .delete: return "KeyDelete"
        case .recover: return "KeyRecover"
        case .purge: return "KeyPurge"
        case .rotate: return "KeyRotate"
        case .encrypt: return "KeyEncrypt"
        case .decrypt: return "KeyDecrypt"
        case .wrapKey: return "KeyWrap"
        case .unwrapKey: return "KeyUnwrap"
        case .sign: return "KeySign"
        case .verify: return "KeyVerify"
        case .getRotationPolicy: return "KeyGetRotationPolicy"
        case .setRotationPolicy: return "KeySetRotationPolicy"
        case .listDeleted: return "KeyListDeleted"
        case .getDeleted: return "KeyGetDeleted"
        case .backup: return "KeyBackup"
        case .restore: return "KeyRestore"
        case .import: return "KeyImport"
        }
    }

    /// Operations that use the key material: they need the version enabled, inside its dates and
    /// allowed by its key_ops.
    public var usesKeyMaterial: Bool { [.encrypt, .decrypt, .wrapKey, .unwrapKey, .sign, .verify].contains(self) }

    /// Key Vault still allows these outside notBefore..expires, so data sealed earlier can be
    /// read back.
    public var allowedOutsideValidity: Bool { [.decrypt, .unwrapKey, .verify].contains(self) }
}

extension World {
    /// CONTRIBUTING.md rule 1, the one access path: every use of a key, by anyone, goes through here.
    /// In order: the vault exists and is not deleted; its network rules let the caller in; the
    /// caller holds the permission (access policy or RBAC role, by the vault's mode); the key
    /// exists, is not deleted, is enabled, is inside its dates and allows the operation; then the
    /// operation runs, and an audit record is written whether it succeeded or not.
    public mutating func accessKey<T>(
        vault vaultName: String, key keyName: String?, version: String?, operation: KeyOperation, caller: Caller,
        perform: (inout Vault, KeyVersion?) throws -> (result: T, version: String?)
    ) throws -> T {
        var auditVersion = version
        do {
            guard var vault = vaults[vaultName.lowercased()] else {
                throw CloudError(
                    "VaultNotFound",
                    "The vault '\(vaultName)' cannot be reached: no vault answers at "
                        + "https://\(vaultName.lowercased()).vault.azure.net (it does not exist or is deleted).",
                    status: 503)
            }
            if !caller.isKeyVaultService {
                try checkNetwork(vault, caller)
                try checkPermission(vault, caller, operation)
            }
            var target: KeyVersion?
            let needsNoKey: [KeyOperation] = [
                .create, .recover, .purge, .getDeleted, .list, .listDeleted, .restore, .import,
            ]
            if let keyName, !needsNoKey.contains(operation) {
                guard let key = vault.keys[keyName.lowercased()] else {
                    throw keyNotFound(vault, keyName, version)
                }
                guard let v = key.version(version) else { throw keyNotFound(vault, keyName, version) }
                target = v
                auditVersion = v.version
                if operation.usesKeyMaterial { try checkUsable(v, operation) }
            }
            let (result, usedVersion) = try perform(&vault, target)
            vaults[vaultName.lowercased()] = vault
            writeAudit(
                AuditRecord(
                    time: now, vault: vault.name, key: keyName, version: usedVersion ?? auditVersion,
                    operation: operation.auditName, principal: caller.objectId, caller: caller.name, result: "Success"))
            return result
        } catch let e as CloudError {
            writeAudit(
                AuditRecord(
                    time: now, vault: vaults[vaultName.lowercased()]?.name ?? vaultName, key: keyName,
                    version: auditVersion,
                    operation: operation.auditName, principal: caller.objectId, caller: caller.name,
                    result: e.innerCode ?? e.code))
            throw e
        }
    }

    func keyNotFound(_ vault: Vault, _ name: String, _ version: String?) -> CloudError {
        CloudError.notFound(
            "KeyNotFound",
            "A key with (name/id) \(name)\(version.map { "/\($0)" } ?? "") was not found in this key vault. If you "
                + "recently deleted this key you may be able to recover it using the correct recovery command. For "
                + "help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182"
        )
    }

    func callerDescription(_ caller: Caller) -> String {
        // The operator signs in through az's own application id.
        let appID = caller.isTrustedService ? caller.objectId : "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
        return "appid=\(appID);oid=\(caller.objectId);iss=https://sts.windows.net/\(subscription.tenantId)/"
    }

    /// Firewall rules guard the data plane only. Trusted Azure services pass with bypass
    /// AzureServices; the operator passes only from an allowed address.
    func checkNetwork(_ vault: Vault, _ caller: Caller) throws {
        let trustedBypass = caller.isTrustedService && (vault.networkAcls?.bypass ?? "AzureServices") == "AzureServices"
        if vault.publicNetworkAccess == "Disabled", !trustedBypass {
            throw CloudError(
                "Forbidden",
                "Public network access is disabled and request is not from a trusted service nor via an approved "
                    + "private link.\nCaller: \(callerDescription(caller))\nVault: "
                    + "\(vault.name);location=\(vault.location)",
                status: 403, innerCode: "ForbiddenByConnection")
        }
        guard let acls = vault.networkAcls, acls.defaultAction == "Deny", !trustedBypass else { return }
        let address = caller.isTrustedService ? "AzureServices" : settings.operatorAddress
        if !caller.isTrustedService, acls.ipRules.contains(where: { IPRange.contains($0, address) }) { return }
        throw CloudError(
            "Forbidden",
            "Client address is not authorized and caller is not a trusted service.\nClient address: "
                + "\(address)\nCaller: \(callerDescription(caller))\nVault: \(vault.name);location=\(vault.location)",
            status: 403, innerCode: "ForbiddenByFirewall")
    }

    func checkPermission(_ vault: Vault, _ caller: Caller, _ operation: KeyOperation) throws {
        if vault.enableRbacAuthorization {
            guard
                effectiveRoleActions(principal: caller.objectId, vault: vault).contains(where: { $0.allows(operation) })
            else {
                throw CloudError(
                    "Forbidden",
                    "Caller is not authorized to perform action on resource.\r\nIf role assignments, deny "
                        + "assignments or role definitions were changed recently, please observe propagation "
                        + "time.\r\nCaller: \(callerDescription(caller))\r\nAction: "
                        + "'\(operation.rbacDataAction)'\r\nResource: "
                        + "'\(vaultID(vault).lowercased())/keys/'\r\nAssignment: (not found)\r\nVault: "
                        + "\(vault.name);location=\(vault.location)\r\n",
                    status: 403, innerCode: "ForbiddenByRbac")
            }
            return
        }
        // "all" grants every key permission except purge, which is never granted implicitly.
        let permission = operation.permission
        var allowed = false
        for p in vault.accessPolicies(of: caller.objectId) {
            if let keys = p.keys, keys.contains(permission) || (operation != .purge && keys.contains("all")) {
                allowed = true; break
            }
        }
        guard allowed else {
            throw CloudError(
                "Forbidden",
                "The user, group or application '\(callerDescription(caller))' does not have keys "
                    + "\(operation.permission) permission on key vault '\(vault.name);location=\(vault.location)'. "
                    + "For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287",
                status: 403, innerCode: "AccessDenied")
        }
    }

    func checkUsable(_ v: KeyVersion, _ operation: KeyOperation) throws {
        guard v.enabled else {
            throw CloudError(
                "Forbidden", "Operation \(operation.permission) is not allowed on a disabled key.", status: 403,
                innerCode: "KeyDisabled")
        }
        if !operation.allowedOutsideValidity {
            if let nbf = v.notBefore, nbf > now {
                throw CloudError(
                    "Forbidden",
                    "Operation \(operation.permission) is not allowed on a key that is not yet valid (not before "
                        + "\(AzDate.sdk(nbf))).",
                    status: 403, innerCode: "KeyNotYetValid")
            }
            if let exp = v.expires, exp <= now {
                throw CloudError(
                    "Forbidden",
                    "Operation \(operation.permission) is not allowed on an expired key (expired \(AzDate.sdk(exp))).",
                    status: 403, innerCode: "KeyExpired")
            }
        }
        guard v.keyOps.contains(operation.permission) else {
            throw CloudError(
                "Forbidden",
                "Operation \(operation.permission) is not permitted by this key's key_ops "
                    + "(\(v.keyOps.joined(separator: ", "))).",
                status: 403, innerCode: "OperationNotAllowed")
        }
    }
}

extension KeyOperation {
    /// The RBAC data action an operation needs, as Azure's resource provider operations name
    /// them: reading a key, its versions or a deleted key are all `keys/read`; recovering and
    /// purging are actions on keys; rotation policies have data actions of their own.
    public var rbacDataAction: String {
        let v = "Microsoft.KeyVault/vaults/"
        switch self {
        case .get, .list, .listVersions, .listDeleted, .getDeleted: return v + "keys/read"
        case .encrypt: return v + "keys/encrypt/action"
        case .decrypt: return v + "keys/decrypt/action"
        case .wrapKey: return v + "keys/wrap/action"
        case .unwrapKey: return v + "keys/unwrap/action"
        case .sign: return v + "keys/sign/action"
        case .verify: return v + "keys/verify/action"
        case .create: return v + "keys/create/action"
        case .update: return v + "keys/update/action"
        case .delete: return v + "keys/delete"
        case .rotate: return v + "keys/rotate/action"
        case .getRotationPolicy: return v + "keyrotationpolicies/read"
        case .setRotationPolicy: return v + "keyrotationpolicies/write"
        case .recover: return v + "keys/recover/action"
        case .purge: return v + "keys/purge/action"
        case .backup: return v + "keys/backup/action"
        case .restore: return v + "keys/restore/action"
        case .import: return v + "keys/import/action"
        }
    }
}

/// IPv4 addresses and CIDR ranges, as Key Vault's ipRules hold them.
public enum IPRange {
    public static func contains(_ rule: String, _ address: String) -> Bool {
        let parts = rule.split(separator: "/")
        guard let base = parse(String(parts[0])), let addr = parse(address) else { return false }
        let bits = parts.count > 1 ? Int(parts[1]) ?? 32 : 32
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - UInt32(bits))
        return base & mask == addr & mask
    }

    public static func parse(_ s: String) -> UInt32? {
        let octets = s.split(separator: ".").compactMap { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 < 256 }) else { return nil }
        return octets.reduce(0) { $0 << 8 | $1 }
    }
}
