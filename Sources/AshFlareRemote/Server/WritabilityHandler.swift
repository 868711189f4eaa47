import NIOCore

/// Tells a connection's ``Outbox`` when the channel becomes writable again.
final class WritabilityHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let outbox: Outbox

    init(outbox: Outbox) { self.outbox = outbox }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        outbox.writabilityChanged(writable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }
}

@available(*, unavailable)
extension WritabilityHandler: Sendable {}
