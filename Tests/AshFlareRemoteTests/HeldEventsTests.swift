import AshFlare
@testable import AshFlareRemote
import Testing

/// The client's rule for the frames of one socket read: events are held and handed over in
/// batches, and nothing else overtakes the events before it.
@Suite("Held events: batches per read, replies never first")
struct HeldEventsTests {
    static func event(_ sequence: UInt64, on subscription: UInt64) -> ServerFrame {
        .event(subscription: subscription, SupervisorEvent(sequence: sequence, time: .zero, kind: .shutdownBegan(supervisor: "root")))
    }

    /// One read's frames → what routing them hands on, in order: `events(subscription, [sequences])`
    /// for a released batch, or the frame that passes.
    enum Out: Equatable, CustomStringConvertible {
        case events(UInt64, [UInt64])
        case passed(String)
        var description: String {
            switch self {
            case .events(let subscription, let sequences): "events(\(subscription), \(sequences))"
            case .passed(let name): name
            }
        }
    }

    static func name(_ frame: ServerFrame) -> String {
        switch frame {
        case .reply(let id, _): "reply \(id)"
        case .error(let id, let code, _): "error \(id.map(String.init) ?? "-") \(code)"
        case .end(let subscription, _): "end \(subscription)"
        case .log(let subscription, _): "log \(subscription)"
        case .event: "event"
        }
    }

    static func route(_ frames: [ServerFrame]) -> [Out] {
        var held = HeldEvents()
        var out: [Out] = []
        func release(_ runs: [HeldEvents.Run]) {
            for run in runs { out.append(.events(run.subscription, run.events.map(\.sequence))) }
        }
        for frame in frames {
            let routed = held.route(frame)
            release(routed.released)
            if let passed = routed.frame { out.append(.passed(name(passed))) }
        }
        release(held.take())  // the read ends
        return out
    }

    static let rows: [(String, [ServerFrame], [Out])] = [
        ("events of one read are one batch", [event(1, on: 7), event(2, on: 7), event(3, on: 7)], [.events(7, [1, 2, 3])]),
        ("a reply comes after the events before it, later events form a new batch",
         [event(1, on: 7), event(2, on: 7), .reply(id: 9, .empty), event(3, on: 7)],
         [.events(7, [1, 2]), .passed("reply 9"), .events(7, [3])]),
        ("an error reply and an end release the held events first",
         [event(1, on: 7), .error(id: 4, code: "childNotFound", message: "x"), event(2, on: 7), .end(subscription: 7, reason: "treeStopped")],
         [.events(7, [1]), .passed("error 4 childNotFound"), .events(7, [2]), .passed("end 7")]),
        ("two subscriptions keep their interleaving", [event(1, on: 7), event(1, on: 8), event(2, on: 7)],
         [.events(7, [1]), .events(8, [1]), .events(7, [2])]),
        ("nothing held: a reply passes at once", [.reply(id: 1, .empty)], [.passed("reply 1")]),
    ]

    @Test("frames of one read → batches and passed frames, in order", arguments: rows)
    func routing(_ row: (String, [ServerFrame], [Out])) {
        #expect(Self.route(row.1) == row.2, "\(row.0)")
    }
}
