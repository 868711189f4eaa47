import NIOSSL

extension RemoteSupervisor {
    /// How a client speaks TLS to a TCP server: whom it trusts, and the certificate it presents
    /// for mTLS. The defaults trust the system's CA certificates and present none.
    public struct TLS: Sendable {
        /// The CA certificates (PEM) the server's certificate must chain to; nil: the system's.
        public var caFile: String?
        /// The client certificate (PEM) to present to a server that asks for one (mTLS).
        public var certificateFile: String?
        /// The private key (PEM) of ``certificateFile``.
        public var keyFile: String?
        /// The name the server's certificate must carry (and the SNI name); nil: the host of
        /// the endpoint (an IP address is matched against the certificate's IP addresses).
        public var serverName: String?

        /// Creates TLS options.
        public init(caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil, serverName: String? = nil) {
            self.caFile = caFile
            self.certificateFile = certificateFile
            self.keyFile = keyFile
            self.serverName = serverName
        }

        /// A TLS 1.2+ client context from the files.
        /// - Throws: ``RemoteError`` `invalidConfiguration` naming the file that failed to load.
        func makeContext() throws(RemoteError) -> NIOSSLContext {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.minimumTLSVersion = .tlsv12
            do {
                if let caFile { configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile)) }
            } catch {
                throw RemoteError(.invalidConfiguration, "the TLS CA file '\(caFile ?? "")' could not be loaded: \(error)")
            }
            switch (certificateFile, keyFile) {
            case (nil, nil): break
            case (let certificateFile?, let keyFile?):
                do {
                    configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) }
                } catch {
                    throw RemoteError(.invalidConfiguration, "the TLS client certificate '\(certificateFile)' could not be loaded: \(error)")
                }
                do {
                    configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
                } catch {
                    throw RemoteError(.invalidConfiguration, "the TLS client key '\(keyFile)' could not be loaded: \(error)")
                }
            case (nil, _?), (_?, nil):
                throw RemoteError(.invalidConfiguration, "a TLS client certificate needs both the certificate and the key file")
            }
            do {
                return try NIOSSLContext(configuration: configuration)
            } catch {
                throw RemoteError(.invalidConfiguration, "the TLS client configuration is not usable: \(error)")
            }
        }
    }
}
