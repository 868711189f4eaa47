import AshFlare
import AshFlareDashboard
import Testing

@Suite("Custom keys: the application's own keys (the demo's chaos monkey)")
struct CustomKeyTests {
    let chaos = CustomKey("c", help: "chaos monkey on / off")

    @Test("A custom key becomes a .custom command; other letters do nothing")
    func command() {
        var state = Fixture.state(options: DashboardOptions(customKeys: [chaos]))
        #expect(Fixture.press(&state, [.character("c")]) == [.custom("c")])
        #expect(Fixture.press(&state, [.character("z")]).isEmpty)
    }

    @Test("--readonly disables a custom key that changes the tree, not one that only looks")
    func readOnly() {
        let look = CustomKey("w", help: "where am I", changesTree: false)
        var state = Fixture.state(options: DashboardOptions(readOnly: true, customKeys: [chaos, look]))
        #expect(Fixture.press(&state, [.character("c")]).isEmpty)
        #expect(state.status?.text.contains("read-only") == true)
        #expect(Fixture.press(&state, [.character("w")]) == [.custom("w")])
    }

    @Test("The outcome sets the status line, the header badge and a log note; nil badge clears it")
    func outcome() {
        var state = Fixture.state(options: DashboardOptions(customKeys: [chaos]))
        state.apply(.custom(CustomKeyOutcome(message: "chaos monkey on", badge: "CHAOS 1/s")))
        #expect(state.status?.text == "chaos monkey on")
        #expect(Renderer.render(state, width: 120, height: 36)[0].text.contains("CHAOS 1/s"))
        guard case .note(let note)? = state.log.elements.last?.kind else {
            Issue.record("expected a log note")
            return
        }
        #expect(note == "chaos monkey on")
        state.apply(.custom(CustomKeyOutcome(message: "chaos monkey off", badge: nil)))
        #expect(!Renderer.render(state, width: 120, height: 36)[0].text.contains("CHAOS"))
    }

    @Test("The key line shows a custom key by its label; --readonly hides one that changes the tree")
    func keyLine() {
        let state = Fixture.state(options: DashboardOptions(customKeys: [CustomKey("c", label: "chaos", help: "chaos monkey on / off")]))
        #expect(Renderer.render(state, width: 160, height: 36).last?.text.contains("c chaos") == true)
        let readOnly = Fixture.state(options: DashboardOptions(readOnly: true, customKeys: [chaos]))
        #expect(Renderer.render(readOnly, width: 160, height: 36).last?.text.contains("c chaos") == false)
    }

    @Test("The help overlay lists custom keys before ? and q")
    func help() {
        var state = Fixture.state(options: DashboardOptions(customKeys: [chaos]))
        Fixture.press(&state, [.character("?")])
        let frame = Renderer.render(state, width: 120, height: 36).map(\.text)
        let chaosLine = frame.firstIndex { $0.contains("chaos monkey on / off") }
        let quitLine = frame.firstIndex { $0.contains("quit") && $0.contains("Ctrl-C") }
        #expect(chaosLine != nil)
        #expect(chaosLine ?? .max < quitLine ?? .min)
    }
}
