import Foundation

/// A Key Vault key id, `https://{vault}.vault.azure.net/keys/{name}[/{version}]`.
public struct KeyIdentifier: Sendable, Equatable {
    public let vault: String
    public let name: String
    public let version: String?

    public init(vault: String, name: String, version: String?) {
        self.vault = vault
        self.name = name
        self.version = version
    }

    public static func parse(_ uri: String) -> KeyIdentifier? {
        guard let url = URL(string: uri), url.scheme?.lowercased() == "https", let host = url.host?.lowercased(),
            host.hasSuffix(".vault.azure.net")
        else { return nil }
        let parts = url.path.split(separator: "/").map(String.init)
        guard parts.count == 2 || parts.count == 3, parts[0].lowercased() == "keys" else { return nil }
        let version = parts.count == 3 ? parts[2] : nil
        if let v = version, v.count != 32 || !v.allSatisfy(\.isHexDigit) { return nil }
        return KeyIdentifier(vault: String(host.dropLast(".vault.azure.net".count)), name: parts[1], version: version)
    }

    public var uri: String { "https://\(vault).vault.azure.net/keys/\(name)" + (version.map { "/\($0)" } ?? "") }
}
