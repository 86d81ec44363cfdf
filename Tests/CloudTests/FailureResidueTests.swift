import Foundation
import XCTest
@testable import Cloud

/// A failed request keeps its audit records and nothing else, unless it committed its work.
final class FailureResidueTests: XCTestCase {
    func testARefusedKeyOperationKeepsItsAuditRecordAndNothingElse() throws {
        var before = World.new(now: Date(timeIntervalSince1970: 1_800_000_000))
        try before.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
        var rbac = VaultSettings()
        rbac.enableRbacAuthorization = true
        // An RBAC vault with no role for the operator: every data-plane call is refused.
        try before.createVault(name: "kv1", resourceGroup: "rg", location: nil, settings: rbac, selfPermissions: false)
        var attempt = before
        var thrown: Error?
        do {
            try attempt.createResourceGroup(name: "side-effect", location: "westus", tags: nil, managedBy: nil)
            _ = try attempt.createKey(vault: "kv1", name: "k", spec: KeySpec(), caller: attempt.operatorCaller)
        } catch { thrown = error }
        let error = try XCTUnwrap(thrown)
        let residue = FailureResidue.of(error, attempt: attempt, before: before)
        guard case .audit(let log) = residue else { return XCTFail("\(residue)") }
        let records = log.records(since: before.audit)
        XCTAssertEqual(records.map(\.operation), ["KeyCreate"])
        XCTAssertEqual(records.first?.result, "ForbiddenByRbac")
        var after = before
        after.keep(residue)
        XCTAssertEqual(after.audit.count, before.audit.count + 1)
        XCTAssertNil(after.resourceGroups["side-effect"], "only the audit survives a failure")
    }

    func testACommittedFailureKeepsItsWork() throws {
        let before = World.new(now: Date(timeIntervalSince1970: 1_800_000_000))
        var attempt = before
        try attempt.createResourceGroup(name: "kept", location: "westus", tags: nil, managedBy: nil)
        let error = CommittedFailure(error: CloudError.badRequest("X", "y"))
        var after = before
        after.keep(FailureResidue.of(error, attempt: attempt, before: before))
        XCTAssertNotNil(after.resourceGroups["kept"])
        XCTAssertEqual((FailureResidue.reported(error) as? CloudError)?.code, "X")
    }
}
