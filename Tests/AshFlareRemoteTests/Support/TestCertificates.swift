#if TLS
import Crypto
import Foundation
import SwiftASN1
import X509

/// A certificate authority made at test time, a server certificate for `localhost` and
/// 127.0.0.1, and client certificates it signs, all written to PEM files in a fresh directory:
/// no private key is ever committed.
struct TestCertificates: Sendable {
    /// A certificate and its key, as PEM files.
    struct Issued: Sendable {
        let certificateFile: String
        let keyFile: String
    }

    let directory: String
    let caFile: String
    /// The server's certificate (CN `localhost`, SANs `localhost` and 127.0.0.1).
    let server: Issued
    private let caKey: Certificate.PrivateKey
    private let caName: DistinguishedName

    /// Makes a CA named `name` in a new temporary directory, and the server's certificate.
    init(name: String = "AshFlare Test CA") throws {
        directory = NSTemporaryDirectory() + "ashflare-tls-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let caKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let caName = try DistinguishedName { CommonName(name) }
        let now = Date()
        let ca = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: caKey.publicKey,
            notValidBefore: now - 3600, notValidAfter: now + 86_400, issuer: caName, subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: caKey)
        caFile = directory + "/ca.pem"
        try ca.serializeAsPEM().pemString.write(toFile: caFile, atomically: true, encoding: .utf8)
        self.caKey = caKey
        self.caName = caName
        server = try Self.issue("localhost", caKey: caKey, caName: caName, directory: directory, file: "server")
    }

    /// Issues a certificate for `commonName` (with the SANs `localhost`, 127.0.0.1 and any
    /// `dnsNames`), valid from `validFrom` to `validUntil`, written as `file`.pem and `file`-key.pem.
    func issue(
        _ commonName: String, dnsNames: [String] = [], validFrom: Date = Date() - 3600, validUntil: Date = Date() + 86_400,
        file: String? = nil
    ) throws -> Issued {
        try Self.issue(
            commonName, dnsNames: dnsNames, validFrom: validFrom, validUntil: validUntil, caKey: caKey, caName: caName,
            directory: directory, file: file ?? commonName)
    }

    private static func issue(
        _ commonName: String, dnsNames: [String] = [], validFrom: Date = Date() - 3600, validUntil: Date = Date() + 86_400,
        caKey: Certificate.PrivateKey, caName: DistinguishedName, directory: String, file: String
    ) throws -> Issued {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let names: [GeneralName] =
            [.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))] + dnsNames.map { .dnsName($0) }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
            notValidBefore: validFrom, notValidAfter: validUntil, issuer: caName,
            subject: try DistinguishedName { CommonName(commonName) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: caKey)
        let base = directory + "/" + file.filter { $0.isLetter || $0.isNumber || $0 == "-" }
        let issued = Issued(certificateFile: base + ".pem", keyFile: base + "-key.pem")
        try certificate.serializeAsPEM().pemString.write(toFile: issued.certificateFile, atomically: true, encoding: .utf8)
        try key.serializeAsPEM().pemString.write(toFile: issued.keyFile, atomically: true, encoding: .utf8)
        return issued
    }

    /// Removes the directory and everything in it.
    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
#endif
#if !TLS
/// Built without the `TLS` trait: no certificates can be made (tests over `tls` are disabled).
struct TestCertificates: Sendable {
    struct Issued: Sendable {
        let certificateFile: String
        let keyFile: String
    }

    let caFile: String
    let server: Issued

    init(name: String = "AshFlare Test CA") throws {
        throw CancellationError()
    }

    func remove() {}
}
#endif

/// Whether this build has TLS (the package's `TLS` trait, on by default).
#if TLS
let tlsIsBuilt = true
#else
let tlsIsBuilt = false
#endif
