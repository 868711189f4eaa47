#if TLS
import AshFlareRemote
import NIOSSL

/// Loads PEM files, with errors that name the file and what it was for.
enum PEMFile {
    /// Every certificate in `file` (at least one).
    static func certificates(_ file: String, _ what: String) throws(RemoteError) -> [NIOSSLCertificate] {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(file)
        } catch {
            throw RemoteError(.invalidConfiguration, "the TLS \(what) file '\(file)' could not be loaded: \(error)")
        }
        guard !certificates.isEmpty else {
            throw RemoteError(.invalidConfiguration, "the TLS \(what) file '\(file)' holds no PEM certificate")
        }
        return certificates
    }

    /// The private key in `file`.
    static func privateKey(_ file: String) throws(RemoteError) -> NIOSSLPrivateKey {
        do {
            return try NIOSSLPrivateKey(file: file, format: .pem)
        } catch {
            throw RemoteError(.invalidConfiguration, "the TLS private key file '\(file)' could not be loaded: \(error)")
        }
    }
}
#endif
