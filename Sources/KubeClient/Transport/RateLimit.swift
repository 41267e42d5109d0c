/// Client-side throttling settings: a token bucket refilled at ``queriesPerSecond`` holding at
/// most ``burst`` tokens.
public struct RateLimit: Sendable, Hashable {
    /// Sustained requests per second; `0` or less disables throttling.
    public var queriesPerSecond: Double
    /// Requests allowed at once after a quiet period.
    public var burst: Int

    /// - Parameters:
    ///   - queriesPerSecond: Sustained rate. The default, 50, is well above client-go's 5 because a
    ///     controller that relists many kinds at start-up should not throttle itself; the API
    ///     server's priority and fairness still protects the cluster.
    ///   - burst: Bucket size, 100 by default.
    public init(queriesPerSecond: Double = 50, burst: Int = 100) {
        self.queriesPerSecond = queriesPerSecond
        self.burst = max(1, burst)
    }

    /// No client-side throttling.
    public static let unlimited = RateLimit(queriesPerSecond: 0, burst: 1)
}
