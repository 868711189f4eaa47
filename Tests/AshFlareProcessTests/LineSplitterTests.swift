@testable import AshFlareProcess
import Testing

@Suite("Splitting a process's output into log lines")
struct LineSplitterTests {
    @Test("lines split at newlines across chunks, with a trailing carriage return removed")
    func splitsAcrossChunks() {
        var splitter = LineSplitter(maxLineBytes: 100)
        #expect(splitter.feed(Array("one\ntw".utf8)) == ["one"])
        #expect(splitter.feed(Array("o\r\nthree".utf8)) == ["two"])
        #expect(splitter.finish() == "three")
        #expect(splitter.finish() == nil)
    }

    @Test("a line past the limit is cut there and marked, and its rest up to the newline is dropped")
    func cutsLongLines() {
        var splitter = LineSplitter(maxLineBytes: 4)
        #expect(splitter.feed(Array("abcdefgh".utf8)) == ["abcd" + ProcessSpec.cutMarker])
        #expect(splitter.feed(Array("ijk\nok\n".utf8)) == ["ok"])
        #expect(splitter.finish() == nil)
    }

    @Test("invalid UTF-8 is replaced, never a crash")
    func replacesInvalidUTF8() {
        var splitter = LineSplitter(maxLineBytes: 100)
        #expect(splitter.feed([0x61, 0xFF, 0xC3, 0x0A]) == ["a\u{FFFD}\u{FFFD}"])
    }
}
