import NIOCore

/// Encodes a ``FrameBatch``: every payload followed by a newline (`\n`), in one buffer.
final class NewlineFrameEncoder: MessageToByteEncoder {
    typealias OutboundIn = FrameBatch

    func encode(data: FrameBatch, out: inout ByteBuffer) throws {
        out.reserveCapacity(minimumWritableBytes: data.byteCount + data.frames.count)
        for var frame in data.frames {
            out.writeBuffer(&frame)
            out.writeInteger(UInt8(ascii: "\n"))
        }
    }
}
