import Cloud
import Foundation
import JMESPath

/// `az keyvault key ...`: the data plane, as the signed-in operator, through the one access path.
enum KeyCommands {
    struct Target {
        let vault: String
        let name: String?
        let version: String?
    }

    /// `--id https://{vault}.vault.azure.net/keys/{name}[/{version}]` or `--vault-name` + `--name`.
    /// az's validators have checked the id's shape and that it came alone (`Validators`); what is
    /// left is what keydrill emulates: a vault (not a Managed HSM) and a key path.
    static func target(_ args: Arguments, needsName: Bool = true) throws -> Target {
        if let id = args[P.identifier] {
            let invalid = CLIError(
                "Invalid key identifier '\(id)': expected https://{vault}.vault.azure.net/keys/{name}[/{version}]")
            guard let url = URL(string: id), let host = url.host, host.hasSuffix(".vault.azure.net") else {
                throw invalid
            }
            let parts = url.path.split(separator: "/").map(String.init)
            let vault = String(host.dropLast(".vault.azure.net".count))
            if !needsName { return Target(vault: vault, name: nil, version: nil) }
            guard parts.count >= 2, ["keys", "deletedkeys"].contains(parts[0].lowercased()) else { throw invalid }
            return Target(vault: vault, name: parts[1], version: parts.count > 2 ? parts[2] : nil)
        }
        guard let vault = args[P.vaultBaseUrl], !needsName || (args[P.name] ?? args[P.keyName]) != nil else {
            throw CLIError(Validators.keyUsage)
        }
        return Target(vault: vault, name: args[P.name] ?? args[P.keyName], version: args[P.version])
    }

    /// az's `keep_max_results` transformer: `list(output)[:maxresults]` when it is given and not
    /// zero, so a negative count drops that many from the end, as a Python slice does.
    static func keepMaxResults(_ items: [JSON], _ maxresults: Int?) -> [JSON] {
        guard let n = maxresults, n != 0 else { return items }
        return n > 0 ? Array(items.prefix(n)) : Array(items.dropLast(n == Int.min ? items.count : -n))
    }

    static func date(_ args: Arguments, _ p: Param<String>) -> Date? {
        args[p].flatMap(AzDate.parseUserDate)
    }

