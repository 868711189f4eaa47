#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// Splits input at `\n` (dropping a `\r` before it) like NIOExtras' `LineBasedFrameDecoder`, but
/// finds the newline with `memchr`.
///
/// The client uses it: its frames can be snapshots of large trees (250 KB for 1,111 nodes), and
/// the byte-by-byte scan of `LineBasedFrameDecoder` was a visible part of a snapshot's round
/// trip. The server, whose frames are small requests, uses `LineBasedFrameDecoder` itself.
struct FastNewlineFrameDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    /// Bytes already scanned without finding a newline.
    private var scanned = 0

    mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        let found: Int? = buffer.withUnsafeReadableBytes { bytes in
            guard bytes.count > scanned, let start = bytes.baseAddress else { return nil }
            guard let match = memchr(start + scanned, Int32(UInt8(ascii: "\n")), bytes.count - scanned) else { return nil }
            return start.distance(to: UnsafeRawPointer(match))
        }
        guard let newline = found else {
            scanned = buffer.readableBytes
            return nil
        }
        scanned = 0
        let dropReturn = newline > 0 && buffer.getInteger(at: buffer.readerIndex + newline - 1, as: UInt8.self) == UInt8(ascii: "\r")
        let frame = buffer.readSlice(length: dropReturn ? newline - 1 : newline)
        buffer.moveReaderIndex(forwardBy: dropReturn ? 2 : 1)
        return frame
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        if let frame = try decode(buffer: &buffer) { return frame }
        guard buffer.readableBytes == 0 else { throw TruncatedFrameError(bytes: buffer.readableBytes) }
        return nil
    }
}

/// The input ended inside a frame.
struct TruncatedFrameError: Error, Hashable, Sendable {
    /// How many bytes the unfinished frame had.
    var bytes: Int
}
