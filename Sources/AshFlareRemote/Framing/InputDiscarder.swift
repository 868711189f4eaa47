import NIOCore

/// Placed at the head of a closing connection's pipeline: swallows whatever the client still
/// sends and closes the connection when the client has finished sending.
///
/// Closing a socket that holds unread input makes the kernel reset the connection, and a reset
/// can destroy the error frame we just sent before the client reads it. So a connection that is
/// being closed for cause first sends its last frame, shuts down its sending side, and drains its
/// input like this until the client closes (the server's linger timeout bounds the wait).
final class InputDiscarder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    func handlerAdded(context: ChannelHandlerContext) {
        // Read from here, past the async channel's back-pressure (see channelReadComplete).
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func channelReadComplete(context: ChannelHandlerContext) {
        // Ask for more from here: the reader task behind us no longer asks, and the async
        // channel's back-pressure would otherwise hold reads, so the end of input would never
        // arrive and the connection would keep its slot until the linger timeout.
        context.read()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed = event as? ChannelEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension InputDiscarder: Sendable {}
