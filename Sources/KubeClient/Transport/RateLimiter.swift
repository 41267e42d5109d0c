/// Throttles requests with a ``TokenBucket`` on a clock of the caller's choice.
///
/// Tests inject a clock whose time they control; production uses `ContinuousClock`.
public actor RateLimiter<C: Clock> where C.Duration == Duration {
    private let clock: C
    private let origin: C.Instant
    private var bucket: TokenBucket?

    /// - Parameters:
    ///   - limit: The rate and burst; a non-positive rate disables throttling.
    ///   - clock: The clock to read and sleep on.
    public init(_ limit: RateLimit, clock: C) {
        self.clock = clock
        let origin = clock.now
        self.origin = origin
        self.bucket = limit.queriesPerSecond > 0
            ? TokenBucket(rate: limit.queriesPerSecond, burst: limit.burst, now: .zero) : nil
    }

    /// Waits until the caller may send one request.
    ///
    /// - Throws: `CancellationError` if the task is cancelled while waiting; the token stays spent,
    ///   which errs on the side of sending less.
    public func acquire() async throws {
        guard var bucket else { return }
        let now = clock.now
        let wait = bucket.reserve(now: origin.duration(to: now))
        self.bucket = bucket
        guard wait > .zero else { return }
        // The reservation is made before suspending, so other callers entering meanwhile queue
        // behind it rather than racing for the same token.
        try await clock.sleep(until: now.advanced(by: wait), tolerance: nil)
    }
}

extension RateLimiter where C == ContinuousClock {
    /// A limiter on the continuous clock.
    public init(_ limit: RateLimit) {
        self.init(limit, clock: ContinuousClock())
    }
}
