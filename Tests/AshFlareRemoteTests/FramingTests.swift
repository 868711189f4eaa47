@testable import AshFlareRemote
import NIOCore
import Testing

@Suite("Framing")
struct FramingTests {
    @Test("the client's decoder splits at newlines, drops a CR before one, and keeps partial frames")
    func fastDecoder() throws {
        var decoder = FastNewlineFrameDecoder()
        var buffer = ByteBuffer(string: "{\"a\":1}\n\r\n{\"b\":2}\r\n{\"c\"")
        var frames: [String] = []
        while let frame = try decoder.decode(buffer: &buffer) { frames.append(String(buffer: frame)) }
        #expect(frames == ["{\"a\":1}", "", "{\"b\":2}"])
        #expect(String(buffer: buffer) == "{\"c\"")
        buffer.writeString(":3}\n")
        #expect(try decoder.decode(buffer: &buffer).map { String(buffer: $0) } == "{\"c\":3}")
        #expect(try decoder.decodeLast(buffer: &buffer, seenEOF: true) == nil)
        var truncated = ByteBuffer(string: "{\"d\"")
        #expect(throws: TruncatedFrameError(bytes: 4)) { _ = try decoder.decodeLast(buffer: &truncated, seenEOF: true) }
    }

    @Test("the client's decoder finds a newline far into a large frame arriving in pieces")
    func largeFrame() throws {
        var decoder = FastNewlineFrameDecoder()
        var buffer = ByteBuffer(repeating: UInt8(ascii: "x"), count: 300_000)
        #expect(try decoder.decode(buffer: &buffer) == nil)
        buffer.writeString("yz\nnext")
        let frame = try #require(try decoder.decode(buffer: &buffer))
        #expect(frame.readableBytes == 300_002)
        #expect(String(buffer: buffer) == "next")
    }
}
