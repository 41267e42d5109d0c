import AsyncHTTPClient
import KubeCore
import NIOCore
import NIOSSL

/// An error from ``KubeClient``: an API server rejection, a transport failure, or a configuration
/// or credential problem.
///
/// The error is a struct around a private enum so that new kinds can be added without breaking
/// callers. Branch on ``code`` by comparing it with the static members of ``KubeError/Code``
/// (`error.code == .conflict`); show ``message``, which names what failed and what to do next.
public struct KubeError: Error, Sendable, CustomStringConvertible {
    /// The kind of a ``KubeError``, stable across releases.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case notFound, alreadyExists, conflict, gone, forbidden, unauthorized, invalid
            case tooManyRequests, serverError, badRequest, transport, timeout, idleTimeout
            case invalidResponse, invalidRequest, configuration, credentials, cancelled
        }

        private let value: Value

        private init(_ value: Value) { self.value = value }

        /// HTTP 404: the object or its namespace does not exist.
        public static let notFound = Code(.notFound)
        /// HTTP 409 `AlreadyExists`: a create found an object of that name.
        public static let alreadyExists = Code(.alreadyExists)
        /// HTTP 409 `Conflict`: an update raced with another writer, or server-side apply found
        /// fields owned by another manager.
        public static let conflict = Code(.conflict)
        /// HTTP 410 (or a watch `ERROR` event with code 410): the resource version is compacted; relist.
        public static let gone = Code(.gone)
        /// HTTP 403: the credentials are valid but RBAC does not allow the request.
        public static let forbidden = Code(.forbidden)
        /// HTTP 401: the credentials were rejected, even after refreshing them once.
        public static let unauthorized = Code(.unauthorized)
        /// HTTP 422: the object failed validation; see ``KubeError/causes``.
        public static let invalid = Code(.invalid)
        /// HTTP 429: the server is throttling; see ``KubeError/retryAfter``.
        public static let tooManyRequests = Code(.tooManyRequests)
        /// HTTP 5xx: the API server or something behind it failed.
        public static let serverError = Code(.serverError)
        /// Any other 4xx answer, such as 400 Bad Request or 405 Method Not Allowed.
        public static let badRequest = Code(.badRequest)
        /// The connection could not be made, failed TLS verification, or broke mid-response.
        public static let transport = Code(.transport)
        /// The request did not complete within the client's request timeout.
        public static let timeout = Code(.timeout)
        /// A watch received nothing, not even a bookmark, for longer than its idle timeout.
        public static let idleTimeout = Code(.idleTimeout)
        /// The response could not be decoded as the expected type.
        public static let invalidResponse = Code(.invalidResponse)
        /// The request could not be built (a ``KubeCoreError``: bad name, namespace or options).
        public static let invalidRequest = Code(.invalidRequest)
        /// The kubeconfig or in-cluster configuration is missing, malformed or inconsistent.
        public static let configuration = Code(.configuration)
        /// Credentials could not be obtained (an exec plugin failed, a token file is unreadable).
        public static let credentials = Code(.credentials)
        /// The calling task was cancelled.
        public static let cancelled = Code(.cancelled)

        public var description: String { value.rawValue }
    }

    /// What kind of error this is.
    public let code: Code
    /// A sentence naming what failed and what to do next.
    public let message: String
    /// The HTTP status code of the response, when there was one.
    public let httpStatus: Int?
    /// The server's `Status` object, when it sent one.
    public let status: Status?
    /// How long the server asked the client to wait before retrying (`Retry-After`).
    public let retryAfter: Duration?
    /// The error this one wraps, such as a TLS or decoding error.
    public let underlying: (any Error)?

    init(
        _ code: Code, _ message: String, httpStatus: Int? = nil, status: Status? = nil,
        retryAfter: Duration? = nil, underlying: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.status = status
        self.retryAfter = retryAfter
        self.underlying = underlying
    }

    /// The individual field problems of an ``Code/invalid`` error (`status.details.causes`).
    public var causes: [StatusCause] { status?.details?.causes ?? [] }

    public var description: String { "KubeError.\(code): \(message)" }
}

extension KubeError {
    static func configuration(_ message: String, underlying: (any Error)? = nil) -> KubeError {
        KubeError(.configuration, message, underlying: underlying)
    }

    static func credentials(_ message: String, underlying: (any Error)? = nil) -> KubeError {
        KubeError(.credentials, message, underlying: underlying)
    }

    static func invalidRequest(_ error: KubeCoreError) -> KubeError {
        KubeError(.invalidRequest, "cannot build the request: \(error.message)", underlying: error)
    }

    /// The error for a failed exchange: ``Code/timeout`` when a deadline or connect timeout ended it,
    /// otherwise ``Code/transport`` with advice that fits the failure.
    static func transport(_ what: String, _ error: any Error, timeout: Duration? = nil) -> KubeError {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout:
                return .timeout(what, after: timeout, underlying: error)
            case .connectTimeout, .tlsHandshakeTimeout, .httpProxyHandshakeTimeout, .socksHandshakeTimeout:
                return KubeError(
                    .timeout,
                    "\(what) could not connect within \(HTTPClientSetup.connectTimeout.nanoseconds / 1_000_000_000) s "
                        + "(\(error)); check that the API server address (and proxy, if any) is reachable",
                    underlying: error)
            default:
                break
            }
        }
        if case ChannelError.connectTimeout = error {
            return transport(what, HTTPClientError.connectTimeout, timeout: timeout)
        }
        if let mismatch = error as? ServerNameMismatch {
            return KubeError(
                .transport,
                "\(what) refused the server: \(mismatch). Connect to a name the certificate is valid for, or set "
                    + "tls-server-name to one of them",
                underlying: error)
        }
        if error is NIOSSLError || error is BoringSSLError {
            return KubeError(
                .transport,
                "\(what) failed in the TLS handshake: \(error). Check that the cluster's certificate-authority "
                    + "signed the server certificate, that the certificate names the server's host (or set "
                    + "tls-server-name), and that the client certificate is accepted",
                underlying: error)
        }
        return KubeError(
            .transport,
            "\(what) failed: \(error). Check that the API server address is reachable and that its certificate "
                + "matches the configured certificate authority",
            underlying: error)
    }

    /// The error for a request that did not complete within the request timeout.
    static func timeout(_ what: String, after timeout: Duration?, underlying: (any Error)? = nil) -> KubeError {
        let limit = timeout.map { " within \($0)" } ?? " in time"
        return KubeError(
            .timeout,
            "\(what) did not complete\(limit); the API server may be overloaded, or raise "
                + "ClientConfiguration.requestTimeout for large lists",
            underlying: underlying)
    }

    /// Whether sending the request again cannot help: the server's certificate or the credentials are wrong.
    var isPermanent: Bool {
        if code == .credentials || code == .configuration || code == .cancelled { return true }
        return underlying is NIOSSLError || underlying is BoringSSLError || underlying is ServerNameMismatch
    }

    static func invalidResponse(_ what: String, _ error: any Error) -> KubeError {
        KubeError(
            .invalidResponse,
            "cannot decode \(what): \(error). The server answered with something other than the expected "
                + "object; check that the resource type matches the API group and version",
            underlying: error)
    }

    static let cancelled = KubeError(.cancelled, "the request was cancelled because its task was cancelled")
}
