// The README's dashboard snippet, compiled with every build (`swift run dashboard-example` in a
// terminal). A test checks that README.md shows exactly the code between the markers.
// dashboard:begin
import AshFlare
import AshFlareTerminal

struct Idler: Worker {
    func run() async throws {
        try await Task.sleep(for: .seconds(3600))
    }
}

let tree = try await SupervisorHandle.start(SupervisorSpec("shop", strategy: .oneForOne) {
    ChildSpec.worker("payments") { Idler() }
})
try await Dashboard.run(nodes: [DashboardNode(name: "shop", control: tree)])
await tree.shutdown()
// dashboard:end
