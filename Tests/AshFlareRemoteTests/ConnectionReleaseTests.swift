import AshFlare
import AshFlareRemote
import AshFlareTestKit
import Testing

/// A connection the server closes for cause gives its slot back as soon as the client is done,
/// not after the linger timeout (found by flare-fuzz: one-shot bad clients held ~40 of 64 slots).
///
/// The server's clock is a ``ManualClock`` that these tests never advance, so the linger timeout
/// never passes: a connection that waited for it would hang the test.
@Suite("Connections closed for cause release their slot at once", .timeLimit(.minutes(1)))
struct ConnectionReleaseTests {
    @Test("a bad frame sent together with the end of input: error reply, then closed at once", arguments: Transport.allCases)
    func badFrameThenEndOfInput(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        for connection in 1...5 {
            let raw = try await served.raw()
            try await raw.send("garbage\n")
            raw.finishSending()
            let lines = try await raw.readToEnd()
            #expect(lines.count == 1 && lines[0].contains(#""code":"invalidJSON""#), "\(lines)")
            await raw.close()
            await Self.closed(served, connection: connection)
        }
        #expect(served.server.connectionCount == 0)
        await served.stop()
    }

    @Test("a client still sending an oversized frame is drained and closed when it finishes", arguments: Transport.allCases)
    func oversizedThenEndOfInput(_ transport: Transport) async throws {
        let served = try await ServedTree.start(on: transport)
        let raw = try await served.raw(staysOpen: true)
        try await raw.send([UInt8](repeating: UInt8(ascii: "a"), count: 200_000))
        #expect(try await raw.readLine()?.contains(#""code":"frameTooLarge""#) == true)
        // The server has stopped reading frames but must keep draining what the client sends.
        try await raw.send([UInt8](repeating: UInt8(ascii: "b"), count: 500_000))
        raw.finishSending()
        #expect(try await raw.readToEnd().isEmpty)
        await Self.closed(served, connection: 1)
        await raw.close()
        #expect(served.server.connectionCount == 0)
        await served.stop()
    }

    /// Waits until the server has closed its connection number `connection` and counted it out.
    static func closed(_ served: ServedTree, connection: Int) async {
        await served.log.first { $0.message == "connection closed" && $0.metadata["remote.connection"] == "\(connection)" }
        // The count drops right after the record, on the connection's own task.
        while served.server.connectionCount > 0 { await Task.yield() }
    }
}
