/// The failures and delays a test has asked the sandbox to inject, as a pure value: each request asks
/// ``match(verb:path:)`` whether it fails, which uses up one of the matching rule's failures.
///
/// Rules are tried in the order they were added; the first with failures left that matches the request
/// answers it. Nothing here is served by a real kube-apiserver: this is the sandbox's test surface.
public struct FaultPlan: Sendable, Equatable {
    /// Fail the next `count` requests that match.
    public struct Rule: Sendable, Equatable {
        /// The Kubernetes verb (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`,
        /// `deletecollection`; the HTTP method in lower case for other paths), or `nil` for any.
        public var verb: String?
        /// A prefix of the request path (`/api/v1/namespaces/demo/configmaps`), or `nil` for any path.
        public var pathPrefix: String?
        /// The HTTP status of the failure: 409, 429, 500, 503, …
        public var status: Int
        /// How many more requests fail.
        public var remaining: Int
        /// The `Retry-After` header (and `details.retryAfterSeconds`) of the failure.
        public var retryAfterSeconds: Int?

        public init(verb: String? = nil, pathPrefix: String? = nil, status: Int, count: Int = 1, retryAfterSeconds: Int? = nil) {
            self.verb = verb
            self.pathPrefix = pathPrefix
            self.status = status
            self.remaining = count
            self.retryAfterSeconds = retryAfterSeconds
        }

        func matches(verb: String, path: String) -> Bool {
            if let wanted = self.verb, wanted != verb { return false }
            if let prefix = pathPrefix, !path.hasPrefix(prefix) { return false }
            return remaining > 0
        }
    }

    /// The rules with failures left, in the order they were added.
    public private(set) var rules: [Rule] = []
    /// Added before every API request is answered (not `/healthz`, not the control path).
    public var latency: Duration = .zero

    public init() {}

    /// The statuses a rule may inject (errors a real server answers with), each with the `Status`
    /// reason apimachinery gives it.
    static let reasons: [Int: String] = [
        400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict", 410: "Expired",
        422: "Invalid", 429: "TooManyRequests", 500: "InternalError", 503: "ServiceUnavailable", 504: "Timeout",
    ]

    /// The statuses a rule may inject.
    public static var injectableStatuses: Set<Int> { Set(reasons.keys) }

    /// Adds a rule.
    ///
    /// - Throws: ``FaultPlanError`` when the status is not an error status, the count is not positive or
    ///   the Retry-After is negative.
    public mutating func add(_ rule: Rule) throws(FaultPlanError) {
        guard Self.reasons[rule.status] != nil else { throw .unsupportedStatus(rule.status) }
        guard rule.remaining > 0 else { throw .countNotPositive(rule.remaining) }
        if let seconds = rule.retryAfterSeconds, seconds < 0 { throw .negativeRetryAfter(seconds) }
        rules.append(rule)
    }

    /// The rule that fails this request, with one failure used up; `nil` when the request goes through.
    public mutating func match(verb: String, path: String) -> Rule? {
        guard let index = rules.firstIndex(where: { $0.matches(verb: verb, path: path) }) else { return nil }
        let rule = rules[index]
        rules[index].remaining -= 1
        if rules[index].remaining == 0 { rules.remove(at: index) }
        return rule
    }

    /// Forgets every rule and the latency.
    public mutating func clear() {
        rules = []
        latency = .zero
    }
}

/// A fault that cannot be injected, named.
public enum FaultPlanError: Error, Equatable, CustomStringConvertible {
    case unsupportedStatus(Int)
    case countNotPositive(Int)
    case negativeRetryAfter(Int)
    case negativeLatency

    public var description: String {
        switch self {
        case .unsupportedStatus(let status):
            "status \(status) cannot be injected; use one of \(FaultPlan.injectableStatuses.sorted().map(String.init).joined(separator: ", "))"
        case .countNotPositive(let count): "count must be at least 1, got \(count)"
        case .negativeRetryAfter(let seconds): "retryAfterSeconds must not be negative, got \(seconds)"
        case .negativeLatency: "latency must not be negative"
        }
    }
}
