import NIOCore

/// Writes a ``FrameBatch``: every payload followed by a newline (`\n`).
///
/// Small frames (events, replies) are packed into one buffer, so a burst of events is a single
/// write; a large frame (a snapshot of a big tree) is passed on as it is, with the newline as a
/// separate buffer, so its bytes are never copied again. Either way one flush ends the batch.
final class NewlineFrameEncoder: ChannelOutboundHandler {
    typealias OutboundIn = FrameBatch
    typealias OutboundOut = ByteBuffer

    /// Frames at least this large are written without copying.
    private static let copyLimit = 16 * 1024
    private var newline: ByteBuffer?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let batch = unwrapOutboundIn(data)
        var packed = context.channel.allocator.buffer(capacity: 0)
        func flushPacked() {
            guard packed.readableBytes > 0 else { return }
            context.write(wrapOutboundOut(packed), promise: nil)
            packed = context.channel.allocator.buffer(capacity: 0)
        }
        for frame in batch.frames {
            if frame.readableBytes >= Self.copyLimit {
                flushPacked()
                context.write(wrapOutboundOut(frame), promise: nil)
                context.write(wrapOutboundOut(newlineBuffer(context)), promise: nil)
            } else {
                if packed.capacity == 0 { packed.reserveCapacity(min(batch.byteCount + batch.frames.count, 1 << 20)) }
                var frame = frame
                packed.writeBuffer(&frame)
                packed.writeInteger(UInt8(ascii: "\n"))
            }
        }
        guard packed.readableBytes > 0 else {
            // Complete the promise with an empty write, ordered after the frames.
            context.write(wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)), promise: promise)
            return
        }
        context.write(wrapOutboundOut(packed), promise: promise)
    }

    private func newlineBuffer(_ context: ChannelHandlerContext) -> ByteBuffer {
        if let newline { return newline }
        var buffer = context.channel.allocator.buffer(capacity: 1)
        buffer.writeInteger(UInt8(ascii: "\n"))
        newline = buffer
        return buffer
    }
}

@available(*, unavailable)
extension NewlineFrameEncoder: Sendable {}
