// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "keydrill",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "keydrill", targets: ["keydrill"]),
        // For the fuzzing package in Fuzz/, which builds these with -sanitize=fuzzer.
        .library(name: "KeydrillLanguages", targets: ["JMESPath", "AzureCLI", "Shell"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .target(
            name: "JMESPath",
            dependencies: [.product(name: "OrderedCollections", package: "swift-collections")]
        ),
        .target(
            name: "Cloud",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "HashTreeCollections", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(name: "Store", dependencies: ["Cloud"]),
        .target(
            name: "AzureCLI",
            dependencies: ["Cloud", "JMESPath", "Yams"],
            // keydrill's own command groups, embedded by tools/gen-command-table.py.
            exclude: ["Table/KeydrillCommands.tsv"]
        ),
        .target(name: "Shell", dependencies: ["AzureCLI", "Store", "CEditLine"]),
        .target(
            name: "Runbook",
            dependencies: ["Shell", "JMESPath", "Yams", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "GameDay", dependencies: ["Cloud", "Store", "Shell", "Runbook", "Yams"]),
        .executableTarget(
            name: "keydrill",
            dependencies: [
                "Shell", "Runbook", "GameDay", "Store", "Cloud", "AzureCLI", "JMESPath",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The --query engine on stdin's cases, for tools/jmespath-diff.py (compared with jmespath.py).
        .executableTarget(name: "jmespath-eval", dependencies: ["JMESPath"]),
        // swift-crypto alone (no keydrill code), for tools/bench.sh: the ceiling of the RSA-bound
        // tick and of workload sealing.
        .executableTarget(
            name: "crypto-ceiling",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]),
        .testTarget(name: "JMESPathTests", dependencies: ["JMESPath"], exclude: ["Compliance"]),
        .testTarget(name: "CloudTests", dependencies: ["Cloud"]),
        .testTarget(name: "StoreTests", dependencies: ["Store"]),
        .testTarget(name: "AzureCLITests", dependencies: ["AzureCLI"], exclude: ["Probes"]),
        .testTarget(name: "ShellTests", dependencies: ["Shell"]),
        .testTarget(name: "RunbookTests", dependencies: ["Runbook"]),
        .testTarget(name: "GameDayTests", dependencies: ["GameDay", "Cloud"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "keydrill", "Store", "Cloud", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            exclude: ["Fixtures"]),
    ]
)
