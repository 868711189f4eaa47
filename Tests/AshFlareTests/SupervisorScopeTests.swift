import AshFlare
import AshFlareTestKit
import Synchronization
import Testing

/// ``SupervisorScope``: a worker grows and shrinks a pool of siblings through its own supervisor.
@Suite("A worker's handle to its supervisor", .timeLimit(.minutes(1)))
struct SupervisorScopeTests {
    static let job = WorkerTemplate("job", summary: "one job", parameters: ["name"]) { request in
        _ = try request.argument(0, named: "name")
        return .worker(request.id, restart: .temporary) { IdleWorker() }
    }

    /// A dispatcher that starts `count` jobs from its run(), then stops the first one, and
    /// reports what it saw.
    struct Dispatcher: Worker {
        let scope: SupervisorScope?
        let count: Int
        let report: @Sendable (Result<[ChildID], any Error>) -> Void

        func run() async throws {
            do {
                guard let scope else { throw SupervisorError(.invalidSpec, "no scope") }
                var started: [ChildPath] = []
                for index in 0..<count { started.append(try await scope.startChild(template: "job", arguments: ["\(index)"])) }
                try await scope.terminate(ChildPath(components: [started[0].id]))
                report(.success(try scope.whichChildren().map(\.id)))
            } catch {
                report(.failure(error))
            }
            try await IdleWorker().run()  // idles until its supervisor stops it
        }
    }

    @Test("a worker starts siblings from a template and terminates one, relative to its own supervisor")
    func pool() async throws {
        let (stream, continuation) = AsyncStream<Result<[ChildID], any Error>>.makeStream()
        let spec = SupervisorSpec("root") {
            SupervisorSpec("pool") {
                ChildSpec.worker("dispatcher") { context in
                    Dispatcher(scope: context.supervisor, count: 3, report: { continuation.yield($0) })
                }
            }.withTemplates([Self.job])
        }
        let tree = try await SupervisorHandle.start(spec, clock: ManualClock())
        var reports = stream.makeAsyncIterator()
        let seen = try #require(await reports.next()).get()
        // job-1 was temporary: terminating it dropped its spec.
        #expect(seen == ["dispatcher", "job-2", "job-3"])
        #expect(try tree.whichChildren(of: "root/pool").map(\.state) == [.running, .running, .running])
        await tree.shutdown()
    }

    @Test("the scope names its supervisor and cannot reach a child that is not below it")
    func bounded() async throws {
        let scopes = Mutex<[SupervisorScope]>([])
        let spec = SupervisorSpec("root") {
            ChildSpec.worker("sibling") { IdleWorker() }
            SupervisorSpec("pool") {
                ChildSpec.worker("a") { context in
                    scopes.withLock { $0.append(context.supervisor!) }
                    return IdleWorker()
                }
            }
        }
        let tree = try await SupervisorHandle.start(spec, clock: ManualClock())
        let scope = try #require(scopes.withLock { $0.first })
        #expect(scope.path == "root/pool")
        await expectSupervisorError(.childNotFound) { try await scope.kill("sibling") }
        await tree.shutdown()
        await expectSupervisorError(.shuttingDown) { try await scope.kill("a") }
    }
}
