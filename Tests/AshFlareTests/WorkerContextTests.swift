import Foundation
import AshFlare
import AshFlareTestKit
import Testing

@Suite("Context store (WorkerContext)", .timeLimit(.minutes(1)))
struct WorkerContextTests {
    @Test("get, set, delete, update, contains, count and keys behave like the crate's")
    func operations() {
        let store = WorkerContext(["a": 1])
        #expect(store.get("a") == 1)
        store.set("b", "two")
        #expect(store.keys == ["a", "b"])
        #expect(store.count == 2)
        #expect(store.contains("b"))
        #expect(store.delete("b") == "two")
        #expect(store.delete("b") == nil)
        #expect(store.update("a") { .int(($0?.intValue ?? 0) + 41) } == 42)
        #expect(store.update("a") { _ in nil } == nil, "returning nil deletes")
        #expect(!store.contains("a"))
        #expect(store.isEmpty)
        #expect(store.withValue("missing") { $0 == nil })
    }

    @Test("compare-and-set swaps only from the expected value")
    func compareAndSet() {
        let store = WorkerContext()
        #expect(store.compareAndSet("leader", expected: nil, to: "node-1"))
        #expect(!store.compareAndSet("leader", expected: nil, to: "node-2"))
        #expect(store.compareAndSet("leader", expected: "node-1", to: nil))
        #expect(!store.contains("leader"))
    }

    @Test("concurrent updates of one key lose nothing")
    func concurrentUpdates() async {
        let store = WorkerContext()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask { for _ in 0..<200 { store.update("counter") { .int(($0?.intValue ?? 0) + 1) } } }
            }
        }
        #expect(store.get("counter") == 10_000)
    }

    @Test("changes stream every change in order")
    func changes() async {
        let store = WorkerContext()
        var changes = store.changes().makeAsyncIterator()
        store.set("k", 1)
        store.set("k", 1)  // no change, no notification
        store.update("k") { _ in 2 }
        store.delete("k")
        #expect(await changes.next() == ContextChange(key: "k", oldValue: nil, newValue: 1))
        #expect(await changes.next() == ContextChange(key: "k", oldValue: 1, newValue: 2))
        #expect(await changes.next() == ContextChange(key: "k", oldValue: 2, newValue: nil))
    }

    @Test("values encode as plain JSON-compatible values and round-trip")
    func codable() throws {
        let value: ContextValue = ["name": "cart", "items": [1, 2.5, true, nil], "nested": ["x": -3]]
        #expect(value.description == #"{"items": [1, 2.5, true, null], "name": "cart", "nested": {"x": -3}}"#)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try encoder.encode(value)
        #expect(String(decoding: json, as: UTF8.self) == #"{"items":[1,2.5,true,null],"name":"cart","nested":{"x":-3}}"#,
                "plain JSON: no case names, no wrappers")
        #expect(try JSONDecoder().decode(ContextValue.self, from: json) == value)
        let store = WorkerContext(["v": value])
        #expect(store.get("v") == value)
    }

    @Test("data survives restarts of the workers, and two workers share it")
    func survivesRestarts() async throws {
        let store = WorkerContext()
        let crasher = WorkerScript()
        let spec = SupervisorSpec("root") {
            ChildSpec.worker("counter", backoff: .none) { context in
                context.store?.update("starts") { .int(($0?.intValue ?? 0) + 1) }
                return crasher.makeWorker()
            }
            ChildSpec.task("reader", backoff: .none) { context in
                context.store?.set("reader-saw", context.store?.get("starts") ?? .null)
                try await IdleWorker().run()
            }
        }.withContext(store)
        var t = try await TreeUnderTest.start(spec)
        crasher.crash()
        _ = await t.events.next(where: { $0.isStarted("root/counter", incarnation: 2) })
        #expect(store.get("starts") == 2)
        #expect(store.get("reader-saw") == 1, "the second worker saw the first one's write")
        #expect(t.tree.snapshot().root.supervisor?.context?["starts"] == 2)
        await t.tree.shutdown()
    }

    @Test("a nested supervisor inherits its parent's store unless it has its own")
    func inheritOrOwn() async throws {
        let outer = WorkerContext(), inner = WorkerContext()
        let spec = SupervisorSpec("root") {
            SupervisorSpec("inherits") {
                ChildSpec.task("w") { context in context.store?.set("from-inherits", true); try await IdleWorker().run() }
            }
            SupervisorSpec("owns") {
                ChildSpec.task("w") { context in context.store?.set("from-owns", true); try await IdleWorker().run() }
            }.withContext(inner)
        }.withContext(outer)
        let tree = try await SupervisorHandle.start(spec, clock: ManualClock())
        #expect(outer.keys == ["from-inherits"])
        #expect(inner.keys == ["from-owns"])
        #expect(tree.snapshot().node(at: "root/inherits")?.supervisor?.context == nil, "only an owner shows its store")
        #expect(tree.snapshot().node(at: "root/owns")?.supervisor?.context == ["from-owns": true])
        await tree.shutdown()
    }
}
