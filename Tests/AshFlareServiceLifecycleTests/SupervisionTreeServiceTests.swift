import AshFlare
import AshFlareServiceLifecycle
import AshFlareTestKit
import Glibc
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@Suite("ServiceLifecycle integration", .timeLimit(.minutes(1)), .serialized)
struct SupervisionTreeServiceTests {
    final class Recorder: Sendable {
        let handle = Mutex<SupervisorHandle?>(nil)
        let events = Mutex<SupervisorEvents?>(nil)
        let started = AsyncStream.makeStream(of: Void.self)
    }

    func service(_ recorder: Recorder, scripts: [WorkerScript]) -> SupervisionTreeService {
        let spec = SupervisorSpec("svc") {
            for (index, script) in scripts.enumerated() {
                ChildSpec.worker("w\(index)") { script.makeWorker() }
            }
        }
        return SupervisionTreeService(spec, clock: ManualClock()) { tree in
            recorder.handle.withLock { $0 = tree }
            recorder.events.withLock { $0 = tree.events() }
            recorder.started.continuation.yield()
        }
    }

    func stopOrder(_ recorder: Recorder) async -> [ChildPath] {
        guard let events = recorder.events.withLock({ $0 }) else { return [] }
        var order: [ChildPath] = []
        for await event in events {
            if case .childExited(let path, _, .shutdown) = event.kind { order.append(path) }
        }
        return order
    }

    @Test("graceful shutdown of the group stops the tree in reverse order and awaits it")
    func gracefulShutdown() async throws {
        let recorder = Recorder()
        let scripts = [WorkerScript(), WorkerScript(), WorkerScript()]
        let group = ServiceGroup(services: [service(recorder, scripts: scripts)], logger: Logger(label: "test"))
        async let running: Void = group.run()
        var started = recorder.started.stream.makeAsyncIterator()
        await started.next()
        await group.triggerGracefulShutdown()
        try await running
        #expect(await stopOrder(recorder) == ["svc/w2", "svc/w1", "svc/w0", "svc"])
        #expect(scripts.map(\.shutdownHookRuns) == [1, 1, 1])
        #expect(recorder.handle.withLock { $0 }?.liveWorkerTasks == 0)
    }

    @Test("a real termination signal shuts the tree down gracefully")
    func signal() async throws {
        let recorder = Recorder()
        let scripts = [WorkerScript(), WorkerScript()]
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: service(recorder, scripts: scripts))],
            gracefulShutdownSignals: [.sigusr2], logger: Logger(label: "test")))
        async let running: Void = group.run()
        var started = recorder.started.stream.makeAsyncIterator()
        await started.next()
        kill(getpid(), SIGUSR2)
        try await running
        #expect(await stopOrder(recorder) == ["svc/w1", "svc/w0", "svc"])
    }

    @Test("a tree whose root gives up makes run() throw TreeFailedError")
    func failure() async throws {
        let spec = SupervisorSpec("fragile", intensity: RestartIntensity(maxRestarts: 0, within: .seconds(1))) {
            ChildSpec.worker("w", backoff: .none) { CrashingWorker() }
        }
        await #expect(throws: TreeFailedError(root: "fragile")) {
            try await SupervisionTreeService(spec, clock: ManualClock()).run()
        }
    }
}
