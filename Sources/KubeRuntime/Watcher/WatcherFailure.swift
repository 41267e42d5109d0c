import KubeClient
import KubeCore

/// Why a list or watch failed, as the watcher state machine needs it: whether to relist, how long the
/// server asked to wait, and a stable ``Reason`` to count watch restarts by in metrics.
public struct WatcherFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// A failure's kind; the raw value is a stable metrics label.
    public enum Reason: String, Hashable, Sendable, CaseIterable {
        /// HTTP 410: the resource version (or a list's continue token) was compacted; list again.
        case expired
        /// HTTP 401.
        case unauthorized
        /// HTTP 403: RBAC does not allow the list or watch.
        case forbidden
        /// HTTP 404: the resource type is not served (a CRD not installed yet).
        case notFound
        /// HTTP 429.
        case throttled
        /// HTTP 5xx.
        case serverError
        /// Any other 4xx: the server rejected the request itself.
        case rejected
        /// The connection failed or broke.
        case transport
        /// A list did not complete within the client's request timeout.
        case timeout
        /// A watch received nothing, not even a bookmark, for its idle timeout.
        case idleTimeout
        /// The response could not be decoded.
        case invalidResponse
        /// A watch closed cleanly within a moment of starting without delivering anything, which
        /// client-go's reflector also treats as a failure ("very short watch").
        case shortWatch
        /// A list or an event carried no resource version to resume from.
        case missingResourceVersion
        /// Anything else (configuration, credentials).
        case other
    }

    /// The kind of failure.
    public var reason: Reason
    /// What failed, for logs.
    public var message: String
    /// How long the server asked the client to wait (`Retry-After`); the backoff waits at least this long.
    public var retryAfter: Duration?

    /// A failure.
    public init(_ reason: Reason, message: String, retryAfter: Duration? = nil) {
        self.reason = reason
        self.message = message
        self.retryAfter = retryAfter
    }

    /// The failure of a list or watch request made with ``KubeClient``.
    public init(_ error: KubeError) {
        self.init(Self.reasons[error.code] ?? .other, message: error.message, retryAfter: error.retryAfter)
    }

    /// The failure a watch `ERROR` event reports.
    public init(_ status: Status) {
        let reason: Reason
        switch status.code.map(Int.init) {
        case _ where status.isGone: reason = .expired
        case 401: reason = .unauthorized
        case 403: reason = .forbidden
        case 404: reason = .notFound
        case 429: reason = .throttled
        case .some(400..<500): reason = .rejected
        // An ERROR event without a code is the server failing mid-stream, as KubeClient reads it (500).
        default: reason = .serverError
        }
        let text = status.message ?? status.reason ?? "no message"
        self.init(
            reason, message: "watch ERROR event: \(text)",
            retryAfter: status.details?.retryAfterSeconds.map { .seconds(Int($0)) })
    }

    /// Whether the watcher must start over from a fresh list (HTTP 410).
    public var isExpired: Bool { reason == .expired }

    /// `reason: message`.
    public var description: String { "\(reason.rawValue): \(message)" }

    private static let reasons: [KubeError.Code: Reason] = [
        .gone: .expired, .unauthorized: .unauthorized, .forbidden: .forbidden, .notFound: .notFound,
        .tooManyRequests: .throttled, .serverError: .serverError, .badRequest: .rejected, .invalid: .rejected,
        .conflict: .rejected, .alreadyExists: .rejected, .invalidRequest: .rejected, .transport: .transport,
        .timeout: .timeout, .idleTimeout: .idleTimeout, .invalidResponse: .invalidResponse,
    ]
}
