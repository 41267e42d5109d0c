import Crypto
import Foundation
import X509

/// A certificate authority and the certificates signed by it, generated fresh for a test.
struct TestPKI: Sendable {
    /// A PEM certificate with its PEM private key.
    struct Identity: Sendable {
        var certificatePEM: String
        var keyPEM: String
    }

    let caPEM: String
    /// Valid for `localhost` and `127.0.0.1`.
    let server: Identity
    /// A server certificate valid only for `apiserver.test`, to exercise `tls-server-name`.
    let namedServer: Identity
    /// Valid only for the address `127.0.0.1`: a URL or `tls-server-name` with a DNS name must refuse it.
    let addressOnlyServer: Identity
    /// No subject alternative names, only the common name `localhost`, which client-go never accepts.
    let commonNameOnlyServer: Identity
    let client: Identity

    init() throws {
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName("KubeClient test CA") }
        let now = Date()
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + 86_400, issuer: caName, subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(caKey))
        caPEM = try ca.serializeAsPEM().pemString

        func issue(_ commonName: String, names: [GeneralName], usage: ExtendedKeyUsage.Usage) throws -> Identity {
            let key = P256.Signing.PrivateKey()
            let certificate = try Certificate(
                version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
                notValidBefore: now - 3600, notValidAfter: now + 86_400, issuer: caName,
                subject: try DistinguishedName { CommonName(commonName) },
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([usage])
                    if !names.isEmpty { SubjectAlternativeNames(names) }
                },
                issuerPrivateKey: .init(caKey))
            return Identity(certificatePEM: try certificate.serializeAsPEM().pemString, keyPEM: key.pemRepresentation)
        }
        server = try issue(
            "localhost",
            names: [.dnsName("localhost"), .ipAddress(.init(contentBytes: [127, 0, 0, 1]))],
            usage: .serverAuth)
        namedServer = try issue("apiserver.test", names: [.dnsName("apiserver.test")], usage: .serverAuth)
        addressOnlyServer = try issue(
            "localhost", names: [.ipAddress(.init(contentBytes: [127, 0, 0, 1]))], usage: .serverAuth)
        commonNameOnlyServer = try issue("localhost", names: [], usage: .serverAuth)
        client = try issue("test-user", names: [], usage: .clientAuth)
    }

    /// Another, unrelated CA, which must not verify this PKI's server.
    static func unrelatedCAPEM() throws -> String {
        try TestPKI().caPEM
    }
}
