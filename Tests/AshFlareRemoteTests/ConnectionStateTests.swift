@testable import AshFlareRemote
import Testing

@Suite("Connection state rules")
struct ConnectionStateTests {
    let limits = SupervisorServer.Limits(handshakeTimeout: .seconds(10), idleTimeout: .seconds(300))

    @Test("before hello the handshake timeout runs from acceptance")
    func handshake() {
        let state = ConnectionState(acceptedAt: .seconds(7))
        #expect(state.deadline(limits)?.at == .seconds(17))
        #expect(state.deadline(limits)?.error?.code == .handshakeTimeout)
    }

    @Test("after hello the idle timeout runs from the last activity, only while nothing is running")
    func idle() {
        var state = ConnectionState(acceptedAt: .zero)
        state.phase = .ready(.control)
        state.lastActivity = .seconds(20)
        #expect(state.deadline(limits)?.at == .seconds(320))
        #expect(state.deadline(limits)?.error?.code == .idleTimeout)
        let first = state.beginRequest(limit: 1)
        let second = state.beginRequest(limit: 1)
        #expect(first && !second)
        #expect(state.deadline(limits) == nil)
        _ = state.endRequest(at: .seconds(40))
        #expect(state.deadline(limits)?.at == .seconds(340))
        state.pumps[1] = Task {}
        #expect(state.deadline(limits) == nil)
    }

    @Test("a closing connection lingers, then closes without a frame; closing twice is a no-op")
    func closing() {
        var state = ConnectionState(acceptedAt: .zero)
        let first = state.close(at: .seconds(3))
        let second = state.close(at: .seconds(4))
        #expect(first && !second)
        #expect(state.isClosing)
        #expect(state.deadline(limits)?.at == .seconds(3) + ConnectionState.lingerTimeout)
        #expect(state.deadline(limits)?.error == nil)
    }
}
