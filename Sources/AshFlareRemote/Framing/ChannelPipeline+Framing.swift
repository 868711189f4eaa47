import NIOCore
import NIOExtras

extension ChannelPipeline.SynchronousOperations {
    /// Adds the protocol's framing: newline-delimited frames of at most `maxFrameSize` bytes in,
    /// ``FrameBatch``es out.
    ///
    /// `LineBasedFrameDecoder` (NIOExtras) splits the input at `\n` and drops a `\r` before it, so
    /// a person typing into `socat` with CRLF line ends is understood too.
    func addNewlineFraming(maxFrameSize: Int) throws {
        try addHandler(ByteToMessageHandler(LineBasedFrameDecoder(), maximumBufferSize: maxFrameSize))
        try addHandler(FrameSizeLimiter(maxFrameSize: maxFrameSize))
        try addHandler(MessageToByteHandler(NewlineFrameEncoder()))
    }
}
