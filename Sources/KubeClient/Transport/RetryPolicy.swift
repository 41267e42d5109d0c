/// When and how long to wait before sending a request again.
///
/// Retried: HTTP 429 (the server did not process the request), 5xx and connection failures, but 5xx
/// and connection failures only for idempotent requests (GET, PUT, DELETE, and merge or apply
/// patches), since a POST or JSON patch may have taken effect before the failure. Watches are
/// never retried here: their caller resumes from the last resource version.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in total, the first included; 1 disables retries.
    public var maximumAttempts: Int
    /// The wait before the first retry; it doubles with each further retry.
    public var initialBackoff: Duration
    /// The longest wait between attempts, also the cap on a server's `Retry-After`.
    public var maximumBackoff: Duration
    /// Fraction of random spread added to each backoff, so that many clients do not retry in step.
    public var jitter: Double

    /// Creates a policy; the defaults give 5 attempts over about 3 seconds.
    public init(
        maximumAttempts: Int = 5, initialBackoff: Duration = .milliseconds(200), maximumBackoff: Duration = .seconds(10),
        jitter: Double = 0.2
    ) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.jitter = max(0, jitter)
    }

    /// Never retry.
    public static let none = RetryPolicy(maximumAttempts: 1)

    /// The wait before attempt `attempt + 1`.
    ///
    /// Jitter is added to a server's `Retry-After` too: a server that throttles many clients at once
    /// gives them all the same value, and without a spread they would all come back together.
    ///
    /// - Parameters:
    ///   - attempt: The attempt that just failed, counting from 1.
    ///   - retryAfter: The server's `Retry-After`, which replaces the computed backoff.
    /// - Returns: The delay: the backoff or `Retry-After`, capped at ``maximumBackoff``, plus up to
    ///   ``jitter`` of it at random.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration? = nil) -> Duration {
        let base: Duration
        if let retryAfter {
            base = min(max(retryAfter, .zero), maximumBackoff)
        } else {
            let exponent = min(max(attempt - 1, 0), 30)
            base = min(initialBackoff * (1 << exponent), maximumBackoff)
        }
        guard jitter > 0 else { return base }
        return base + base * Double.random(in: 0...jitter)
    }
}
