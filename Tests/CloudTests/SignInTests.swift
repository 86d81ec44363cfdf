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
        try w.signInWithIdentity(clientId: nil, objectId: i.principalId, resourceId: nil)
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
        try w.signInAsServicePrincipal(
            clientId: i.clientId, tenant: w.subscription.tenantId, hasFederatedToken: true, hasSecret: false)
        XCTAssertEqual(w.operatorCaller.name, "pipeline")
    }
}
