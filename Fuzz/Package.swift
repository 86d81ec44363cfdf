// swift-tools-version: 6.0
// libFuzzer over keydrill's three input languages: the line language, the az parser and
// JMESPath. Build and run with tools/fuzz.sh (swift build -Xswiftc -sanitize=fuzzer).
import PackageDescription

let package = Package(
    name: "keydrill-fuzz",
    dependencies: [.package(name: "keydrill", path: "..")],
    targets: [
        .executableTarget(
            name: "keydrill-fuzz",
            dependencies: [.product(name: "KeydrillLanguages", package: "keydrill")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
