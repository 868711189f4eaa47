import AshFlare
import AshFlareTestKit
import Testing

@Suite("Spec validation")
struct SpecValidationTests {
    static let invalid: [(String, SupervisorSpec, String)] = [
        ("empty root id", SupervisorSpec(""), "id must not be empty"),
        ("slash in root id", SupervisorSpec("a/b"), "must not contain '/' (was 'a/b')"),
        ("negative max restarts", SupervisorSpec("root", intensity: RestartIntensity(maxRestarts: -1, within: .seconds(1))),
         "root: intensity.maxRestarts must not be negative (was -1)"),
        ("zero period", SupervisorSpec("root", intensity: RestartIntensity(maxRestarts: 1, within: .zero)),
         "root: intensity.period must be positive"),
        ("duplicate ids", SupervisorSpec("root") {
            ChildSpec.worker("a") { IdleWorker() }
            ChildSpec.worker("a") { IdleWorker() }
        }, "root: child id must be unique (was 'a' twice)"),
        ("empty child id", SupervisorSpec("root") { ChildSpec.worker("") { IdleWorker() } }, "root: id must not be empty"),
        ("slash in nested id", SupervisorSpec("root") { SupervisorSpec("x") { ChildSpec.worker("p/q") { IdleWorker() } } },
         "root/x: id must not contain '/' (was 'p/q')"),
        ("negative timeout", SupervisorSpec("root") { ChildSpec.worker("a", shutdown: .timeout(.seconds(-1))) { IdleWorker() } },
         "root/a: shutdown timeout must not be negative"),
        ("backoff cap below initial", SupervisorSpec("root") {
            ChildSpec.worker("a", backoff: .exponential(initial: .seconds(2), maximum: .seconds(1))) { IdleWorker() }
        }, "root/a: backoff needs 0 ≤ initial ≤ maximum"),
        ("jitter out of range", SupervisorSpec("root") {
            ChildSpec.worker("a", backoff: .exponential(initial: .seconds(1), maximum: .seconds(2), jitter: 1.5)) { IdleWorker() }
        }, "root/a: backoff.jitter must be within 0...1 (was 1.5)"),
        ("deep duplicate", SupervisorSpec("root") {
            SupervisorSpec("db") { ChildSpec.worker("p") { IdleWorker() }; ChildSpec.worker("p") { IdleWorker() } }
        }, "root/db: child id must be unique (was 'p' twice)"),
    ]

    @Test("an invalid spec is rejected with one error naming the field and the value", arguments: invalid)
    func rejects(name: String, spec: SupervisorSpec, message: String) async {
        do {
            _ = try await SupervisorHandle.start(spec, clock: ManualClock())
            Issue.record("\(name): accepted")
        } catch let error as SupervisorError {
            #expect(error.code == .invalidSpec)
            #expect(error.message.contains(message), "\(name): \(error.message)")
        } catch {
            Issue.record("\(name): \(error)")
        }
    }

    @Test("an invalid child started at runtime is rejected and the tree is unchanged")
    func runtimeValidation() async throws {
        let tree = try await SupervisorHandle.start(SupervisorSpec("root"), clock: ManualClock())
        await expectSupervisorError(.invalidSpec) {
            try await tree.startChild(.worker("a/b") { IdleWorker() }, under: "root")
        }
        #expect(try tree.whichChildren(of: "root").isEmpty)
        await tree.shutdown()
    }

    @Test("defaults match the crate and OTP: one-for-one, permanent, 3 restarts in 5 s, 5 s worker shutdown")
    func defaults() {
        let spec = SupervisorSpec("root") { ChildSpec.worker("a") { IdleWorker() } }
        #expect(spec.strategy == .oneForOne)
        #expect(spec.intensity == RestartIntensity(maxRestarts: 3, within: .seconds(5)))
        #expect(spec.children[0].restart == .permanent)
        #expect(spec.children[0].shutdown == .timeout(.seconds(5)))
        #expect(ChildSpec.supervisor(spec).shutdown == .infinity)
        #expect(spec.children[0].backoff == .exponential(initial: .milliseconds(100), maximum: .seconds(30)))
    }

    @Test("the children builder supports if, for and optionals")
    func builder() {
        let extra: ChildSpec? = nil
        let withCache = true
        let spec = SupervisorSpec("root") {
            if withCache { ChildSpec.worker("cache") { IdleWorker() } }
            for index in 1...2 { ChildSpec.worker("pool-\(index)") { IdleWorker() } }
            if let extra { extra }
            if !withCache { ChildSpec.worker("never") { IdleWorker() } } else { SupervisorSpec("db") }
        }
        #expect(spec.children.map(\.id) == ["cache", "pool-1", "pool-2", "db"])
    }

    @Test("paths parse and print in the slash form")
    func paths() throws {
        let path = try #require(ChildPath(parsing: "root/db/pool-1"))
        #expect(path.components == ["root", "db", "pool-1"])
        #expect(path.description == "root/db/pool-1")
        #expect(path.parent == "root/db")
        #expect(path.id == "pool-1")
        #expect(ChildPath(parsing: "") == nil)
        #expect(ChildPath(parsing: "root//x") == nil)
        #expect(ChildPath(parsing: "/root") == nil)
        #expect(ChildPath(parsing: "root/") == nil)
        #expect(ChildPath(parsing: "/") == nil)
        #expect(ChildPath(parsing: "x")?.components == ["x"])
        #expect(ChildPath(parsing: "店/ünï/🙂-1")?.components == ["店", "ünï", "🙂-1"], "non-ASCII ids split at '/' only")
        #expect(path.isDescendant(of: "root/db"))
        #expect(!ChildPath("root/dbx").isDescendant(of: "root/db"))
    }
}
