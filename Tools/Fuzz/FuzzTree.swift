import AshFlare
import AshFlareTestKit

/// The tree the fuzzer serves: three victims the well-behaved clients kill (one per transport), and nodes nobody may touch.
enum FuzzTree {
    /// The supervisor of the victims; only its intensity may change.
    static let victims: ChildPath = "fuzz/victims"

    /// The victim a well-behaved client on `transport` kills.
    static func victim(_ transport: String) -> ChildPath { victims.appending(ChildID(transport)) }

    static func spec() -> SupervisorSpec {
        let generous = RestartIntensity(maxRestarts: 1_000_000, within: .seconds(1))
        return SupervisorSpec("fuzz") {
            SupervisorSpec("victims", intensity: generous) {
                ChildSpec.worker("tcp", backoff: .none) { IdleWorker() }
                ChildSpec.worker("unix", backoff: .none) { IdleWorker() }
                ChildSpec.worker("tls", backoff: .none) { IdleWorker() }
            }
            SupervisorSpec("workers") {
                for index in 0..<10 { ChildSpec.worker(ChildID("w\(index)"), backoff: .none) { IdleWorker() } }
            }.withTemplates([fetcher])
            SupervisorSpec("db", strategy: .restForOne) {
                ChildSpec.worker("conn", backoff: .none) { IdleWorker() }
                ChildSpec.worker("pool", restart: .transient, backoff: .none) { IdleWorker() }
            }
        }
    }

    static let fetcher = WorkerTemplate("fetcher", summary: "polls a URL", parameters: ["url", "interval-ms"]) { request in
        _ = try request.argument(0, named: "url")
        _ = try request.integer(1, named: "interval-ms", default: 1000)
        return .worker(request.id, restart: .transient, backoff: .none) { IdleWorker() }
    }
}

