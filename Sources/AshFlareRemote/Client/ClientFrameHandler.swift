import NIOCore

/// The client's end of the pipeline: hands every inbound frame to its ``ClientConnection`` on the
/// event loop, and ends the connection when the channel closes.
final class ClientFrameHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let connection: ClientConnection
    /// Why the connection is ending, when this side decided it.
    private var failure: RemoteError?
    /// Events of the current read, delivered when it completes.
    private var held = HeldEvents()

    init(connection: ClientConnection) {
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard failure == nil else { return }
        if let error = connection.receive(unwrapInboundIn(data), holdingEventsIn: &held) {
            failure = error
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        connection.deliver(&held)
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if failure == nil {
            switch error {
            case is FrameTooLargeError:
                failure = RemoteError(.frameTooLarge, "the server sent a frame larger than this client's limit")
            case is TruncatedFrameError:
                failure = RemoteError(.protocolViolation, "the connection ended inside a frame")
            case let error as RemoteError:
                // A transport layer's own account of what failed (e.g. a TLS handshake).
                failure = error
            default:
                break
            }
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection.deliver(&held)
        connection.end(failure)
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension ClientFrameHandler: Sendable {}
