import AshFlare
import AshFlareDashboard
import Testing

@Suite("Custom and remapped keys never silently override a built-in key")
struct KeyCollisionTests {
    @Test("a custom key on a built-in key is rejected, naming both", arguments: ["g", "n", "o", " ", "x"])
    func customCollides(key: String) {
        let options = DashboardOptions(customKeys: [CustomKey(key.first!, help: "my thing")])
        #expect(throws: DashboardOptionsError.self) { try options.validate() }
        do {
            try options.validate()
        } catch {
            #expect(error.message.contains("custom key '\(key)' (my thing) collides with the built-in '\(key)' (\(ReservedKeys.meaning(of: key.first!)!))"))
        }
    }

    @Test("a free custom key passes; the same key twice does not")
    func customFree() throws {
        try DashboardOptions(customKeys: [CustomKey("c", help: "chaos")]).validate()
        #expect(throws: DashboardOptionsError.self) {
            try DashboardOptions(customKeys: [CustomKey("c", help: "chaos"), CustomKey("c", help: "cheese")]).validate()
        }
    }

    @Test("a remapped key does what its built-in does, the built-in keeps working")
    func remap() {
        var options = DashboardOptions()
        options.keyMap = ["K": "x"]
        var state = Fixture.state(options: options)
        Fixture.select(&state, "shop/acceptors/acceptor-1")
        Fixture.press(&state, [.character("K")])
        guard case .confirm(let request) = state.overlay else {
            Issue.record("K should ask to kill")
            return
        }
        #expect(request.action == .kill)
    }

    @Test("a remap onto a key in use, or to a key that is not built in, is rejected")
    func remapCollides() {
        var onBuiltIn = DashboardOptions()
        onBuiltIn.keyMap = ["g": "x"]
        #expect(throws: DashboardOptionsError("key map 'g' → 'x' (kill) collides with the built-in 'g' (jump to the top)")) { try onBuiltIn.validate() }
        var onCustom = DashboardOptions(customKeys: [CustomKey("c", help: "chaos")])
        onCustom.keyMap = ["c": "x"]
        #expect(throws: DashboardOptionsError.self) { try onCustom.validate() }
        var toNothing = DashboardOptions()
        toNothing.keyMap = ["K": "Z"]
        #expect(throws: DashboardOptionsError("key map 'K' → 'Z': 'Z' is not a built-in key")) { try toNothing.validate() }
    }

    @Test("the snapshot switch: only the rewrite value plus the marker file, never under CI, never UPDATE_SNAPSHOTS")
    func snapshotSwitch() {
        #expect(snapshotRewriteEnabled(environment: ["ASHFLARE_SNAPSHOTS": "rewrite"], markerExists: true))
        #expect(!snapshotRewriteEnabled(environment: ["UPDATE_SNAPSHOTS": "1"], markerExists: true))
        #expect(!snapshotRewriteEnabled(environment: ["ASHFLARE_SNAPSHOTS": "rewrite"], markerExists: false))
        #expect(!snapshotRewriteEnabled(environment: ["ASHFLARE_SNAPSHOTS": "1"], markerExists: true))
        #expect(!snapshotRewriteEnabled(environment: ["ASHFLARE_SNAPSHOTS": "rewrite", "CI": "true"], markerExists: true))
    }
}
