import Logging
import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The server's loaded TLS state, reloaded when one of its files changes.
///
/// ``current()`` is called for each new TCP connection: it compares the files' modification
/// times with those loaded and, if one changed, loads all of them again. A load that fails keeps
/// the previous state (and is logged once per change), so a half-written certificate never
/// takes the server down.
final class TLSMaterial: Sendable {
    /// What a connection uses: the TLS context, and the client certificates that grant a permission.
    struct Loaded: Sendable {
        let context: NIOSSLContext
        let clientCertificates: [(certificate: NIOSSLCertificate, permission: RemotePermission)]
    }

    private struct State: Sendable {
        var loaded: Loaded
        var stamps: [String: Int64]
    }

    private let configuration: SupervisorServer.TLS
    private let state: Locked<State>
    private let logger: Logger

    /// Loads every file of `configuration`.
    /// - Throws: ``RemoteError`` `invalidConfiguration` naming the file that failed and why.
    init(_ configuration: SupervisorServer.TLS, logger: Logger) throws(RemoteError) {
        self.configuration = configuration
        self.logger = logger
        let stamps = Self.stamps(of: configuration.files)
        state = Locked(State(loaded: try Self.load(configuration), stamps: stamps))
    }

    /// The current state, reloaded first if a file changed since it was loaded.
    func current() -> Loaded {
        let stamps = Self.stamps(of: configuration.files)
        let (loaded, changed) = state.withLock { state in (state.loaded, state.stamps != stamps) }
        guard changed else { return loaded }
        do {
            let fresh = try Self.load(configuration)
            state.withLock { state in
                state.loaded = fresh
                state.stamps = stamps
            }
            logger.info("reloaded TLS certificates", metadata: ["remote.files": "\(configuration.files.joined(separator: " "))"])
            return fresh
        } catch {
            // Keep serving with what worked; try again when the files change again.
            state.withLock { $0.stamps = stamps }
            logger.error("TLS reload failed; keeping the previous certificates", metadata: ["remote.error": "\(error.message)"])
            return loaded
        }
    }

    /// The permission `certificate` (the verified peer certificate) grants, if it is listed.
    static func permission(for certificate: NIOSSLCertificate?, in loaded: Loaded) -> RemotePermission? {
        guard let certificate else { return nil }
        return loaded.clientCertificates.first { $0.certificate == certificate }?.permission
    }

    private static func load(_ configuration: SupervisorServer.TLS) throws(RemoteError) -> Loaded {
        func attempt<T>(_ file: String, _ what: String, _ body: () throws -> T) throws(RemoteError) -> T {
            do {
                return try body()
            } catch {
                throw RemoteError(.invalidConfiguration, "TLS \(what) '\(file)' could not be loaded: \(error)")
            }
        }
        let chain = try attempt(configuration.certificateChainFile, "certificate chain") {
            try NIOSSLCertificate.fromPEMFile(configuration.certificateChainFile)
        }
        guard !chain.isEmpty else {
            throw RemoteError(.invalidConfiguration, "TLS certificate chain '\(configuration.certificateChainFile)' holds no certificate")
        }
        let key = try attempt(configuration.privateKeyFile, "private key") {
            try NIOSSLPrivateKey(file: configuration.privateKeyFile, format: .pem)
        }
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        if let caFile = configuration.clientCAFile {
            let roots = try attempt(caFile, "client CA") { try NIOSSLCertificate.fromPEMFile(caFile) }
            tls.trustRoots = .certificates(roots)
            tls.certificateVerification = .noHostnameVerification
        }
        var clients: [(NIOSSLCertificate, RemotePermission)] = []
        for client in configuration.clientCertificates {
            let certificates = try attempt(client.file, "client certificate") { try NIOSSLCertificate.fromPEMFile(client.file) }
            guard let first = certificates.first else {
                throw RemoteError(.invalidConfiguration, "TLS client certificate '\(client.file)' holds no certificate")
            }
            clients.append((first, client.permission))
        }
        let context = try attempt(configuration.certificateChainFile, "configuration with certificate") {
            try NIOSSLContext(configuration: tls)
        }
        return Loaded(context: context, clientCertificates: clients)
    }

    /// Each file's modification time in nanoseconds (-1 if it cannot be read).
    private static func stamps(of files: [String]) -> [String: Int64] {
        var stamps: [String: Int64] = [:]
        for file in files {
            var info = stat()
            guard stat(file, &info) == 0 else {
                stamps[file] = -1
                continue
            }
            #if canImport(Darwin)
            let time = info.st_mtimespec
            #else
            let time = info.st_mtim
            #endif
            stamps[file] = Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
        }
        return stamps
    }
}
