#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Creates the listening socket file of a Unix socket listener, safely.
///
/// - An existing file that is not a socket (or is a symbolic link) is never deleted: binding fails
///   with `pathNotASocket`.
/// - An existing socket that a live server answers on is left alone: `addressInUse`.
/// - A stale socket (nobody listening) is replaced.
/// - The socket is bound, set to mode 0600, and only then listened on (by NIO), so there is no
///   moment at which another user could connect.
struct UnixSocketFile: Sendable {
    /// The socket's path.
    let path: String
    /// The bound, not yet listening socket; NIO takes ownership of it.
    let descriptor: CInt
    private let device: UInt64
    private let inode: UInt64

    /// Prepares `path` and binds a new socket to it.
    static func bind(path: String) throws(RemoteError) -> UnixSocketFile {
        var address = sockaddr_un()
        let pathBytes = Array(path.utf8)
        guard !pathBytes.isEmpty, !pathBytes.contains(0),
              pathBytes.count < MemoryLayout.size(ofValue: address.sun_path)
        else {
            throw RemoteError(
                .invalidConfiguration,
                "unix socket path '\(path)' must be 1 to \(MemoryLayout.size(ofValue: address.sun_path) - 1) bytes")
        }
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }

        try removeStaleSocket(at: path, address: address)

        let descriptor = socket(AF_UNIX, streamType, 0)
        guard descriptor >= 0 else { throw failure("could not create a socket for '\(path)'") }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glue.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else {
            let code = errno
            close(descriptor)
            if code == EADDRINUSE { throw RemoteError(.addressInUse, "'\(path)' was created by someone else while binding") }
            throw failure("could not bind '\(path)'", errno: code)
        }
        guard chmod(path, 0o600) == 0 else {
            let code = errno
            close(descriptor)
            unlink(path)
            throw failure("could not set mode 0600 on '\(path)'", errno: code)
        }
        var info = stat()
        guard lstat(path, &info) == 0 else {
            let code = errno
            close(descriptor)
            throw failure("could not inspect '\(path)'", errno: code)
        }
        return UnixSocketFile(path: path, descriptor: descriptor, device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// Removes the socket file, unless it has since been replaced by another file.
    func remove() {
        var info = stat()
        guard lstat(path, &info) == 0, Self.isSocket(info), UInt64(info.st_dev) == device, UInt64(info.st_ino) == inode else {
            return
        }
        unlink(path)
    }

    private static func removeStaleSocket(at path: String, address: sockaddr_un) throws(RemoteError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw failure("could not inspect '\(path)'")
        }
        guard isSocket(info) else {
            throw RemoteError(.pathNotASocket, "refusing to replace '\(path)': it exists and is not a socket")
        }
        // A socket file: is a server answering on it?
        let probe = socket(AF_UNIX, streamType, 0)
        guard probe >= 0 else { throw failure("could not create a socket to probe '\(path)'") }
        defer { close(probe) }
        var address = address
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if connected == 0 {
            throw RemoteError(.addressInUse, "another process is serving on '\(path)'")
        }
        guard errno == ECONNREFUSED else { throw failure("could not probe the existing socket '\(path)'") }
        guard unlink(path) == 0 || errno == ENOENT else { throw failure("could not remove the stale socket '\(path)'") }
    }

    private static func isSocket(_ info: stat) -> Bool {
        (info.st_mode & S_IFMT) == S_IFSOCK
    }

    private static func failure(_ what: String, errno code: CInt = errno) -> RemoteError {
        RemoteError(.invalidConfiguration, "\(what): \(String(cString: strerror(code)))")
    }

    #if canImport(Glibc) || canImport(Musl)
    private static let streamType = CInt(SOCK_STREAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue)
    #else
    private static let streamType = SOCK_STREAM
    #endif
}

/// The C library's `bind`, which `UnixSocketFile.bind` shadows.
private enum Glue {
    static func bind(_ socket: CInt, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> CInt {
        #if canImport(Glibc)
        Glibc.bind(socket, address, length)
        #elseif canImport(Musl)
        Musl.bind(socket, address, length)
        #else
        Darwin.bind(socket, address, length)
        #endif
    }
}
