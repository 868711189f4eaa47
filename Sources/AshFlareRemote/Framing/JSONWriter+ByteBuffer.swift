import NIOCore

extension JSONWriter {
    /// The bytes written so far, copied into a `ByteBuffer`.
    var byteBuffer: ByteBuffer {
        withBytes { ByteBuffer(bytes: $0) }
    }
}
