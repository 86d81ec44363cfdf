import Foundation

/// Who the az commands run as. By default the operator (a user); `az login --identity` or
/// `az login --service-principal --federated-token` make a managed identity's service principal
/// the caller, so a drill can rehearse "the pipeline's identity" or "the DBA who lacks purge":
/// every key operation is then checked and audited as that principal. `az logout` leaves nobody.
public struct SignIn: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case user, servicePrincipal, signedOut }
    public let kind: Kind
    public let objectId: String
    /// What az shows as `user.name`: the client id after --service-principal, or
    /// `userAssignedIdentity` / `systemAssignedIdentity` after --identity.
    public let userName: String
    /// The principal's display name, for audit records and the prompt.
    public let displayName: String
    /// az's `user.assignedIdentityInfo` after --identity (`MSIClient-...`, `MSIObject-...`).
    public let assignedIdentityInfo: String?
    /// When a managed identity signed in: its tokens are issued for a day from then.
    public var signedInAt: Date? = nil
    /// Set when the signed-in identity is deleted: the expiry of the token it still holds.
    public var tokenExpires: Date? = nil
    /// Signed in with `--allow-no-subscriptions` by an identity that has no role in the
    /// subscription: az keeps a tenant-level account, whose Resource Manager requests name a
    /// subscription that does not exist (the tenant's id); the Key Vault data plane still answers.
    public var tenantLevel: Bool? = nil

    public static let signedOut = SignIn(
        kind: .signedOut, objectId: "", userName: "", displayName: "",
        assignedIdentityInfo: nil)
    /// The operator: the world's own user, whose details `World.signedInUser` holds.
    public static let user = SignIn(kind: .user, objectId: "", userName: "", displayName: "", assignedIdentityInfo: nil)
}

extension World {
    /// The caller of the operator's az commands: whoever is signed in.
    public var operatorCaller: Caller {
        if signIn.kind == .servicePrincipal {
            return Caller(objectId: signIn.objectId, name: signIn.displayName, isTrustedService: false)
        }
        return Caller(objectId: signedInUser.objectId, name: signedInUser.userPrincipalName, isTrustedService: false)
    }

    public var isSignedOut: Bool { signIn.kind == .signedOut }

    /// `az login` with a user account: the operator again.
    public mutating func signInAsOperator() { signIn = .user }

    public mutating func signOut() throws {
        guard !isSignedOut else { throw CloudError.badRequest("NoActiveAccount", "There are no active accounts.") }
        signIn = .signedOut
    }

    /// `az login --identity`: keydrill's host carries every user-assigned identity in the world,
    /// picked by client id, object id or resource id, as on a VM they are assigned to.
    public mutating func signInWithIdentity(
        clientId: String?, objectId: String?, resourceId: String?, allowNoSubscriptions: Bool = false
    ) throws {
        let given = [clientId, objectId, resourceId].compactMap { $0 }
        guard given.count <= 1 else {
            throw CloudError.badRequest(
                "InvalidArgument",
                "Usage error: Provide only one of --client-id, --object-id, --resource-id.")
        }
        guard let wanted = given.first else {
            throw CloudError.badRequest(
                "ManagedIdentityNotFound",
                "keydrill's host has no system-assigned identity; sign in "
                    + "as a user-assigned identity with --client-id, --object-id or --resource-id.")
        }
        let match = identities.values.first { i in
            i.clientId.lowercased() == clientId?.lowercased() || i.principalId.lowercased() == objectId?.lowercased()
                || identityID(i).lowercased() == resourceId?.lowercased()
        }
        let by = clientId != nil ? "client id" : objectId != nil ? "object id" : "resource id"
        guard let i = match else {
            throw CloudError.badRequest(
                "ManagedIdentityNotFound",
                "No user-assigned identity with \(by) '\(wanted)' exists to sign in with.")
        }
        let info =
            clientId != nil
            ? "MSIClient-\(i.clientId)"
            : objectId != nil ? "MSIObject-\(i.principalId)" : "MSIResource-\(identityID(i))"
        let seesSubscription = holdsRole(i.principalId)
        guard seesSubscription || allowNoSubscriptions else {
            throw CloudError.badRequest(
                "NoSubscriptionsFound",
                "No access was configured for the managed identity, hence no subscriptions were found. If this is "
                    + "expected, use '--allow-no-subscriptions' to have tenant level access.")
        }
        signIn = SignIn(
            kind: .servicePrincipal, objectId: i.principalId, userName: "userAssignedIdentity",
            displayName: i.name, assignedIdentityInfo: info, signedInAt: now)
        if !seesSubscription { signIn.tenantLevel = true }
    }

    /// `az login --service-principal -u CLIENT-ID --tenant T --federated-token TOKEN`: workload
    /// identity federation, the way a pipeline signs in as a user-assigned identity. A managed
    /// identity has no client secret or certificate, so those are refused as Entra ID refuses them.
    public mutating func signInAsServicePrincipal(
        clientId: String, tenant: String?, hasFederatedToken: Bool,
        hasSecret: Bool, allowNoSubscriptions: Bool = false
    ) throws {
        if let tenant, tenant.lowercased() != subscription.tenantId.lowercased() {
            throw CloudError.badRequest(
                "AADSTS90002",
                "AADSTS90002: Tenant '\(tenant)' not found. Check to make sure you "
                    + "have the correct tenant ID and are signing into the correct cloud.")
        }
        guard let i = identities.values.first(where: { $0.clientId.lowercased() == clientId.lowercased() }) else {
            throw CloudError.badRequest(
                "AADSTS700016",
                "AADSTS700016: Application with identifier '\(clientId)' was not "
                    + "found in the directory '\(subscription.tenantId)'.")
        }
        guard hasFederatedToken, !hasSecret else {
            throw CloudError.badRequest(
                "AADSTS7000215",
                "AADSTS7000215: Invalid client secret provided. A managed identity "
                    + "has no client secret or certificate: sign in with --federated-token (workload "
                    + "identity federation).")
        }
        let seesSubscription = holdsRole(i.principalId)
        guard seesSubscription || allowNoSubscriptions else {
            throw CloudError.badRequest("NoSubscriptionsFound", "No subscriptions found for \(clientId).")
        }
        signIn = SignIn(
            kind: .servicePrincipal, objectId: i.principalId, userName: i.clientId, displayName: i.name,
            assignedIdentityInfo: nil, signedInAt: now)
        if !seesSubscription { signIn.tenantLevel = true }
    }

    /// ARM lists a subscription to a principal that holds a role anywhere in it (once the role
    /// has taken effect).
    func holdsRole(_ principal: String) -> Bool {
        roleAssignments.contains { $0.principalId.equalsIgnoringCase(principal) && $0.effectiveFrom <= now }
    }
}
