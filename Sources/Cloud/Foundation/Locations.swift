/// Azure's public regions: the short name ARM stores and the display name the portal (and Service
/// Bus's `location` field) shows.
public struct Region: Sendable, Equatable {
    public let name: String
    public let displayName: String
}

public enum Locations {
    public static let all: [Region] = [
        ("eastus", "East US"), ("eastus2", "East US 2"), ("southcentralus", "South Central US"),
        ("westus2", "West US 2"), ("westus3", "West US 3"), ("australiaeast", "Australia East"),
        ("southeastasia", "Southeast Asia"), ("northeurope", "North Europe"), ("swedencentral", "Sweden Central"),
        ("uksouth", "UK South"), ("westeurope", "West Europe"), ("centralus", "Central US"),
        ("southafricanorth", "South Africa North"), ("centralindia", "Central India"), ("eastasia", "East Asia"),
        ("japaneast", "Japan East"), ("koreacentral", "Korea Central"), ("canadacentral", "Canada Central"),
        ("francecentral", "France Central"), ("germanywestcentral", "Germany West Central"),
        ("italynorth", "Italy North"), ("norwayeast", "Norway East"), ("polandcentral", "Poland Central"),
        ("switzerlandnorth", "Switzerland North"), ("uaenorth", "UAE North"), ("brazilsouth", "Brazil South"),
        ("northcentralus", "North Central US"), ("westus", "West US"), ("westcentralus", "West Central US"),
        ("japanwest", "Japan West"), ("australiasoutheast", "Australia Southeast"), ("ukwest", "UK West"),
        ("canadaeast", "Canada East"), ("koreasouth", "Korea South"), ("southindia", "South India"),
        ("westindia", "West India"), ("francesouth", "France South"), ("germanynorth", "Germany North"),
        ("norwaywest", "Norway West"), ("switzerlandwest", "Switzerland West"), ("uaecentral", "UAE Central"),
        ("brazilsoutheast", "Brazil Southeast"), ("australiacentral", "Australia Central"),
        ("southafricawest", "South Africa West"), ("eastus2euap", "East US 2 EUAP"),
        ("centraluseuap", "Central US EUAP"),
    ].map { Region(name: $0.0, displayName: $0.1) }

    /// The portal's name for a short name (`East US` for `eastus`); an unknown one as it is.
    public static func displayName(of name: String) -> String {
        all.first { $0.name == name }?.displayName ?? name
    }

    /// Azure's region pairs (where geo-redundant backups go), by short name, as Learn's "Azure
    /// region pairs" table lists them. A region without a pair here has no geo-redundant backup
    /// in keydrill.
    public static let pairs: [String: String] = {
        let pairs = [
            ("eastus", "westus"), ("eastus2", "centralus"), ("westus2", "westcentralus"),
            ("northcentralus", "southcentralus"), ("northeurope", "westeurope"), ("uksouth", "ukwest"),
            ("francecentral", "francesouth"), ("germanywestcentral", "germanynorth"), ("japaneast", "japanwest"),
            ("australiaeast", "australiasoutheast"), ("canadacentral", "canadaeast"), ("koreacentral", "koreasouth"),
            ("southeastasia", "eastasia"), ("centralindia", "southindia"), ("switzerlandnorth", "switzerlandwest"),
            ("norwayeast", "norwaywest"), ("uaenorth", "uaecentral"), ("southafricanorth", "southafricawest"),
        ]
        var out = [String: String]()
        for (a, b) in pairs { out[a] = b; out[b] = a }
        // One-way pairs (Learn, "Azure region pairs"): their partner's own pair is another region.
        out["westus3"] = "eastus"
        out["brazilsouth"] = "southcentralus"
        out["brazilsoutheast"] = "brazilsouth"
        return out
    }()

    /// Accepts a short name in any case or a display name (az turns display names into short
    /// names), and refuses anything else as ARM does.
    public static func resolve(_ text: String, forResourceGroup: Bool = false) throws -> Region {
        let key = text.lowercased().replacingOccurrences(of: " ", with: "")
        if let r = all.first(where: { $0.name == key }) { return r }
        let names = all.map(\.name).joined(separator: ",")
        if forResourceGroup {
            throw CloudError.badRequest(
                "LocationNotAvailableForResourceGroup",
                "The provided location '\(text)' is not available for resource group. List of available regions is "
                    + "'\(names)'."
            )
        }
        throw CloudError.badRequest(
            "LocationNotAvailableForResourceType",
            "The provided location '\(text)' is not available for resource type. List of available regions for the "
                + "resource type is '\(names)'."
        )
    }
}
