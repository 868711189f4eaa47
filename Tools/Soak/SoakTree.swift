import Dispatch
import AshFlare
import AshFlareTestKit
import Synchronization

/// The soak tree: ≥ 1,000 nodes, all three strategies, nested three levels, mixed policies, some
/// workers with backoff, some that ignore cancellation for a while, and a supervisor of real
/// process children (``SoakProcesses``).
enum SoakTree {
    static let strategies: [RestartStrategy] = [.oneForOne, .oneForAll, .restForOne]
    static let policies: [RestartPolicy] = [.permanent, .permanent, .transient, .temporary]

    static func spec(processes: SupervisorSpec, groups: Int = 10, subgroups: Int = 10, workers: Int = 9) -> SupervisorSpec {
        let generous = RestartIntensity(maxRestarts: 1_000_000, within: .seconds(1))
        return SupervisorSpec("soak", strategy: .oneForOne, intensity: generous) {
            for g in 0..<groups {
                SupervisorSpec("g\(g)", strategy: strategies[g % 3], intensity: RestartIntensity(maxRestarts: 200, within: .seconds(1))) {
                    for s in 0..<subgroups {
                        SupervisorSpec("s\(s)", strategy: strategies[(g + s) % 3], intensity: RestartIntensity(maxRestarts: 8, within: .seconds(1))) {
                            for w in 0..<workers { worker("w\(w)", index: g * 100 + s * 10 + w) }
                        }.withTemplates([template])
                    }
                }.withTemplates([template])
            }
            processes
        }
    }

    static let template = WorkerTemplate("extra", summary: "a soak worker", parameters: ["kind"]) { request in
        worker(request.id, index: try request.integer(0, named: "kind", default: 0))
    }

    static func worker(_ id: ChildID, index: Int) -> ChildSpec {
        let policy = policies[index % policies.count]
        let backoff: Backoff = index % 5 == 0 ? .exponential(initial: .milliseconds(1), maximum: .milliseconds(20), jitter: 0.3) : .none
        if index % 17 == 0 {
            return .worker(id, restart: policy, shutdown: .timeout(.milliseconds(5)), backoff: backoff) { StubbornWorker() }
        }
        if index % 11 == 0 {
            return .worker(id, restart: policy, backoff: backoff) { FlakyWorker() }
        }
        // Not `Task.sleep(for: .hours(1))`: a cancelled sleep keeps its timer until the deadline.
        return .worker(id, restart: policy, backoff: backoff) { IdleWorker() }
    }
}

/// Fails on its own now and then, until the soak calms down.
struct FlakyWorker: Worker {
    /// Set when the faults stop: flaky workers then idle, so the tree can settle and every
    /// permanent child be checked (on a slow machine ~80 flaky workers would otherwise keep
    /// restart rounds in flight for as long as one waits).
    static let calm = Atomic<Bool>(false)

    func run() async throws {
        try await Task.sleep(for: .milliseconds(Int64.random(in: 20...400)))
        if Self.calm.load(ordering: .relaxed) { return try await IdleWorker().run() }
        if Bool.random() { throw WorkerError("flaky") }
    }
}

/// Ignores cancellation for a while (longer than its shutdown timeout), then stops.
struct StubbornWorker: Worker {
    func run() async throws {
        try await IdleWorker().run()
    }

    func shutdown() async throws {
        // Waits past the supervisor's 5 ms timeout without reacting to cancellation (and without
        // burning CPU), like a worker stuck in a blocking call.
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(30)) { continuation.resume() }
        }
    }
}
