import Crypto
import Foundation
import X509

/// The sandbox's own certificate authority and the serving certificate it signs, made fresh at start.
///
/// The CA goes into the kubeconfig the sandbox writes, so clients verify the server as they would a
/// real cluster's, server name included: the serving certificate names `127.0.0.1`, `localhost` and
/// `kubernetes.default.svc`.
public struct SandboxCertificates: Sendable {
    public let caPEM: String
    public let serverCertificatePEM: String
    public let serverKeyPEM: String

    public init(validity: TimeInterval = 365 * 86_400) throws {
        let now = Date()
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName("kube-sandbox CA") }
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey), notValidBefore: now - 300,
            notValidAfter: now + validity, issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(caKey))
        let serverKey = P256.Signing.PrivateKey()
        let server = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(serverKey.publicKey), notValidBefore: now - 300,
            notValidAfter: now + validity, issuer: caName, subject: try DistinguishedName { CommonName("kube-sandbox") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([
                    .ipAddress(.init(contentBytes: [127, 0, 0, 1])), .dnsName("localhost"), .dnsName("kubernetes"),
                    .dnsName("kubernetes.default"), .dnsName("kubernetes.default.svc"),
                ])
            },
            issuerPrivateKey: .init(caKey))
        caPEM = try ca.serializeAsPEM().pemString
        serverCertificatePEM = try server.serializeAsPEM().pemString
        serverKeyPEM = serverKey.pemRepresentation
    }
}
