import Foundation
import NIOSSL

/// Turns PEM material from a configuration into NIOSSL's `TLSConfiguration`.
enum TLSConfigurationBuilder {
    /// The client TLS configuration for a cluster.
    ///
    /// - Parameters:
    ///   - configuration: CA, verification switch and static client certificate.
    ///   - identity: A client certificate from an exec plugin, which replaces the static one.
    /// - Throws: ``KubeError/Code/configuration`` when a PEM block cannot be parsed.
    static func make(
        for configuration: ClientConfiguration, identity: ClientIdentity? = nil
    ) throws(KubeError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if configuration.insecureSkipTLSVerify {
            tls.certificateVerification = .none
        } else {
            // The chain is verified here; the name is checked by ServerNameCheck on each new connection, by
            // client-go's rules, which NIOSSL's hostname check does not follow.
            tls.certificateVerification = .noHostnameVerification
            if let caPEM = configuration.certificateAuthorityPEM {
                tls.trustRoots = .certificates(try certificates(caPEM, what: "certificate authority"))
            }
        }
        let certificatePEM = identity?.certificatePEM ?? configuration.clientCertificatePEM
        let keyPEM = identity?.keyPEM ?? configuration.clientKeyPEM
        if let certificatePEM, let keyPEM {
            tls.certificateChain = try certificates(certificatePEM, what: "client certificate").map { .certificate($0) }
            do {
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(keyPEM), format: .pem))
            } catch {
                throw .configuration(
                    "the client key is not a PEM private key NIOSSL can read (\(error)); use an unencrypted RSA or "
                        + "EC key in PEM", underlying: error)
            }
        }
        return tls
    }

    private static func certificates(_ pem: Data, what: String) throws(KubeError) -> [NIOSSLCertificate] {
        do {
            let certificates = try NIOSSLCertificate.fromPEMBytes(Array(pem))
            guard !certificates.isEmpty else {
                throw KubeError.configuration("the \(what) contains no PEM certificate; expected -----BEGIN CERTIFICATE-----")
            }
            return certificates
        } catch let error as KubeError {
            throw error
        } catch {
            throw .configuration(
                "the \(what) is not valid PEM (\(error)); expected -----BEGIN CERTIFICATE----- blocks", underlying: error)
        }
    }
}