    static let handlers: [String: Handler] = [
        // az's own constant (keyvault custom.py get_policy_template): a release policy to fill in.
        "keyvault key get-policy-template": Handler(reads: []) { _, _ in
            .object([
                ("version", "1.0.0"),
                (
                    "anyOf",
                    .array([
                        .object([
                            ("authority", "<issuer>"),
                            ("allOf", .array([.object([("claim", "<claim name>"), ("equals", "<value to match>")])])),
                        ])
                    ])
                ),
            ])
        },
        "keyvault key create": Handler(reads: [
            P.vaultBaseUrl, P.identifier, P.name, P.kty, P.keySize, P.curve, P.protection, P.keyOps, P.disabled,
            P.expires, P.notBefore, P.tags,
        ]) { world, args in
            let t = try target(args)
            var spec = KeySpec()
            var kty = args[P.kty] ?? (args[P.curve] != nil ? "EC" : "RSA")
            if let p = args[P.protection] {
                if p == "hsm", !kty.hasSuffix("-HSM") { kty += "-HSM" }
                if p == "software", kty.hasSuffix("-HSM") {
                    throw CLIError("--protection software cannot be used with --kty \(kty)")
                }
            }
            spec.kty = kty
            spec.size = args[P.keySize]
            spec.curve = args[P.curve]
            spec.keyOps = args[P.keyOps]
            spec.enabled = args[P.disabled] != true
            spec.notBefore = date(args, P.notBefore)
            spec.expires = date(args, P.expires)
            spec.tags = args[P.tags]
            let (v, key) = try world.createKey(vault: t.vault, name: t.name!, spec: spec, caller: world.operatorCaller)
            return bundle(v, key, key.current)
        },
        "keyvault key import": Handler(reads: [
            P.vaultBaseUrl, P.identifier, P.name, P.pemFile, P.pemString, P.kty, P.curve, P.protection, P.keyOps,
            P.disabled, P.expires, P.notBefore, P.tags,
        ]) { world, args in
            let sources = [P.pemFile, P.pemString].filter { args.isGiven($0) }
            guard sources.count == 1 else {
                throw UsageError("supply exactly one: --byok-file, --byok-string, --pem-file, --pem-string", footer: [])
            }
            if args[P.kty] == "EC" && args[P.curve] == nil || args[P.kty] != "EC" && args[P.curve] != nil {
                throw CLIError("parameter --curve should be specified when key type --kty is EC.")
            }
            let pem = try args[P.pemString] ?? readText(try args.require(P.pemFile))
            let material: KeyMaterial
            do { material = try KeyMaterial.importPEM(pem) } catch let e as CloudError {
                throw CLIError("Import failed: \(e.message)")
            }
            let t = try target(args)
            var spec = KeySpec()
            spec.keyOps = args[P.keyOps]
            spec.enabled = args[P.disabled] != true
            spec.notBefore = date(args, P.notBefore)
            spec.expires = date(args, P.expires)
            spec.tags = args[P.tags]
            let (v, key) = try world.importKey(
                vault: t.vault, name: t.name!, material: material, spec: spec, caller: world.operatorCaller)
            return bundle(v, key, key.current)
        },
        "keyvault key download": Handler(reads: [
            P.vaultBaseUrl, P.identifier, P.name, P.version, P.filePath, P.encoding,
        ]) { world, args in
            let path = try args.require(P.filePath)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                throw CLIError("File or directory named '\(path)' already exists.")
            }
            let encoding = args[P.encoding] ?? "PEM"
            guard ["PEM", "DER"].contains(encoding) else {
                throw CLIError("Unsupported encoding: \(encoding). (Supported encodings: DER, PEM)")
            }
            let t = try target(args)
            let (_, _, version) = try world.getKey(
                vault: t.vault, name: t.name!, version: t.version, caller: world.operatorCaller)
            try write(try version.material.publicKey(pem: encoding == "PEM"), to: path)
            return nil
        },
        "keyvault key backup": Handler(reads: [P.vaultBaseUrl, P.identifier, P.name, P.filePath]) { world, args in
            let path = try args.require(P.filePath)
            let t = try target(args)
            try write(try world.backupKey(vault: t.vault, name: t.name!, caller: world.operatorCaller), to: path)
            return nil
        },
        "keyvault key restore": Handler(reads: [P.vaultBaseUrl, P.identifier, P.name, P.filePath]) { world, args in
            guard let path = args[P.filePath] else {
                throw CLIError(
                    "Please specify --file/-f or --storage-account-name & --blob-container-name & "
                        + "--storage-container-SAS-token & --backup-folder")
            }
            if args.isGiven(P.name) { throw CLIError("Please do not specify --name/-n when using --file/-f") }
            let t = try target(args, needsName: false)
            guard let blob = FileManager.default.contents(atPath: path) else {
                throw CLIError("[Errno 2] No such file or directory: '\(path)'")
            }
            let (v, key) = try world.restoreKey(vault: t.vault, backup: blob, caller: world.operatorCaller)
            return bundle(v, key, key.current)
        },
        "keyvault key show": Handler(reads: [P.vaultBaseUrl, P.identifier, P.name, P.version]) { world, args in
            let t = try target(args)
            let (v, key, version) = try world.getKey(
                vault: t.vault, name: t.name!, version: t.version, caller: world.operatorCaller)
            return bundle(v, key, version)
        },
        "keyvault key list": Handler(reads: [P.vaultBaseUrl, P.identifier, P.includeManaged, P.maxresults]) {
            world, args in
            let t = try target(args, needsName: false)
            let (v, keys) = try world.listKeys(vault: t.vault, caller: world.operatorCaller)
            let items = keys.map { listItem(v, $0.name, $0.current, versioned: false) }
            return .array(keepMaxResults(items, args[P.maxresults]))
        },
        "keyvault key list-versions": Handler(reads: [P.vaultBaseUrl, P.identifier, P.name, P.maxPageSize]) {
            world, args in
            let t = try target(args)
            let (v, key) = try world.listKeyVersions(vault: t.vault, name: t.name!, caller: world.operatorCaller)
            let items = key.versions.map { listItem(v, key.name, $0, versioned: true) }
            return .array(keepMaxResults(items, args[P.maxPageSize]))
        },
        "keyvault key set-attributes": Handler(reads: [
            P.vaultBaseUrl, P.identifier, P.name, P.version, P.enabled, P.expiresOn, P.notBefore, P.keyOperations,
            P.tags,
        ]) { world, args in
            let t = try target(args)
            var u = KeyAttributesUpdate()
            u.enabled = args[P.enabled]
            u.expires = date(args, P.expiresOn)
            u.notBefore = date(args, P.notBefore)
            u.keyOps = args[P.keyOperations]
            u.tags = args[P.tags]
            let (v, key, version) = try world.updateKey(
                vault: t.vault, name: t.name!, version: t.version, update: u, caller: world.operatorCaller)
            return bundle(v, key, version)
        },
        "keyvault key delete": Handler(reads: [P.vaultBaseUrl, P.identifier, P.name]) { world, args in
            let t = try target(args)
            args.warn(
                "Warning! If you have soft-delete protection enabled on this key vault, this key will be moved to "
                    + "the soft deleted state. You will not be able to create a key with the same name within this "
                    + "key vault until the key has been purged from the soft-deleted state. Please see the "
                    + "following documentation for additional "
                    + "guidance.\nhttps://learn.microsoft.com/azure/key-vault/general/soft-delete-overview"
            )
            let (v, d) = try world.deleteKey(vault: t.vault, name: t.name!, caller: world.operatorCaller)
            return deletedBundle(v, d)
        },
        "keyvault key show-deleted": Handler(reads: [P.vaultBaseUrl, P.identifier, P.name]) { world, args in
            let t = try target(args)
            let (v, d) = try world.getDeletedKey(vault: t.vault, name: t.name!, caller: world.operatorCaller)
            return deletedBundle(v, d)
        },
        "keyvault key list-deleted": Handler(reads: [P.vaultBaseUrl, P.identifier, P.maxPageSize]) {
            world, args in
            let t = try target(args, needsName: false)
            let (v, deleted) = try world.listDeletedKeys(vault: t.vault, caller: world.operatorCaller)
            return .array(
                keepMaxResults(
                    deleted.map { d in
                        var item = listItem(v, d.key.name, d.key.current, versioned: false).objectValue!
                        item["deletedDate"] = .string(AzDate.sdk(d.deletedDate))
                        item["recoveryId"] = .string("\(v.uri)/deletedkeys/\(d.key.name)")
                        item["scheduledPurgeDate"] = .string(AzDate.sdk(d.scheduledPurgeDate))
                        return .object(item)
                    }, args[P.maxPageSize]))
        },
        "keyvault key recover": Handler(reads: [P.vaultBaseUrl, P.identifier, P.name]) { world, args in
            let t = try target(args)
            let (v, key) = try world.recoverKey(vault: t.vault, name: t.name!, caller: world.operatorCaller)
            return bundle(v, key, key.current)
        },
        "keyvault key purge": Handler(reads: [P.vaultBaseUrl, P.identifier, P.name]) { world, args in
            let t = try target(args)
            try world.purgeKey(vault: t.vault, name: t.name!, caller: world.operatorCaller)
            return nil
        },
        "keyvault key rotate": Handler(reads: [P.vaultBaseUrl, P.identifier, P.name]) { world, args in
            let t = try target(args)
            let (v, key) = try world.rotateKey(vault: t.vault, name: t.name!, caller: world.operatorCaller)
            return bundle(v, key, key.current)
        },
        "keyvault key encrypt": Handler(reads: [
            P.vaultBaseUrl, P.identifier, P.name, P.version, P.algorithm, P.value, P.dataType,
        ]) { world, args in
            try crypto(.encrypt, &world, args)
        },
        "keyvault key decrypt": Handler(reads: [
            P.vaultBaseUrl, P.identifier, P.name, P.version, P.algorithm, P.value, P.dataType,
        ]) { world, args in
            try crypto(.decrypt, &world, args)
        },
    ]

    /// encrypt/decrypt: `--value` is base64 unless `--data-type plaintext`; the result is
    /// base64, or text for a plaintext decrypt.
    static func crypto(_ op: KeyOperation, _ world: inout World, _ args: Arguments) throws -> JSON {
        let t = try target(args)
        let algorithm = try args.require(P.algorithm)
        let value = try args.require(P.value)
        let plaintext = args[P.dataType] == "plaintext"
        let input: Data
        if op == .encrypt, plaintext {
            input = Data(value.utf8)
        } else {
            guard let d = Data(base64Encoded: value) else { throw CLIError("--value is not valid base64: '\(value)'") }
            input = d
        }
        let (kid, out) = try world.cryptoOperation(
            op, vault: t.vault, name: t.name!, version: t.version, algorithm: algorithm, data: input,
            caller: world.operatorCaller)
        let result: JSON =
            op == .decrypt && plaintext
            ? .string(String(decoding: out, as: UTF8.self)) : .string(out.base64EncodedString())
        return .object([("algorithm", .string(algorithm)), ("kid", .string(kid)), ("result", result)])
    }

    /// Key Vault prints null for a key version without tags.
    static func tags(_ t: [String: String]?) -> JSON {
        guard let t, !t.isEmpty else { return .null }
        return JSON.tags(t)
    }

    static func date(_ d: Date?) -> JSON { d.map { .string(AzDate.sdk($0)) } ?? .null }

    static func attributes(_ v: Vault, _ kv: KeyVersion, list: Bool) -> JSON {
        var pairs: [(String, JSON?)] = [
            ("created", date(kv.created)), ("enabled", .bool(kv.enabled)), ("expires", date(kv.expires)),
            ("exportable", false), ("hsmPlatform", list ? nil : "0"), ("keySize", nil),
            ("notBefore", date(kv.notBefore)),
            ("recoverableDays", .int(v.softDeleteRetentionInDays)), ("recoveryLevel", .string(v.recoveryLevel)),
            ("updated", date(kv.updated)),
        ]
        if list { pairs += [("attestation", nil), ("externalKey", nil)] }
        return .object(pairs)
    }

    /// The key bundle az prints for create/show/rotate/set-attributes: the full JWK field set,
    /// public parts in standard base64.
    static func bundle(_ v: Vault, _ key: Key, _ kv: KeyVersion) -> JSON {
        var jwk: [(String, JSON?)] = ["crv", "d", "dp", "dq", "e", "k", "n", "p", "q", "qi", "t", "x", "y"].map {
            ($0, nil)
        }
        func set(_ k: String, _ value: JSON) { if let i = jwk.firstIndex(where: { $0.0 == k }) { jwk[i].1 = value } }
        switch kv.material {
        case .rsa(_, let n, let e):
            set("n", .string(n.base64EncodedString()))
            set("e", .string(e.base64EncodedString()))
        case .ec(let curve, _, let x, let y):
            set("crv", .string(curve))
            set("x", .string(x.base64EncodedString()))
            set("y", .string(y.base64EncodedString()))
        }
        jwk += [
            ("keyOps", .array(kv.keyOps.map { .string($0) })), ("kid", .string(v.kid(key.name, kv.version))),
            ("kty", .string(kv.kty)),
        ]
        return .object([
            ("attributes", attributes(v, kv, list: false)), ("key", .object(jwk)), ("managed", nil),
            ("releasePolicy", nil), ("tags", tags(kv.tags)),
        ])
    }

    static func listItem(_ v: Vault, _ name: String, _ kv: KeyVersion, versioned: Bool) -> JSON {
        .object([
            ("attributes", attributes(v, kv, list: true)), ("keySize", nil),
            ("kid", .string(v.kid(name, versioned ? kv.version : nil))), ("managed", nil), ("name", .string(name)),
            ("releasePolicy", nil), ("tags", tags(kv.tags)),
        ])
    }

    static func deletedBundle(_ v: Vault, _ d: DeletedKey) -> JSON {
        var o = bundle(v, d.key, d.key.current).objectValue!
        o["deletedDate"] = .string(AzDate.sdk(d.deletedDate))
        o["recoveryId"] = .string("\(v.uri)/deletedkeys/\(d.key.name)")
        o["scheduledPurgeDate"] = .string(AzDate.sdk(d.scheduledPurgeDate))
        return .object(o)
    }

    /// A file the user named, read as az reads it (`~` expanded).
    static func readText(_ path: String) throws -> String {
        let expanded = NSString(string: path).expandingTildeInPath
        guard let data = FileManager.default.contents(atPath: expanded) else {
            throw CLIError("[Errno 2] No such file or directory: '\(expanded)'")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes what az writes to a file the user named; a failed write leaves no partial file.
    static func write(_ data: Data, to path: String) throws {
        let expanded = NSString(string: path).expandingTildeInPath
        do { try data.write(to: URL(fileURLWithPath: expanded), options: .atomic) } catch {
            throw CLIError("[Errno 13] Permission denied: '\(expanded)'")
        }
    }
}
