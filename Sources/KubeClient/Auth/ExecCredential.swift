import Foundation
import KubeCore

/// The `ExecCredential` object exchanged with an exec credential plugin.
struct ExecCredential: Codable, Sendable {
    var apiVersion: String?
    var kind: String?
    var spec: Spec?
    var status: CredentialStatus?

    /// What the client tells the plugin, in `KUBERNETES_EXEC_INFO`.
    struct Spec: Codable, Sendable {
        var interactive: Bool
        var cluster: Cluster?
    }

    /// The cluster, sent only when the kubeconfig sets `provideClusterInfo`.
    struct Cluster: Codable, Sendable {
        var server: String
        var tlsServerName: String?
        var insecureSkipTLSVerify: Bool?
        /// Base64 in JSON, as client-go sends `[]byte`.
        var certificateAuthorityData: Data?

        enum CodingKeys: String, CodingKey {
            case server
            case tlsServerName = "tls-server-name"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case certificateAuthorityData = "certificate-authority-data"
        }
    }

    /// What the plugin answers.
    struct CredentialStatus: Codable, Sendable, Hashable {
        var token: String?
        var expirationTimestamp: String?
        var clientCertificateData: String?
        var clientKeyData: String?
    }
}
