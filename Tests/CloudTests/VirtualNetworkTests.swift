import Foundation
import XCTest
@testable import Cloud

/// Subnets and the rule a vault's virtual-network ACL needs (Network/VirtualNetwork.swift).
final class VirtualNetworkTests: XCTestCase {
    var w = World.new(now: Date(timeIntervalSince1970: 1_800_000_000))

    func code(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "Success"
        } catch let e as CloudError { return e.code } catch { return "\(error)" }
    }

    func testSubnetsStayInsideTheirNetworkAndApart() throws {
        try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
        try w.createVirtualNetwork(
            name: "vnet1", resourceGroup: "rg", location: nil, addressPrefixes: ["10.1.0.0/16"],
            subnet: ("a", "10.1.1.0/24"), tags: [:])
        func put(_ name: String, _ prefix: String) -> String {
            code {
                try w.putSubnet(
                    network: "vnet1", resourceGroup: "rg", name: name, addressPrefix: prefix, serviceEndpoints: [],
                    update: false)
            }
        }
        XCTAssertEqual(put("b", "10.1.2.0/24"), "Success")
        XCTAssertEqual(put("c", "10.1.2.128/25"), "NetcfgSubnetRangesOverlap")
        XCTAssertEqual(put("d", "10.2.0.0/24"), "NetcfgSubnetRangeOutsideVnet")
        XCTAssertEqual(put("e", "10.1.300.0/24"), "InvalidAddressPrefixFormat")
        XCTAssertEqual(
            code {
                try w.putSubnet(
                    network: "vnet1", resourceGroup: "rg", name: "zz", addressPrefix: nil,
                    serviceEndpoints: ["Microsoft.KeyVault"], update: true)
            }, "NotFound")
    }

    func testAVaultRuleNeedsAnExistingSubnetWithTheKeyVaultEndpoint() throws {
        try w.createResourceGroup(name: "rg", location: "westus", tags: nil, managedBy: nil)
        try w.createVault(
            name: "vault1", resourceGroup: "rg", location: nil, settings: VaultSettings(), selfPermissions: false)
        let n = try w.createVirtualNetwork(
            name: "vnet1", resourceGroup: "rg", location: nil, addressPrefixes: ["10.1.0.0/16"],
            subnet: ("apps", "10.1.1.0/24"), tags: [:])
        let id = w.virtualNetworkID(n) + "/subnets/apps"
        func add(_ subnet: String) -> String {
            code { _ = try w.addNetworkRules(vault: "vault1", resourceGroup: nil, ipRules: [], subnets: [subnet]) }
        }
        XCTAssertEqual(add(id), "SubnetsHaveNoServiceEndpointsConfigured")
        XCTAssertEqual(add(w.virtualNetworkID(n) + "/subnets/missing"), "InvalidResourceReference")
        try w.putSubnet(
            network: "vnet1", resourceGroup: "rg", name: "apps", addressPrefix: nil,
            serviceEndpoints: ["Microsoft.KeyVault"], update: true)
        XCTAssertEqual(add(id), "Success")
        XCTAssertEqual(w.vaults["vault1"]?.networkAcls?.virtualNetworkRules, [id])
    }
}
