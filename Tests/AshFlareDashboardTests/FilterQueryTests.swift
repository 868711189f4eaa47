import AshFlare
import AshFlareDashboard
import Testing

@Suite("Filter terms: state words, inverse, regular expressions")
struct FilterQueryTests {
    func shown(_ filter: String) -> [String] {
        var state = Fixture.state()
        Fixture.press(&state, [.character("/")] + Key.typing(filter) + [.enter])
        return state.visibleRows().compactMap { $0.id.path?.description }
    }

    @Test("state:backoff keeps the backing-off node and its ancestors only")
    func stateTerm() {
        #expect(shown("state:backoff") == ["shop", "shop/payments", "shop/payments/gateway"])
    }

    @Test("a bare state word filters by state, not by name", arguments: [
        ("failed", ["shop", "shop/reports"]),
        ("abandoned", ["shop", "shop/legacy-bridge"]),
        ("stopped", ["shop", "shop/cache-loader"]),
    ])
    func bareStateWord(word: String, expected: [String]) {
        #expect(shown(word) == expected)
    }

    @Test("!running hides every running node but keeps the ancestors of what is left")
    func inverse() {
        let rows = shown("!running")
        #expect(rows == ["shop", "shop/payments", "shop/payments/gateway", "shop/reports", "shop/cache-loader", "shop/legacy-bridge"])
    }

    @Test("a regular expression between slashes matches ids, ignoring case")
    func regularExpression() {
        #expect(shown("/^ACCEPTOR-[0-9]$/") == ["shop", "shop/acceptors", "shop/acceptors/acceptor-1", "shop/acceptors/acceptor-2"])
        #expect(shown("re:pool-w") == ["shop", "shop/db", "shop/db/pool", "shop/db/pool/pool-worker-1"])
    }

    @Test("terms combine with and: a name plus an inverse state")
    func combined() {
        #expect(shown("acceptor !running").isEmpty)
        #expect(shown("gate !running") == ["shop", "shop/payments", "shop/payments/gateway"])
        #expect(shown("pool state:running") == ["shop", "shop/db", "shop/db/pool", "shop/db/pool/pool-worker-1"])
    }

    @Test("name: finds a node whose name is a state word")
    func nameTerm() {
        var snapshot = Fixture.shop()
        snapshot.root.children.append(Fixture.worker("shop/failed-jobs"))
        var state = Fixture.state(snapshot)
        Fixture.press(&state, [.character("/")] + Key.typing("name:failed") + [.enter])
        #expect(state.visibleRows().compactMap { $0.id.path?.description } == ["shop", "shop/failed-jobs"])
    }

    @Test("trouble keeps failed, abandoned, backing-off, near-limit and recently restarted nodes")
    func troubleTerm() {
        let state = Fixture.state()
        let model = state.nodes[0].model
        func trouble(_ path: ChildPath) -> Trouble? {
            Trouble.of(slot: model.index(of: path)!, in: model, now: .seconds(100), recentRestarts: 0)
        }
        #expect(trouble("shop/db") == .nearLimit)
        #expect(trouble("shop/db/pool") == .nearLimit)
        #expect(trouble("shop/payments") == nil)
        #expect(trouble("shop/db/pool/pool-worker-1") == .restartedRecently)
        #expect(trouble("shop/reports") == .failed)
        #expect(trouble("shop/cache-loader") == nil)
        #expect(shown("trouble") == [
            "shop", "shop/acceptors", "shop/acceptors/acceptor-2", "shop/db", "shop/db/pool", "shop/db/pool/pool-worker-1",
            "shop/payments", "shop/payments/gateway", "shop/reports", "shop/legacy-bridge",
        ])
    }

    @Test("a broken regular expression is named in the status line and hides nothing")
    func brokenRegex() {
        var state = Fixture.state()
        let all = state.visibleRows().count
        Fixture.press(&state, [.character("/")] + Key.typing("/(/"))
        #expect(state.status?.text.contains("/(/ is not a regular expression") == true)
        #expect(state.status?.tone == .error)
        #expect(state.visibleRows().count == all)
    }

    @Test("an unknown state: word is an error naming the known words")
    func unknownState() {
        let query = FilterQuery("state:sleepy")
        #expect(query.isEmpty)
        #expect(query.errors.first?.contains("state:sleepy is not a state") == true)
        #expect(query.errors.first?.contains("backoff") == true)
    }
}
