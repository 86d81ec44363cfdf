import Foundation
import XCTest
@testable import Cloud

/// Who the operator's commands run as (`SignIn.swift`).
final class SignInTests: XCTestCase {
    func world() throws -> (World, UserAssignedIdentity) {
        var w = World.new(now: Date(timeIntervalSince1970: 1_800_000_000))
        try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
        let i = try w.createIdentity(name: "pipeline", resourceGroup: "rg", location: nil, tags: nil)
        return (w, i)
    }

    func testAnIdentityBecomesTheCallerAndTheOperatorComesBack() throws {
        var (w, i) = try world()
        XCTAssertEqual(w.operatorCaller.objectId, w.signedInUser.objectId)
        try w.signInWithIdentity(clientId: nil, objectId: i.principalId, resourceId: nil, allowNoSubscriptions: true)
        XCTAssertEqual(w.operatorCaller.objectId, i.principalId)
        XCTAssertEqual(w.signIn.assignedIdentityInfo, "MSIObject-\(i.principalId)")
        w.signInAsOperator()
        XCTAssertEqual(w.operatorCaller.objectId, w.signedInUser.objectId)
        try w.signOut()
        XCTAssertTrue(w.isSignedOut)
        XCTAssertThrowsError(try w.signOut())
    }

    func testEntraIDsRefusalsChangeNothing() throws {
        var (w, i) = try world()
        XCTAssertThrowsError(
            try w.signInAsServicePrincipal(clientId: i.clientId, tenant: nil, hasFederatedToken: false, hasSecret: true)
        )
        XCTAssertThrowsError(
            try w.signInAsServicePrincipal(
                clientId: i.clientId, tenant: "other", hasFederatedToken: true, hasSecret: false))
        XCTAssertThrowsError(try w.signInWithIdentity(clientId: "x", objectId: "y", resourceId: nil))
        XCTAssertEqual(w.signIn, .user)
        XCTAssertThrowsError(
            try w.signInAsServicePrincipal(
                clientId: i.clientId, tenant: w.subscription.tenantId, hasFederatedToken: true, hasSecret: false)
        ) { e in XCTAssertEqual("\(e)", "(NoSubscriptionsFound) No subscriptions found for \(i.clientId).") }
        XCTAssertEqual(w.signIn, .user)
        try w.signInAsServicePrincipal(
            clientId: i.clientId, tenant: w.subscription.tenantId, hasFederatedToken: true, hasSecret: false,
            allowNoSubscriptions: true)
        XCTAssertEqual(w.operatorCaller.name, "pipeline")
        XCTAssertEqual(w.signIn.tenantLevel, true)
    }

    /// az lists the subscriptions a managed identity holds a role in; with none, it refuses the
    /// sign-in, or with --allow-no-subscriptions keeps a tenant-level account that Resource
    /// Manager does not know.
    func testAnIdentityWithNoRoleIsRefusedUnlessTenantLevelWhichResourceManagerRefuses() throws {
        var (w, i) = try world()
        XCTAssertThrowsError(try w.signInWithIdentity(clientId: i.clientId, objectId: nil, resourceId: nil)) { e in
            XCTAssertTrue("\(e)".contains("No access was configured for the managed identity"), "\(e)")
        }
        XCTAssertEqual(w.signIn, .user, "a refused sign-in changes nothing")
        try w.signInWithIdentity(clientId: i.clientId, objectId: nil, resourceId: nil, allowNoSubscriptions: true)
        XCTAssertEqual(w.signIn.tenantLevel, true)
        XCTAssertThrowsError(
            try w.authorize(
                "Microsoft.Resources/subscriptions/resourceGroups/read",
                on: w.resourceGroupID("rg"), operation: "az group show")
        ) { e in
            XCTAssertEqual((e as? CloudError)?.code, "SubscriptionNotFound")
        }
        w.signInAsOperator()
        _ = try w.createRoleAssignment(
            principalId: i.principalId, principalType: "ServicePrincipal", role: "Reader",
            scope: w.resourceGroupID("rg"), name: nil)
        XCTAssertThrowsError(
            try w.signInWithIdentity(clientId: i.clientId, objectId: nil, resourceId: nil),
            "a role still propagating does not count yet")
        try w.advanceClock(by: w.settings.roleAssignmentPropagationSeconds)
        try w.signInWithIdentity(clientId: i.clientId, objectId: nil, resourceId: nil)
        XCTAssertNil(w.signIn.tenantLevel)
    }
}
