#if TLS
import Crypto
import Foundation
import SwiftASN1
import X509

/// A throwaway CA and a server certificate for 127.0.0.1, made at start-up and written to a
/// temporary directory (removed at the end): the fuzzer's TLS listener needs no committed key.
struct FuzzCertificates {
    let directory: String
    let caFile: String
    let certificateFile: String
    let keyFile: String

    init() throws {
        directory = NSTemporaryDirectory() + "flare-fuzz-tls-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let caKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let caName = try DistinguishedName { CommonName("flare-fuzz CA") }
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
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let server = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
            notValidBefore: now - 3600, notValidAfter: now + 86_400, issuer: caName,
            subject: try DistinguishedName { CommonName("localhost") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
            },
            issuerPrivateKey: caKey)
        caFile = directory + "/ca.pem"
        certificateFile = directory + "/server.pem"
        keyFile = directory + "/server-key.pem"
        try ca.serializeAsPEM().pemString.write(toFile: caFile, atomically: true, encoding: .utf8)
        try server.serializeAsPEM().pemString.write(toFile: certificateFile, atomically: true, encoding: .utf8)
        try key.serializeAsPEM().pemString.write(toFile: keyFile, atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
#endif
#if !TLS
/// Built without the `TLS` trait: the fuzzer's TLS port cannot be served.
struct FuzzCertificates {
    let caFile: String
    let certificateFile: String
    let keyFile: String

    init() throws {
        throw FuzzSetupError("flare-fuzz serves a TLS port: build it with the package's TLS trait (the default)")
    }

    func remove() {}
}

struct FuzzSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
#endif
