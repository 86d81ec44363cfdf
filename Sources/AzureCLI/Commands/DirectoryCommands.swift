import Cloud
import Foundation
import JMESPath

/// `az ad signed-in-user show` and `az ad sp show`: Microsoft Graph objects, as az prints them
/// (Graph's own JSON, `@odata.context` included). Graph's refusals reach az as plain errors.
enum DirectoryCommands {
    static let graph = "https://graph.microsoft.com/v1.0/$metadata#"

    static func user(_ world: World) -> JSON {
        let upn = world.signedInUser.userPrincipalName
        return .object([
            ("@odata.context", .string(graph + "users/$entity")), ("businessPhones", []),
            ("displayName", .string(String(upn.split(separator: "@").first ?? ""))), ("givenName", nil),
            ("id", .string(world.signedInUser.objectId)), ("jobTitle", nil), ("mail", nil), ("mobilePhone", nil),
            ("officeLocation", nil), ("preferredLanguage", nil), ("surname", nil), ("userPrincipalName", .string(upn)),
        ])
    }

    static func servicePrincipal(_ sp: ManagedServicePrincipal, _ world: World) -> JSON {
        let explicit: JSON = .string("isExplicit=\(sp.isExplicit ? "True" : "False")")
        let names: [JSON] = [.string(sp.appId), .string("https://identity.azure.net/\(sp.appId)")]
        var fields: [(String, JSON)] = [
            ("@odata.context", .string(graph + "servicePrincipals/$entity")), ("accountEnabled", true),
            ("addIns", []), ("alternativeNames", .array([explicit, .string(sp.resourceId)])),
        ]
        let empty: [String] = [
            "appRoles", "keyCredentials", "notificationEmailAddresses", "oauth2PermissionScopes",
            "passwordCredentials", "replyUrls", "resourceSpecificApplicationPermissions", "tags",
        ]
        let null: [String] = [
            "appDescription", "appDisplayName", "appOwnerOrganizationId", "applicationTemplateId", "deletedDateTime",
            "description", "disabledByMicrosoftStatus", "homepage", "info", "loginUrl", "logoutUrl", "notes",
            "preferredSingleSignOnMode", "preferredTokenSigningKeyThumbprint", "samlSingleSignOnSettings",
            "signInAudience", "tokenEncryptionKeyId",
        ]
        for k in empty { fields.append((k, .array([]))) }
        for k in null { fields.append((k, .null)) }
        fields += [
            ("appId", .string(sp.appId)), ("appRoleAssignmentRequired", false),
            ("displayName", .string(sp.displayName)), ("id", .string(sp.objectId)),
            ("servicePrincipalNames", .array(names)), ("servicePrincipalType", "ManagedIdentity"),
        ]
        // Graph's keys in its order: sorted, with @odata.context first.
        let sorted = [fields[0]] + fields.dropFirst().sorted { $0.0 < $1.0 }
        return .object(.init(uniqueKeysWithValues: sorted))
    }

    static let handlers: [String: Handler] = [
        "ad signed-in-user show": Handler(reads: []) { world, _ in
            guard world.signIn.kind == .user else {
                throw CLIError("/me request is only valid with delegated authentication flow.")
            }
            return user(world)
        },
        "ad sp show": Handler(reads: [P.identifier]) { world, args in
            let id = try args.require(P.identifier)
            if let sp = world.managedServicePrincipal(id) { return servicePrincipal(sp, world) }
            // az's _resolve_service_principal: a GUID is taken as an object id and asked for.
            if UUID(uuidString: id) != nil {
                throw CLIError(
                    "Resource '\(id)' does not exist or one of its queried reference-property objects are not present.")
            }
            throw CLIError("Service principal '\(id)' doesn't exist", exitCode: 3)
        },
    ]
}
