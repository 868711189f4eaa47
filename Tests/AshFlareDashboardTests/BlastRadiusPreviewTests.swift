import AshFlare
import AshFlareDashboard
import Testing

/// The blast-radius line of every destructive confirm: the engine's planner on the model's
/// snapshot, never re-derived by the dashboard.
@Suite("Confirm prompts preview the blast radius with the engine's planner")
struct BlastRadiusPreviewTests {
    static let poolWorker: ChildPath = "shop/db/pool/pool-worker-1"

    /// The fixture at a still wall clock (tree time 100 s), as the engine would see it.
    static var snapshot: TreeSnapshot {
        let model = TreeModel(Fixture.shop())
        return TreeSnapshot(sequence: model.sequence, time: .seconds(100), root: model.snapshotRoot(at: .seconds(100))!)
    }

    @Test("x shows exactly the engine's summary: pool gives up (4/3) and db restarts it with the younger siblings")
    func killPreviewIsTheEngines() throws {
        var state = Fixture.state()
        Fixture.select(&state, Self.poolWorker)
        Fixture.press(&state, [.character("x")])
        let expected = try Self.snapshot.blastRadius(of: .kill, at: Self.poolWorker)
        #expect(state.confirmPreviews.lines.first??.text == expected.summary)
        #expect(state.confirmPreviews.lines.first??.severe == true)
        #expect(expected.reactions.count == 2)  // pool gives up, db handles it
        let text = Renderer.renderText(state, width: 120, height: 36)
        #expect(text.contains("kill shop/db/pool/pool-worker-1 → shop/db/pool exceeds"))
        Fixture.press(&state, [.character("n")])
        #expect(state.confirmPreviews.request.isEmpty)
    }

    @Test("each destructive key gets the planner's line: kill absorbed, terminate, delete, restart of a running child, subtree shutdown",
          arguments: [
              ("shop/acceptors/acceptor-1", "x", ChildOperation.kill, ""),
              ("shop/payments/gateway", "t", .terminate, ""),
              ("shop/cache-loader", "d", .delete, ""),
              ("shop/acceptors/acceptor-2", "r", .terminate, "; then it starts again"),
              ("shop/db", "s", .terminate, ""),
          ])
    func everyConfirm(path: String, key: Character, operation: ChildOperation, suffix: String) throws {
        let target = ChildPath(parsing: path)!
        var state = Fixture.state()
        Fixture.select(&state, target)
        Fixture.press(&state, [.character(key)])
        guard case .confirm = state.overlay else {
            Issue.record("no confirm for \(key) on \(path)")
            return
        }
        let expected = try Self.snapshot.blastRadius(of: operation, at: target).summary + suffix
        #expect(state.confirmPreviews.lines.first??.text == expected)
    }

    @Test("a bulk kill lists each marked node with its own preview")
    func bulk() throws {
        var state = Fixture.state()
        Fixture.select(&state, "shop/acceptors/acceptor-1")
        Fixture.press(&state, [.character(" ")])
        Fixture.select(&state, Self.poolWorker)
        Fixture.press(&state, [.character(" "), .character("x")])
        guard case .confirmBulk(let requests, _) = state.overlay else {
            Issue.record("no bulk confirm")
            return
        }
        #expect(state.confirmPreviews.request == requests)
        #expect(try state.confirmPreviews.lines.map { $0?.text } == requests.map { try Self.snapshot.blastRadius(of: .kill, at: $0.target).summary })
    }

    @Test("the confirm box with its preview (frame)")
    func frame() {
        var state = Fixture.state()
        Fixture.select(&state, Self.poolWorker)
        Fixture.press(&state, [.character("x")])
        expectFrame(Renderer.renderText(state, width: 120, height: 36), named: "confirm-kill-blast-radius")
    }
}
