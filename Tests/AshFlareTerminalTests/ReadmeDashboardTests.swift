import Foundation
import Testing

@Suite("README: the dashboard snippet")
struct ReadmeDashboardTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func read(_ path: String) throws -> String {
        try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
    }

    @Test("README.md's Dashboard.run snippet is exactly the compiled example in Examples/Dashboard")
    func snippetMatches() throws {
        let example = try read("Examples/Dashboard/main.swift")
        let begin = try #require(example.range(of: "// dashboard:begin\n"))
        let end = try #require(example.range(of: "// dashboard:end"))
        let code = String(example[begin.upperBound..<end.lowerBound])
        #expect(code.contains("Dashboard.run(nodes: [DashboardNode("))
        #expect(!code.contains("import AshFlareDashboard"), "the snippet must compile with AshFlareTerminal alone")
        let readme = try read("README.md")
        #expect(readme.contains("```swift\n" + code + "```"), "README.md's dashboard snippet differs from Examples/Dashboard/main.swift")
    }
}
