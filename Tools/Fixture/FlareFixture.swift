import ArgumentParser
import AshFlare
import AshFlareTestKit
import AshFlareRemote

/// `flare-fixture`: serves a big tree with hostile names on a Unix socket until killed — for the
/// dashboard stress test (scripts/e2e-dashboard-stress.sh), not for production.
///
/// The tree: a root with `groups` supervisors of `nodes / groups` workers each. Names mix CJK,
/// emoji, combining marks and, every 7th worker, a 200-character id.
@main
struct FlareFixture: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flare-fixture", abstract: "Serve a big tree with wide and long names on a Unix socket (a test fixture).")

    @Option(help: "The Unix socket path to serve on.") var socket: String
    @Option(help: "Roughly how many nodes the tree has.") var nodes: Int = 100_000
    @Option(help: "Supervisors under the root.") var groups: Int = 100

    func validate() throws {
        guard nodes >= groups, groups >= 1 else { throw ValidationError("--nodes must be at least --groups, which must be positive") }
    }

    func run() async throws {
        let perGroup = max(1, nodes / groups - 1)
        let spec = SupervisorSpec("巨大な木🌳") {
            for group in 0..<groups {
                SupervisorSpec("组\(group)-🔥-grüße") {
                    for index in 0..<perGroup { ChildSpec.worker(Self.name(index), backoff: .none) { IdleWorker() } }
                }
            }
        }
        let tree = try await SupervisorHandle.start(spec)
        let server = try await SupervisorServer.bind(serving: tree, configuration: .init(listeners: [.unixSocket(path: socket)]))
        print("flare-fixture: serving unix://\(socket) with \(tree.snapshot().allNodes.count) nodes", terminator: "\n")
        try await server.run()
    }

    /// A worker id: wide characters, emoji, a combining mark, and now and then a very long id.
    static func name(_ index: Int) -> String {
        if index % 7 == 3 { return "w\(index)-" + String(repeating: "長い名前", count: 45) + "-end" }
        return ["工作者\(index)", "😀-\(index)-🚀", "e\u{301}-\(index)", "worker-\(index)"][index % 4]
    }
}

