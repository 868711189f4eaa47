// The README's Quick Start, compiled with every build (`swift run quick-start`).
// A test checks that README.md shows exactly the code between the markers.
// quick-start:begin
import AshFlare

/// A worker: `run()` does the work; throwing makes its supervisor restart it.
struct Pinger: Worker {
    let target: String

    func run() async throws {
        while true {
            try await Task.sleep(for: .milliseconds(200))   // ping `target` here
        }
    }
}

let spec = SupervisorSpec("app", strategy: .oneForOne) {
    ChildSpec.worker("pinger") { Pinger(target: "example.com") }
    SupervisorSpec("db", strategy: .restForOne) {
        ChildSpec.worker("connection") { Pinger(target: "db:5432") }
        ChildSpec.worker("pool", restart: .transient) { Pinger(target: "db:5432") }
    }
}

let tree = try await SupervisorHandle.start(spec)
let events = tree.events()

try await tree.kill("app/db/connection")    // inject a fault: rest-for-one restarts connection and pool

for await event in events {                 // watch the tree heal
    print(event.kind)
    if case .childStarted(path: "app/db/pool", _) = event.kind { break }
}
print(try tree.whichChildren(of: "app/db").map { "\($0.id): \($0.state), incarnation \($0.incarnation)" })
await tree.shutdown()                       // stops every child in reverse order, then returns
// quick-start:end
