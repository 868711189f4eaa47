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

    @Test("the DocC article 'Your first tree' shows the compiled Quick Start's fault and healing, subscribing first")
    func firstTreeSnippet() throws {
        let example = try read("Examples/QuickStart/main.swift")
        let begin = try #require(example.range(of: "let events = tree.events()"))
        let end = try #require(example.range(of: "// quick-start:end"))
        let code = String(example[begin.lowerBound..<end.lowerBound])
        let article = try read("Sources/AshFlare/AshFlare.docc/YourFirstTree.md")
        #expect(article.contains("```swift\n" + code + "```"), "YourFirstTree.md's healing block differs from Examples/QuickStart/main.swift")
    }

    @Test("README.md names the two set-up commands")
    func twoCommands() throws {
        let readme = try read("README.md")
        // The two commands stand alone on their lines in the first shell block, demo first.
        let firstBlock = try #require(readme.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first)
        let commands = firstBlock.split(separator: "\n").map { $0.split(separator: "#").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" }
            .filter { !$0.isEmpty }
        #expect(commands == ["swift run flare-demo", "swift test"], "README.md's first shell block is the two set-up commands")
        let ci = try read(".ci/run")
        // As it stands: alone on its line, or as the whole command given to the deadline wrapper.
        #expect(ci.split(separator: "\n").contains {
            let line = $0.trimmingCharacters(in: .whitespaces)
            return line == "swift test" || line.hasPrefix("tests_with_deadline ") && line.hasSuffix(" swift test")
        }, ".ci/run runs the README's test command as it stands")
    }
}
