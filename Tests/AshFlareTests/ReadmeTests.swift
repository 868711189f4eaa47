import Foundation
import Testing

@Suite("README")
struct ReadmeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func read(_ path: String) throws -> String {
        try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
    }

    @Test("the Quick Start in README.md is exactly the compiled example in Examples/QuickStart")
    func quickStartMatches() throws {
        let example = try read("Examples/QuickStart/main.swift")
        let begin = try #require(example.range(of: "// quick-start:begin\n"))
        let end = try #require(example.range(of: "// quick-start:end"))
        let code = String(example[begin.upperBound..<end.lowerBound])
        let readme = try read("README.md")
        #expect(readme.contains("```swift\n" + code + "```"), "README.md's Quick Start block differs from Examples/QuickStart/main.swift")
    }

    @Test("README.md names the two set-up commands")
    func twoCommands() throws {
        let readme = try read("README.md")
        #expect(readme.contains("swift run flare-demo"))
        #expect(readme.contains("swift test"))
    }
}
