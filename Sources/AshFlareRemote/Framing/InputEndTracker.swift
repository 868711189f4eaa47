import NIOCore

/// Remembers whether the client has finished sending (end of input), at the head of a server
/// connection's pipeline from the moment it is accepted.
///
/// A connection closed for cause waits for the client to finish sending (see ``InputDiscarder``).
/// If the client had already finished before that — it sent a bad frame and its end of input in
/// one go, as a one-shot script or a fuzzer does — the end-of-input event has passed, and without
/// this record the connection would hold its slot until the linger timeout.
final class InputEndTracker: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The client has finished sending. Read and written on the event loop only.
    private(set) var inputEnded = false

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed = event as? ChannelEvent { inputEnded = true }
        context.fireUserInboundEventTriggered(event)
    }
}

@available(*, unavailable)
extension InputEndTracker: Sendable {}
