import KubeCore

/// A kubeconfig file (`apiVersion: v1`, `kind: Config`), or several merged as kubectl merges them.
///
/// Only what a client needs is modelled; unknown keys (`preferences`, `extensions`) are ignored.
/// Each named entry remembers the file it came from, so that relative paths and error messages
/// can refer to that file.
public struct KubeConfig: Sendable, Hashable {
    /// The context used when none is named explicitly.
    public var currentContext: String?
    /// API servers, by name.
    public var clusters: [NamedCluster]
    /// Credentials, by name.
    public var users: [NamedUser]
    /// Cluster, user and namespace combinations, by name.
    public var contexts: [NamedContext]

    /// Creates a configuration from its parts.
    public init(
        currentContext: String? = nil, clusters: [NamedCluster] = [], users: [NamedUser] = [],
        contexts: [NamedContext] = []
    ) {
        self.currentContext = currentContext
        self.clusters = clusters
        self.users = users
        self.contexts = contexts
    }

    /// A `clusters[]` entry.
    public struct NamedCluster: Sendable, Hashable {
        /// The name contexts refer to.
        public var name: String
        /// The cluster's settings.
        public var cluster: Cluster
        /// The kubeconfig file this entry was read from, if any.
        public var source: String?

        /// Creates an entry.
        public init(name: String, cluster: Cluster, source: String? = nil) {
            self.name = name
            self.cluster = cluster
            self.source = source
        }
    }

    /// A `users[]` entry.
    public struct NamedUser: Sendable, Hashable {
        /// The name contexts refer to.
        public var name: String
        /// The user's settings.
        public var user: User
        /// The kubeconfig file this entry was read from, if any.
        public var source: String?

        /// Creates an entry.
        public init(name: String, user: User, source: String? = nil) {
            self.name = name
            self.user = user
            self.source = source
        }
    }

    /// A `contexts[]` entry.
    public struct NamedContext: Sendable, Hashable {
        /// The name `current-context` or an explicit choice refers to.
        public var name: String
        /// The context's settings.
        public var context: Context
        /// The kubeconfig file this entry was read from, if any.
        public var source: String?

        /// Creates an entry.
        public init(name: String, context: Context, source: String? = nil) {
            self.name = name
            self.context = context
            self.source = source
        }
    }

    /// How to reach and trust one API server.
    public struct Cluster: Codable, Sendable, Hashable {
        /// `https://host:port`, possibly with a path prefix.
        public var server: String?
        /// A PEM file with the certificate authorities to trust.
        public var certificateAuthority: String?
        /// Base64 of PEM certificate authorities; wins over ``certificateAuthority``.
        public var certificateAuthorityData: String?
        /// Do not verify the server certificate at all.
        public var insecureSkipTLSVerify: Bool?
        /// The name to verify in the server certificate (and send as SNI) instead of the URL's host.
        public var tlsServerName: String?
        /// An `http://` or `socks5://` proxy for connections to this cluster.
        public var proxyURL: String?

        /// Creates cluster settings.
        public init(
            server: String? = nil, certificateAuthority: String? = nil, certificateAuthorityData: String? = nil,
            insecureSkipTLSVerify: Bool? = nil, tlsServerName: String? = nil, proxyURL: String? = nil
        ) {
            self.server = server
            self.certificateAuthority = certificateAuthority
            self.certificateAuthorityData = certificateAuthorityData
            self.insecureSkipTLSVerify = insecureSkipTLSVerify
            self.tlsServerName = tlsServerName
            self.proxyURL = proxyURL
        }

        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case tlsServerName = "tls-server-name"
            case proxyURL = "proxy-url"
        }
    }

    /// How to authenticate as one user.
    public struct User: Codable, Sendable, Hashable {
        /// A PEM file with the client certificate chain.
        public var clientCertificate: String?
        /// Base64 of a PEM certificate chain; wins over ``clientCertificate``.
        public var clientCertificateData: String?
        /// A PEM file with the client private key.
        public var clientKey: String?
        /// Base64 of a PEM private key; wins over ``clientKey``.
        public var clientKeyData: String?
        /// A bearer token; wins over ``tokenFile``.
        public var token: String?
        /// A file holding a bearer token, re-read when it changes.
        public var tokenFile: String?
        /// A credential plugin to run.
        public var exec: ExecConfig?
        /// A user name for HTTP basic authentication, with ``password``.
        public var username: String?
        /// The password for ``username``.
        public var password: String?
        /// A legacy in-tree authentication provider (`gcp`, `azure`, `oidc`); not supported by this
        /// client, so a user that names one is refused rather than sent unauthenticated.
        public var authProvider: JSONValue?
        /// A user to act as (`--as`); needs the `impersonate` verb in RBAC.
        public var impersonate: String?
        /// The UID to act as (`--as-uid`).
        public var impersonateUID: String?
        /// Groups to act as (`--as-group`).
        public var impersonateGroups: [String]?
        /// Extra user information to act with (`--as-user-extra`).
        public var impersonateUserExtra: [String: [String]]?

        /// Creates user settings.
        public init(
            clientCertificate: String? = nil, clientCertificateData: String? = nil, clientKey: String? = nil,
            clientKeyData: String? = nil, token: String? = nil, tokenFile: String? = nil, exec: ExecConfig? = nil,
            username: String? = nil, password: String? = nil, authProvider: JSONValue? = nil,
            impersonate: String? = nil, impersonateUID: String? = nil, impersonateGroups: [String]? = nil,
            impersonateUserExtra: [String: [String]]? = nil
        ) {
            self.clientCertificate = clientCertificate
            self.clientCertificateData = clientCertificateData
            self.clientKey = clientKey
            self.clientKeyData = clientKeyData
            self.token = token
            self.tokenFile = tokenFile
            self.exec = exec
            self.username = username
            self.password = password
            self.authProvider = authProvider
            self.impersonate = impersonate
            self.impersonateUID = impersonateUID
            self.impersonateGroups = impersonateGroups
            self.impersonateUserExtra = impersonateUserExtra
        }

        enum CodingKeys: String, CodingKey {
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
            case token, tokenFile, exec, username, password
            case authProvider = "auth-provider"
            case impersonate = "as"
            case impersonateUID = "as-uid"
            case impersonateGroups = "as-groups"
            case impersonateUserExtra = "as-user-extra"
        }
    }

    /// A cluster, a user and a default namespace under one name.
    public struct Context: Codable, Sendable, Hashable {
        /// The name of a `clusters[]` entry.
        public var cluster: String?
        /// The name of a `users[]` entry; unset means no credentials.
        public var user: String?
        /// The default namespace.
        public var namespace: String?

        /// Creates context settings.
        public init(cluster: String? = nil, user: String? = nil, namespace: String? = nil) {
            self.cluster = cluster
            self.user = user
            self.namespace = namespace
        }
    }
}
