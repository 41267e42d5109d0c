/// Token-bucket arithmetic with time passed in, so that it is tested without a clock.
///
/// Tokens refill continuously at `rate` per second up to `burst`. A request takes one token; when
/// none is left the bucket goes into debt and the request must wait until the debt is repaid.
/// Reserving before waiting (as `golang.org/x/time/rate` does) keeps waiters in arrival order
/// without a queue: each one's wait already accounts for everyone before it.
public struct TokenBucket: Sendable, Hashable {
    /// Tokens added per second.
    public let rate: Double
    /// The most tokens the bucket holds.
    public let burst: Int
    private var tokens: Double
    private var last: Duration

    /// Creates a full bucket.
    ///
    /// - Parameters:
    ///   - rate: Tokens per second; must be positive.
    ///   - burst: Capacity; at least 1.
    ///   - now: The current time as an offset from any fixed origin.
    public init(rate: Double, burst: Int, now: Duration) {
        precondition(rate > 0, "TokenBucket rate must be positive")
        self.rate = rate
        self.burst = max(1, burst)
        self.tokens = Double(self.burst)
        self.last = now
    }

    /// Takes one token and returns how long the caller must wait before using it.
    ///
    /// - Parameter now: The current time, on the same origin as at creation; never earlier than a
    ///   previous call's (an earlier time is treated as the previous one).
    /// - Returns: `.zero` when a token was available, otherwise the time until the debt is repaid.
    public mutating func reserve(now: Duration) -> Duration {
        refill(now: now)
        tokens -= 1
        guard tokens < 0 else { return .zero }
        return .seconds(-tokens / rate)
    }

    /// The tokens available at `now`, negative while in debt.
    public mutating func available(now: Duration) -> Double {
        refill(now: now)
        return tokens
    }

    private mutating func refill(now: Duration) {
        guard now > last else { return }
        let elapsed = (now - last) / .seconds(1)
        tokens = min(Double(burst), tokens + elapsed * rate)
        last = now
    }
}
