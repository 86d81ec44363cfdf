import Cloud
import JMESPath

/// The portal's PostgreSQL flexible server > Security > Data encryption blade: the same service
/// update as `az postgres flexible-server update --key --identity`, picked the way the blade picks
/// (an identity by name, a key by identifier or from a vault in the server's region, optionally
/// versionless), with each section defaulting to what the server uses now.
enum PortalFlexibleServerCommands {
    typealias C = FlexibleServerCommands

    /// The blade's key for one section: pasted, selected from a vault, or the one in use. The
    /// automatic update box starts ticked when the section's key is versionless; ticked, the key
    /// is saved without a version; unticked, it needs one (the picker asks, the current first).
    static func key(
        pasted: String?, current: String, server s: FlexibleServer, tick: Bool, selectable: Bool,
        _ args: Arguments, _ world: inout World
    ) throws -> String {
        let inUse = KeyIdentifier.parse(current)
        var automatic = tick || inUse?.version == nil
        var kid = KeyIdentifier.parse(pasted ?? current)
        if let k = kid, pasted != nil, k.version != nil, !tick { automatic = false }
        if selectable, pasted == nil, let vaultName = args[P.vaultName] {
            let v = try world.vault(vaultName)
            guard v.location == s.location else {
                throw CLIError(
                    "The blade lists only key vaults in the server's region (\(Locations.displayName(of: s.location))):"
                        + " '\(v.name)' is in \(Locations.displayName(of: v.location)).")
            }
            let name = try args.require(P.keyName, message: "Select a key: --key-name is required with --vault-name.")
            let (_, k, _) = try world.getKey(
                vault: v.name, name: name, version: args[P.keyVersion], caller: world.operatorCaller)
            if args[P.keyVersion] != nil, !tick { automatic = false }
            kid = KeyIdentifier(
                vault: v.name.lowercased(), name: k.name, version: args[P.keyVersion] ?? k.current.version)
        }
        guard let kid else { throw CLIError("'\(pasted ?? current)' is not a Key Vault key identifier.") }
        if automatic { return KeyIdentifier(vault: kid.vault, name: kid.name, version: nil).uri }
        guard kid.version != nil else {
            throw CLIError(
                "Without 'Use automatic key version update' the blade needs a key version: paste a versioned key "
                    + "identifier or tick --automatic-key-version-update.")
        }
        return kid.uri
    }

    static let handlers: [String: Handler] = [
        "portal postgres flexible-server data-encryption save": Handler(reads: [
            P.resourceGroupName, P.serverName, P.byokIdentity, P.keyIdentifier, P.vaultName, P.keyName, P.keyVersion,
            P.automaticKeyVersionUpdate, P.backupByokIdentity, P.backupKeyIdentifier,
        ]) { world, args in
            let rg = try args.require(P.resourceGroupName), name = try args.require(P.serverName)
            let s = try world.flexibleServer(name, resourceGroup: rg)
            guard let e = s.dataEncryption else {
                throw CLIError(
                    "The server '\(s.name)' uses a service-managed key: the blade shows it and cannot change it, since "
                        + "the choice is made at creation. Restore the server to a new one with a customer-managed key "
                        + "(az postgres flexible-server restore --key --identity).")
            }
            let automatic = args[P.automaticKeyVersionUpdate] == true
            var u = FlexibleServerUpdate()
            u.key = FlexibleKeyChoice(
                kid: try key(
                    pasted: args[P.keyIdentifier], current: e.primary.keyUri, server: s, tick: automatic,
                    selectable: true, args, &world),
                identityId: try args[P.byokIdentity].map { try C.identityID($0, world, rg: rg) }
                    ?? e.primary.identityId)
            if args[P.backupKeyIdentifier] != nil || args[P.backupByokIdentity] != nil {
                guard let g = e.geoBackup else {
                    throw CLIError(
                        "The server '\(s.name)' has no geo-redundant backup: the blade has no geo-backup key section.")
                }
                u.geoBackupKey = FlexibleKeyChoice(
                    kid: try key(
                        pasted: args[P.backupKeyIdentifier], current: g.keyUri, server: s, tick: automatic,
                        selectable: false, args, &world),
                    identityId: try args[P.backupByokIdentity].map { try C.identityID($0, world, rg: rg) }
                        ?? g.identityId)
            }
            return FlexibleServerRendering.render(
                try world.updateFlexibleServer(name: s.name, resourceGroup: rg, update: u), world)
        }
    ]
}
