import NIOCore

/// Frames to send together: their payloads, without the newline that ends each on the wire.
///
/// Batching lets a burst of events leave in one write and one system call; the
/// ``NewlineFrameEncoder`` adds the newlines.
struct FrameBatch: Sendable {
    /// The payloads, each one compact JSON object.
    var frames: [ByteBuffer]
    /// The sum of the payloads' sizes.
    var byteCount: Int { frames.reduce(0) { $0 + $1.readableBytes } }

    /// A batch of the given payloads.
    init(_ frames: [ByteBuffer]) { self.frames = frames }
}
