import Foundation

/// Everything a ``KubeClient`` needs to reach one API server: address, trust, identity and limits.
///
/// Build it from a kubeconfig (``init(kubeConfig:context:)``), from a pod's service account
/// (``inCluster(environment:serviceAccountPath:)``), or let ``load(kubeConfigPath:context:environment:serviceAccountPath:)``
/// pick as client-go does. Every field can be changed afterwards, for example ``rateLimit``.
public struct ClientConfiguration: Sendable {
    /// The API server's base URL, such as `https://10.96.0.1:443`; a path prefix is kept.
    public var server: String
    /// PEM certificate authorities to trust; `nil` trusts the system's roots.
    public var certificateAuthorityPEM: Data?
    /// Skip server certificate verification entirely (a kubeconfig's `insecure-skip-tls-verify`).
    public var insecureSkipTLSVerify: Bool
    /// The name to verify in the server certificate, and to send as SNI, instead of the URL's host.
    public var tlsServerName: String?
    /// A PEM client certificate chain, sent when the server asks for one.
    public var clientCertificatePEM: Data?
    /// The PEM private key of ``clientCertificatePEM``.
    public var clientKeyPEM: Data?
    /// Token-based credentials.
    public var credentials: Credentials
    /// The default namespace of the kubeconfig context or service account, if any.
    public var namespace: String?
    /// The `User-Agent` header of every request.
    public var userAgent: String
    /// Client-side throttling.
    public var rateLimit: RateLimit
    /// Retries of idempotent requests after throttling, server errors and connection failures.
    public var retryPolicy: RetryPolicy
    /// How long one non-watch request (each attempt) may take, response body included.
    public var requestTimeout: Duration
    /// How long a watch may receive nothing at all before it is treated as a dead connection.
    /// Ask for bookmarks (`allowWatchBookmarks`) so that a quiet but healthy watch hears from the
    /// server regularly.
    public var watchIdleTimeout: Duration
    /// The largest non-watch response body accepted, in bytes.
    public var maximumResponseSize: Int
    /// An `http://` or `socks5://` proxy for every connection (a kubeconfig's `proxy-url`).
    public var proxyURL: String?
    /// Without ``proxyURL``, use `HTTPS_PROXY` / `HTTP_PROXY` and `NO_PROXY` from the environment, as
    /// client-go does.
    public var proxyFromEnvironment: Bool
    /// Act as another user (a kubeconfig's `as`, `as-uid`, `as-groups`, `as-user-extra`).
    public var impersonation: Impersonation?
    /// How long an exec credential plugin may run before it is killed and the request fails.
    public var credentialPluginTimeout: Duration
    /// Told of every HTTP exchange (for request metrics); `nil` by default.
    public var requestObserver: (any RequestObserver)?

    /// Creates a configuration; the defaults suit a controller.
    public init(
        server: String,
        certificateAuthorityPEM: Data? = nil,
        insecureSkipTLSVerify: Bool = false,
        tlsServerName: String? = nil,
        clientCertificatePEM: Data? = nil,
        clientKeyPEM: Data? = nil,
        credentials: Credentials = .none,
        namespace: String? = nil,
        userAgent: String = ClientConfiguration.defaultUserAgent,
        rateLimit: RateLimit = RateLimit(),
        retryPolicy: RetryPolicy = RetryPolicy(),
        requestTimeout: Duration = .seconds(60),
        watchIdleTimeout: Duration = .seconds(300),
        maximumResponseSize: Int = 256 * 1024 * 1024,
        proxyURL: String? = nil,
        proxyFromEnvironment: Bool = true,
        impersonation: Impersonation? = nil,
        credentialPluginTimeout: Duration = .seconds(60),
        requestObserver: (any RequestObserver)? = nil
    ) {
        self.server = server
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.tlsServerName = tlsServerName
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.credentials = credentials
        self.namespace = namespace
        self.userAgent = userAgent
        self.rateLimit = rateLimit
        self.retryPolicy = retryPolicy
        self.requestTimeout = requestTimeout
        self.watchIdleTimeout = watchIdleTimeout
        self.maximumResponseSize = maximumResponseSize
        self.proxyURL = proxyURL
        self.proxyFromEnvironment = proxyFromEnvironment
        self.impersonation = impersonation
        self.credentialPluginTimeout = credentialPluginTimeout
        self.requestObserver = requestObserver
    }

    /// `kubeclient-swift/0.1 (linux)`.
    public static let defaultUserAgent = "kubeclient-swift/0.1 (linux)"

    /// The server URL split into scheme, host and port, validated.
    func endpoint() throws(KubeError) -> Endpoint {
        guard let components = URLComponents(string: server), let scheme = components.scheme?.lowercased(),
            scheme == "https" || scheme == "http", let host = components.host, !host.isEmpty
        else {
            throw .configuration(
                "server \"\(server)\" is not a valid API server URL; use the form https://host:port")
        }
        let bareHost = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        return Endpoint(scheme: scheme, host: bareHost, port: components.port ?? (scheme == "https" ? 443 : 80), pathPrefix: path)
    }

    /// The parts of ``ClientConfiguration/server``.
    struct Endpoint: Sendable, Hashable {
        var scheme: String
        /// The host without IPv6 brackets.
        var host: String
        var port: Int
        var pathPrefix: String

        /// The URL to request `target` (path and query), connecting to `urlHost`.
        func url(for target: String, urlHost: String) -> String {
            let hostPart = urlHost.contains(":") ? "[\(urlHost)]" : urlHost
            return "\(scheme)://\(hostPart):\(port)\(pathPrefix)\(target)"
        }
    }
}
