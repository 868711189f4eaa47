import Foundation
import AshFlare
import AshFlareProcess
import AshFlareTreeFile
import Testing

@Suite("Tree files")
struct TreeFileTests {
    static let good = """
        supervisor: shop
        strategy: rest-for-one
        intensity: { max-restarts: 5, within: 10s }
        children:
          - id: db
            command: [/bin/sleep, "1000"]
            shutdown: 2s
            ready: spawned
          - supervisor: workers
            strategy: one-for-all
            children:
              - id: queue
                command: /bin/true
                restart: transient
                backoff: { initial: 50ms, max: 2s }
                env: { QUEUE: jobs }
                inherit-env: false
                cwd: /tmp
                ready: { line: "^ready$", timeout: 5s }
        """

    @Test("a good file becomes nested supervisor specs with every field applied")
    func goodFile() throws {
        let spec = try TreeFile.parse(Self.good, file: "tree.yaml")
        #expect(spec.id == "shop")
        #expect(spec.strategy == .restForOne)
        #expect(spec.intensity == RestartIntensity(maxRestarts: 5, within: .seconds(10)))
        #expect(spec.children.map(\.id) == ["db", "workers"])
        #expect(spec.children[0].shutdown == .timeout(.seconds(2)))
        guard case .supervisor(let workers) = spec.children[1].kind else {
            Issue.record("workers is not a supervisor")
            return
        }
        #expect(workers.strategy == .oneForAll)
        #expect(workers.children[0].restart == .transient)
        #expect(workers.children[0].backoff == Backoff(initial: .milliseconds(50), maximum: .seconds(2)))
    }

    @Test("each bad file gets one error naming the file, line and field", arguments: [
        ("supervisor: s\nchildren:\n  - id: a\n    command: [/bin/true]\n    colour: red\n", 5, "children[0].colour", "unknown key"),
        ("supervisor: s\nchildren:\n  - id: a\n    command: [/bin/true]\n    restart: sometimes\n", 5, "children[0].restart", "was 'sometimes'"),
        ("supervisor: s\nchildren:\n  - id: a\n    command: [/bin/true]\n    env: [A, B]\n", 5, "children[0].env", "expected a mapping"),
        ("supervisor: s\nchildren:\n  - id: a\n    restart: permanent\n", 3, "children[0].command", "missing"),
        ("supervisor: s\nchildren:\n  - id: a\n    command: [no-such-program-ashflare]\n", 4, "children[0].command", "no-such-program-ashflare"),
        ("supervisor: s\nchildren:\n  - id: a\n    command: [/bin/true]\n  - id: a\n    command: [/bin/true]\n", 5, "children[1]", "duplicate id 'a'"),
        ("supervisor: s\nchildren:\n  - id: a\n    command: [/bin/true]\n    shutdown: soon\n", 5, "children[0].shutdown", "expected a duration"),
        ("supervisor: s\nintensity: { max-restarts: lots, within: 5s }\nchildren: []\n", 2, "intensity.max-restarts", "expected an integer"),
        ("supervisor: s\nchildren:\n  - id: a\n    command: [/bin/true]\n    env: { TOKEN: \"x\\0y\" }\n", 5, "children[0].env", "TOKEN contains a NUL byte"),
        ("supervisor: s\nchildren:\n  - id: a\n    command: [/etc/passwd]\n", 4, "children[0].command", "/etc/passwd"),
        ("supervisor: s\nchildren:\n  - id: a\n    command: /tmp\n", 4, "children[0].command", "/tmp"),
    ])
    func badFile(_ text: String, _ line: Int, _ field: String, _ message: String) {
        let error = #expect(throws: TreeFileError.self) { try TreeFile.parse(text, file: "bad.yaml") }
        #expect(error?.file == "bad.yaml")
        #expect(error?.line == line)
        #expect(error?.field == field)
        #expect(error?.message.contains(message) == true, "\(error?.description ?? "")")
        #expect(error?.description.hasPrefix("bad.yaml:\(line): \(field): ") == true)
    }

    @Test("every example tree file in Examples/trees is valid", arguments: ["web-app", "worker-queue", "crash-loop"])
    func examples(_ name: String) throws {
        let root = #filePath.components(separatedBy: "/Tests/")[0]
        let spec = try TreeFile.load("\(root)/Examples/trees/\(name).yaml")
        #expect(!spec.children.isEmpty)
    }

    @Test("a file that cannot be read is an error naming it")
    func unreadable() {
        let error = #expect(throws: TreeFileError.self) { try TreeFile.load("/nonexistent/tree.yaml") }
        #expect(error?.description == "/nonexistent/tree.yaml: cannot read the file")
    }
}
