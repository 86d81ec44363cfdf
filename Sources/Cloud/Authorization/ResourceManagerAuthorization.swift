import Foundation

/// Azure Resource Manager's authorisation of a control-plane request, for whoever is signed in:
/// an action is allowed on a scope when a role assigned to the caller at that scope or one above
/// it (resource, resource group, subscription), once propagated, has an action matching it and
/// no not-action matching it. The operator who made the world is Owner of its subscription (an
/// assignment made above the world, so no listing shows it); a managed identity or the chaos
/// principal has only what was granted.
extension World {
    /// How long an access token issued to a managed identity lives: after the identity is deleted,
    /// the token already issued still works until then, and no new one is issued.
    public static let managedIdentityTokenLifetime: TimeInterval = 86_400

    /// Whether `principal` may perform `action` on `scope` now.
    public func allows(principal: String, action: String, on scope: String) -> Bool {
        if principal.equalsIgnoringCase(signedInUser.objectId) { return true }
        return roleAssignments.contains { a in
            a.principalId.equalsIgnoringCase(principal) && a.effectiveFrom <= now && Self.scope(a.scope, covers: scope)
                && RoleDefinition.named(a.roleDefinitionId)?.allowsAction(action) == true
        }
    }

    /// Whether the principal holds any propagated role at `scope` or inside it: ARM lists what
    /// such a caller can read, where a caller with nothing there is refused the list.
    public func holdsAnyRole(principal: String, within scope: String) -> Bool {
        principal.equalsIgnoringCase(signedInUser.objectId)
            || roleAssignments.contains { a in
                a.principalId.equalsIgnoringCase(principal) && a.effectiveFrom <= now
                    && (Self.scope(scope, covers: a.scope) || Self.scope(a.scope, covers: scope))
            }
    }

    /// A scope covers itself and every scope below it (ids compare case-insensitively).
    static func scope(_ outer: String, covers inner: String) -> Bool {
        let o = outer.lowercased(), i = inner.lowercased()
        return i == o || i.hasPrefix(o.hasSuffix("/") ? o : o + "/")
    }

    /// Refuses the signed-in caller an action it is not granted, as ARM does (403
    /// AuthorizationFailed), and records the refusal in the activity log. The refusal is kept
    /// even though the request fails: it is what Azure's activity log shows of it.
    public mutating func authorize(_ action: String, on scope: String, operation: String) throws {
        if signIn.tenantLevel == true {
            // A tenant-level account's requests go to /subscriptions/{tenant id}.
            throw CloudError.notFound(
                "SubscriptionNotFound", "The subscription '\(subscription.tenantId)' could not be found.")
        }
        let caller = operatorCaller
        guard !allows(principal: caller.objectId, action: action, on: scope) else { return }
        activity.append(
            ActivityEvent(
                time: now, kind: .refused, resource: scope, caller: caller.name, operation: operation,
                detail: "AuthorizationFailed: \(action)"))
        throw CommittedFailure(error: authorizationFailed(action, on: scope))
    }

    /// Attaching a user-assigned identity to a resource is also an action on the identity
    /// (`.../userAssignedIdentities/assign/action`), so a caller who may change a server cannot
    /// lend it an identity (and that identity's key access) it was not given the use of.
    public mutating func authorizeLinked(
        _ action: String, on scope: String, identities: [String], operation: String
    ) throws {
        let assign = "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action"
        let caller = operatorCaller
        let refused = identities.filter { !allows(principal: caller.objectId, action: assign, on: $0) }
        guard !refused.isEmpty else { return }
        activity.append(
            ActivityEvent(
                time: now, kind: .refused, resource: scope, caller: caller.name, operation: operation,
                detail: "LinkedAuthorizationFailed: \(assign) on \(refused.joined(separator: ", "))"))
        let client = signIn.kind == .servicePrincipal ? caller.objectId : caller.name
        throw CommittedFailure(
            error: CloudError(
                "LinkedAuthorizationFailed",
                "The client '\(client)' with object id '\(caller.objectId)' has permission to perform action "
                    + "'\(action)' on scope '\(scope)'; however, it does not have permission to perform action "
                    + "'\(assign)' on the linked scope(s) '\(refused.joined(separator: ","))' or the linked scope(s) "
                    + "are invalid.",
                status: 403))
    }

    func authorizationFailed(_ action: String, on scope: String) -> CloudError {
        let caller = operatorCaller
        // ARM names a user by its sign-in name, an application or managed identity by its id.
        let client = signIn.kind == .servicePrincipal ? caller.objectId : caller.name
        return CloudError(
            "AuthorizationFailed",
            "The client '\(client)' with object id '\(caller.objectId)' does not have authorization to perform "
                + "action '\(action)' over scope '\(scope)' or the scope is invalid. If access was recently "
                + "granted, please refresh your credentials.",
            status: 403)
    }

    /// The signed-in caller's role assignments that have not taken effect yet, in words: what a
    /// refusal's hint says instead of "grant a role" while one is on its way.
    public func pendingGrantDescription() -> String? {
        let caller = operatorCaller.objectId
        let pending = roleAssignments.filter { $0.principalId.equalsIgnoringCase(caller) && $0.effectiveFrom > now }
        guard let last = pending.max(by: { $0.effectiveFrom < $1.effectiveFrom }) else { return nil }
        let roles = pending.map { a in
            "'\(roleName(a))' at \(a.scope)"
        }.joined(separator: ", ")
        let wait = AzDuration.describe(last.effectiveFrom.timeIntervalSince(now))
        return "a role assigned to you is still propagating (\(roles)); Azure takes up to 10 minutes: it takes "
            + "effect at \(AzDate.plain(last.effectiveFrom)), \(wait) from now ('clock advance \(wait)')"
    }

    /// A managed identity deleted while signed in keeps working until the token it last had
    /// expires; after that every request fails as az fails to get a new one.
    public func requireLiveToken() throws {
        guard signIn.kind == .servicePrincipal, let expires = signIn.tokenExpires, now >= expires else { return }
        throw CloudError(
            "ManagedIdentityNotFound",
            "The managed identity '\(signIn.displayName)' (object id \(signIn.objectId)) no longer exists: its "
                + "last access token expired at \(AzDate.plain(expires)) and no new one can be issued. Sign in "
                + "again with 'az login'.",
            status: 401)
    }
}
