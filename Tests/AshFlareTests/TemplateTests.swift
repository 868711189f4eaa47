import AshFlare
import AshFlareTestKit
import Testing

@Suite("Worker templates", .timeLimit(.minutes(1)))
struct TemplateTests {
    static let fetcher = WorkerTemplate("fetcher", summary: "polls a URL", parameters: ["url", "interval-ms"]) { request in
        _ = try request.argument(0, named: "url")
        _ = try request.integer(1, named: "interval-ms", default: 1000)
        return .worker(request.id, restart: .transient) { IdleWorker() }
    }

    func tree() async throws -> TreeUnderTest {
        let spec = SupervisorSpec("root") {
            SupervisorSpec("pool").withTemplates([Self.fetcher])
        }
        return try await TreeUnderTest.start(spec)
    }

    @Test("a child is started by template name and arguments under a fresh id")
    func startByName() async throws {
        let t = try await tree()
        let first = try await t.tree.startChild(template: "fetcher", arguments: ["https://a"], under: "root/pool")
        let second = try await t.tree.startChild(template: "fetcher", arguments: ["https://b", "250"], under: "root/pool")
        #expect(first == "root/pool/fetcher-1")
        #expect(second == "root/pool/fetcher-2")
        let infos = try t.tree.whichChildren(of: "root/pool")
        #expect(infos.map(\.state) == [.running, .running])
        #expect(infos.map(\.restartPolicy) == [.transient, .transient])
        await t.tree.shutdown()
    }

    @Test("an unknown template fails with unknownTemplate naming the ones there are; the tree is unchanged")
    func unknownTemplate() async throws {
        let t = try await tree()
        do {
            try await t.tree.startChild(template: "nope", arguments: [], under: "root/pool")
            Issue.record("accepted an unknown template")
        } catch let error as SupervisorError {
            #expect(error.code == .unknownTemplate)
            #expect(error.message.contains("'nope'") && error.message.contains("fetcher"))
        }
        #expect(try t.tree.whichChildren(of: "root/pool").isEmpty)
        await t.tree.shutdown()
    }

    @Test("bad arguments fail with badArguments naming the argument; the tree is unchanged")
    func badArguments() async throws {
        let t = try await tree()
        for (arguments, message) in [([String](), "missing argument 1 (url)"), (["u", "soon"], "argument 2 (interval-ms) must be an integer (was 'soon')")] {
            do {
                try await t.tree.startChild(template: "fetcher", arguments: arguments, under: "root/pool")
                Issue.record("accepted \(arguments)")
            } catch let error as SupervisorError {
                #expect(error.code == .badArguments)
                #expect(error.message.contains(message), "\(error.message)")
            }
        }
        #expect(try t.tree.whichChildren(of: "root/pool").isEmpty)
        await t.tree.shutdown()
    }

    @Test("a snapshot lists each supervisor's templates")
    func snapshotListsTemplates() async throws {
        let t = try await tree()
        let pool = try #require(t.tree.snapshot().node(at: "root/pool")?.supervisor)
        #expect(pool.templates == [TemplateInfo(name: "fetcher", summary: "polls a URL", parameters: ["url", "interval-ms"])])
        #expect(t.tree.snapshot().root.supervisor?.templates == [])
        await t.tree.shutdown()
    }

    @Test("duplicate template names are rejected up front")
    func duplicateNames() async {
        await expectSupervisorError(.invalidSpec) {
            _ = try await SupervisorHandle.start(SupervisorSpec("root").withTemplates([Self.fetcher, Self.fetcher]), clock: ManualClock())
        }
    }
}
