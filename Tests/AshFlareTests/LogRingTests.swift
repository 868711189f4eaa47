@testable import AshFlare
import Testing

@Suite("Log ring (pure)")
struct LogRingTests {
    struct BoundCase: CustomTestStringConvertible, Sendable {
        let limits: LogLimits
        let lines: [String]
        let kept: [UInt64]
        let evicted: UInt64
        var testDescription: String { "\(limits.maxLines) lines / \(limits.maxBytes) B, \(lines.count) appended" }
    }

    static let bounds: [BoundCase] = [
        // Below both bounds: everything is kept.
        BoundCase(limits: LogLimits(maxLines: 3, maxBytes: 100), lines: ["a", "b"], kept: [1, 2], evicted: 0),
        // The line bound evicts the oldest.
        BoundCase(limits: LogLimits(maxLines: 3, maxBytes: 100), lines: ["a", "b", "c", "d", "e"], kept: [3, 4, 5], evicted: 2),
        // The byte bound evicts the oldest: 4 + 4 + 4 bytes > 10, so only the last two stay.
        BoundCase(limits: LogLimits(maxLines: 10, maxBytes: 10), lines: ["aaaa", "bbbb", "cccc"], kept: [2, 3], evicted: 1),
        // A single line larger than the byte bound is still kept (the newest line always is).
        BoundCase(limits: LogLimits(maxLines: 10, maxBytes: 4, maxLineBytes: 64), lines: ["a", "0123456789"], kept: [2], evicted: 1),
        // Empty lines count as lines.
        BoundCase(limits: LogLimits(maxLines: 2, maxBytes: 100), lines: ["", "", ""], kept: [2, 3], evicted: 1),
    ]

    @Test("the ring keeps the newest lines within both its line and byte bounds", arguments: bounds)
    func bounded(_ example: BoundCase) {
        var ring = LogRing(limits: example.limits)
        for text in example.lines { ring.append(text, stream: .stdout, incarnation: 1, time: .zero) }
        #expect(ring.lines(.all, current: 1).map(\.sequence) == example.kept)
        #expect(ring.evicted == example.evicted)
        #expect(ring.bytes == ring.lines(.all, current: 1).reduce(0) { $0 + $1.text.utf8.count })
        #expect(ring.bytes <= max(example.limits.maxBytes, ring.lines(.all, current: 1).last?.text.utf8.count ?? 0))
        #expect(ring.nextSequence == UInt64(example.lines.count) + 1)
    }

    struct CutCase: CustomTestStringConvertible, Sendable {
        let text: String
        let maxBytes: Int
        let kept: String
        let cut: Int
        var testDescription: String { "\(text.utf8.count) B cut to \(maxBytes)" }
    }

    static let cuts: [CutCase] = [
        CutCase(text: "hello", maxBytes: 5, kept: "hello", cut: 0),
        CutCase(text: "hello world", maxBytes: 5, kept: "hello", cut: 6),
        // "é" is two bytes: a cut inside it backs off to before it.
        CutCase(text: "caféine", maxBytes: 4, kept: "caf", cut: 5),
        CutCase(text: "caféine", maxBytes: 5, kept: "café", cut: 3),
        // A four-byte scalar cut anywhere inside is dropped whole.
        CutCase(text: "a🔥b", maxBytes: 3, kept: "a", cut: 5),
    ]

    @Test("long lines are cut at a character boundary and the cut is counted", arguments: cuts)
    func cut(_ example: CutCase) {
        var ring = LogRing(limits: LogLimits(maxLines: 10, maxBytes: 1000, maxLineBytes: example.maxBytes))
        let line = ring.append(example.text, stream: .stderr, incarnation: 1, time: .zero)
        #expect(line.text == example.kept)
        #expect(line.cutBytes == example.cut)
        #expect(line.isCut == (example.cut > 0))
        #expect(line.text.utf8.count + line.cutBytes == example.text.utf8.count)
    }

    @Test("a cut line shows the marker and how much was cut")
    func marker() {
        var ring = LogRing(limits: LogLimits(maxLineBytes: 3))
        #expect(ring.append("abcdef", stream: .stdout, incarnation: 1, time: .zero).displayText == "abc…[+3 bytes]")
    }

    @Test("current and previous select the lines of an incarnation; a limit keeps the newest")
    func scopes() {
        var ring = LogRing(limits: LogLimits())
        for (incarnation, text) in [(1, "a"), (1, "b"), (2, "c"), (2, "d"), (3, "e")] {
            ring.append(text, stream: .logger, incarnation: UInt64(incarnation), time: .zero)
        }
        #expect(ring.lines(.all, current: 3).map(\.text) == ["a", "b", "c", "d", "e"])
        #expect(ring.lines(.current, current: 3).map(\.text) == ["e"])
        #expect(ring.lines(.previous, current: 3).map(\.text) == ["c", "d"])
        #expect(ring.lines(.previous, current: 1).isEmpty)
        #expect(ring.lines(.all, current: 3, limit: 2).map(\.text) == ["d", "e"])
        #expect(ring.lines(.previous, current: 2, limit: 1).map(\.text) == ["b"])
    }

    @Test("a line is found by its sequence number while the ring holds it")
    func lookup() {
        var ring = LogRing(limits: LogLimits(maxLines: 100))
        for index in 1...300 { ring.append("\(index)", stream: .stdout, incarnation: 1, time: .zero) }
        #expect(ring.firstSequence == 201)
        #expect(ring.line(200) == nil)
        #expect(ring.line(201)?.text == "201")
        #expect(ring.line(300)?.text == "300")
        #expect(ring.line(301) == nil)
    }
}
