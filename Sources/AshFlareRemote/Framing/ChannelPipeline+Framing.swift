import NIOCore
import NIOExtras

extension ChannelPipeline.SynchronousOperations {
    /// Adds the protocol's framing: newline-delimited frames of at most `maxFrameSize` bytes in,
    /// ``FrameBatch``es out.
    ///
    /// `LineBasedFrameDecoder` (NIOExtras) splits the input at `\n` and drops a `\r` before it, so
    /// a person typing into `socat` with CRLF line ends is understood too.
    /// - Parameter largeFrames: Use ``FastNewlineFrameDecoder`` (the client, whose frames may be
    ///   large snapshots) instead of NIOExtras' `LineBasedFrameDecoder` (the server).
    func addNewlineFraming(maxFrameSize: Int, largeFrames: Bool = false) throws {
        if largeFrames {
            try addHandler(ByteToMessageHandler(FastNewlineFrameDecoder(), maximumBufferSize: maxFrameSize))
        } else {
            try addHandler(ByteToMessageHandler(LineBasedFrameDecoder(), maximumBufferSize: maxFrameSize))
        }
        try addHandler(FrameSizeLimiter(maxFrameSize: maxFrameSize))
        try addHandler(NewlineFrameEncoder())
    }
}
