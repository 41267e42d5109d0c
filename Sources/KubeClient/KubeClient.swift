import AsyncHTTPClient
import Foundation
import KubeCore
import Logging
import NIOCore
import NIOSSL
import Synchronization

/// A client for one Kubernetes API server, executing KubeCore's ``KubeCore/KubeRequest`` values.
///
/// It holds one `HTTPClient` (a connection pool), credentials that refresh themselves, a
/// client-side rate limiter and a retry policy. Share one instance across the whole program.
///
/// - Guarantees: every request is throttled by ``ClientConfiguration/rateLimit``; idempotent
///   requests are retried per ``ClientConfiguration/retryPolicy``; a 401 refreshes rotating
///   credentials (token file, exec plugin) and retries once; every failure is a ``KubeError``.
/// - Caveats: call ``shutdown()`` before dropping the client; an `HTTPClient` that is not shut
///   down traps in debug builds.
public final class KubeClient: Sendable {
    /// The configuration this client was created with.
    public let configuration: ClientConfiguration

    /// Connections for every request but watches.
    let httpClient: HTTPClient
    /// Connections for watches, one each; see ``HTTPClientSetup``.
    let watchClient: HTTPClient
    let endpoint: ClientConfiguration.Endpoint
    /// The host put in request URLs: the `tls-server-name` when set, so that it is sent as SNI,
    /// while `dnsOverride` still connects to the real host.
    let urlHost: String
    let authenticator: Authenticator
    let rateLimiter: RateLimiter<ContinuousClock>
    let logger: Logger
    /// TLS configurations for client certificates handed out by an exec plugin, built once each.
    private let identityTLS = Mutex<[ClientIdentity: TLSConfiguration]>([:])
    private let isShutDown = Mutex(false)

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - configuration: Where the server is and how to trust and authenticate to it.
    ///   - logger: Receives debug messages about retries and credential refreshes.
    ///   - eventLoopGroup: The event loops for connections; the shared singleton by default.
    /// - Throws: ``KubeError/Code/configuration`` for an invalid server URL or unparseable PEM.
    public init(
        configuration: ClientConfiguration,
        logger: Logger = Logger(label: "KubeClient"),
        eventLoopGroup: any EventLoopGroup = HTTPClient.defaultEventLoopGroup
    ) throws(KubeError) {
        let endpoint = try configuration.endpoint()
        let environment = ProcessInfo.processInfo.environment
        let requestPool = try HTTPClientSetup.make(configuration, endpoint: endpoint, pool: .requests, environment: environment)
        let watchPool = try HTTPClientSetup.make(configuration, endpoint: endpoint, pool: .watches, environment: environment)
        self.configuration = configuration
        self.endpoint = endpoint
        self.urlHost = configuration.tlsServerName.flatMap { $0.isEmpty ? nil : $0 } ?? endpoint.host
        self.logger = logger
        self.httpClient = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: requestPool)
        self.watchClient = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: watchPool)
        self.rateLimiter = RateLimiter(configuration.rateLimit)
        self.authenticator = Authenticator(
            configuration.credentials,
            cluster: ExecCredential.Cluster(
                server: configuration.server, tlsServerName: configuration.tlsServerName,
                insecureSkipTLSVerify: configuration.insecureSkipTLSVerify ? true : nil,
                certificateAuthorityData: configuration.certificateAuthorityPEM),
            pluginTimeout: configuration.credentialPluginTimeout)
    }

    /// Creates a client from the first configuration found, as
    /// ``ClientConfiguration/load(kubeConfigPath:context:environment:serviceAccountPath:)`` finds it.
    ///
    /// - Parameters:
    ///   - kubeConfigPath: An explicit kubeconfig, such as a `--kubeconfig` flag.
    ///   - context: A kubeconfig context instead of the current one.
    ///   - logger: Receives debug messages.
    /// - Throws: ``KubeError/Code/configuration`` when no valid configuration is found.
    public convenience init(
        kubeConfigPath: String? = nil, context: String? = nil, logger: Logger = Logger(label: "KubeClient")
    ) throws(KubeError) {
        try self.init(
            configuration: try ClientConfiguration.load(kubeConfigPath: kubeConfigPath, context: context),
            logger: logger)
    }

    /// Closes all connections; open watches end with a transport error. Safe to call twice.
    ///
    /// - Throws: The `HTTPClient`'s shutdown error, if any.
    public func shutdown() async throws {
        let alreadyShutDown = isShutDown.withLock { state in
            defer { state = true }
            return state
        }
        guard !alreadyShutDown else { return }
        // Both pools are shut down even if the first fails, so no connection outlives the client.
        var firstError: (any Error)?
        do { try await httpClient.shutdown() } catch { firstError = error }
        do { try await watchClient.shutdown() } catch { firstError = firstError ?? error }
        if let firstError { throw firstError }
    }

    /// Builds the HTTP request for `request` with `credential` attached.
    func httpRequest(_ request: KubeRequest, credential: RequestCredential) throws(KubeError) -> HTTPClientRequest {
        var http = HTTPClientRequest(url: endpoint.url(for: request.target, urlHost: urlHost))
        http.method = .init(rawValue: request.method.rawValue)
        // Sorted so that the wire order is reproducible; KubeRequest keeps headers in a dictionary.
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) {
            http.headers.add(name: name, value: value)
        }
        http.headers.replaceOrAdd(name: "User-Agent", value: configuration.userAgent)
        if let authorization = credential.authorization {
            http.headers.replaceOrAdd(name: "Authorization", value: authorization)
        }
        for (name, value) in configuration.impersonation?.headers ?? [] {
            http.headers.add(name: name, value: value)
        }
        if let body = request.body {
            http.body = .bytes(ByteBuffer(bytes: body))
        }
        if let identity = credential.identity {
            http.tlsConfiguration = try tlsConfiguration(for: identity)
        }
        return http
    }

    private func tlsConfiguration(for identity: ClientIdentity) throws(KubeError) -> TLSConfiguration {
        if let cached = identityTLS.withLock({ $0[identity] }) { return cached }
        let tls = try TLSConfigurationBuilder.make(for: configuration, identity: identity)
        identityTLS.withLock { cache in
            // Exec certificates rotate; keep only the current one so the cache stays small.
            cache = [identity: tls]
        }
        return tls
    }

    /// `METHOD target`, for messages.
    static func describe(_ request: KubeRequest) -> String {
        "\(request.method.rawValue) \(request.target)"
    }
}
