import NIOCore

/// Rejects a frame longer than the limit, including one that arrived whole in a single read.
///
/// `ByteToMessageHandler(maximumBufferSize:)` already stops a newline-less stream of bytes from
/// growing past the limit; this handler catches the frames that were complete on arrival.
final class FrameSizeLimiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let maxFrameSize: Int
    private var failed = false

    init(maxFrameSize: Int) { self.maxFrameSize = maxFrameSize }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        let frame = unwrapInboundIn(data)
        guard frame.readableBytes <= maxFrameSize else {
            failed = true
            context.fireErrorCaught(FrameTooLargeError(limit: maxFrameSize))
            return
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is ByteToMessageDecoderError.PayloadTooLargeError {
            failed = true
            context.fireErrorCaught(FrameTooLargeError(limit: maxFrameSize))
        } else {
            context.fireErrorCaught(error)
        }
    }
}

/// A frame exceeded the receiver's maximum frame size.
struct FrameTooLargeError: Error, Hashable, Sendable {
    /// The limit in bytes.
    var limit: Int
}

@available(*, unavailable)
extension FrameSizeLimiter: Sendable {}
