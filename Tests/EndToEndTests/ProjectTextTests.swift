import Foundation
import XCTest

/// The project speaks of itself as it is now: no page, source, test or tool tells the history of
/// its work (sessions, issue numbers; git holds that), the README stays a front page, and what
/// the code cites exists in the repository.
final class ProjectTextTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized.path

    func files(under folder: String, _ extensions: Set<String>) -> [String] {
        let root = Self.repo + "/" + folder
        guard let e = FileManager.default.enumerator(atPath: root) else { return [folder].filter { _ in false } }
        return e.compactMap { $0 as? String }.filter { p in
            extensions.contains((p as NSString).pathExtension) && !p.contains(".generated.")
                && !p.hasPrefix("FuzzCorpus")
        }.map { root + "/" + $0 }
    }

    func testNoTextTellsTheHistoryOfItsWork() throws {
        let history = try NSRegularExpression(
            pattern: "session [0-9]|session's (build|binary)|issues? #?[0-9]+", options: [.caseInsensitive])
        let paths =
            [Self.repo + "/README.md", Self.repo + "/CONTRIBUTING.md"] + files(under: "docs", ["md"])
            + files(under: "Sources", ["swift", "tsv", "h"]) + files(under: "Tests", ["swift"])
            + files(under: "tools", ["py", "sh"])
        XCTAssertGreaterThan(paths.count, 200)
        for path in paths {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let l = String(line)
                if path.hasSuffix("ProjectTextTests.swift") && l.contains("pattern:") { continue }
                let hit = history.firstMatch(in: l, range: NSRange(l.startIndex..., in: l))
                XCTAssertNil(hit, "\(path):\(n + 1): \(l)")
            }
        }
    }

    func testTheREADMEIsAFrontPageAndItsLinksResolve() throws {
        let readme = try String(contentsOfFile: Self.repo + "/README.md", encoding: .utf8)
        XCTAssertLessThan(readme.split(separator: "\n", omittingEmptySubsequences: false).count, 200)
        let links = try NSRegularExpression(pattern: #"\]\(((?:docs/|CONTRIBUTING)[^)]*)\)"#)
        let found = links.matches(in: readme, range: NSRange(readme.startIndex..., in: readme)).map {
            String(readme[Range($0.range(at: 1), in: readme)!])
        }
        XCTAssertGreaterThanOrEqual(found.count, 10)
        for link in found {
            XCTAssertTrue(FileManager.default.fileExists(atPath: Self.repo + "/" + link), link)
        }
    }
}
