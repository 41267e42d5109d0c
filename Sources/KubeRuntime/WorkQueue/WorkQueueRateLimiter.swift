import KubeClient

/// How long a key waits before it is retried, as client-go's `DefaultControllerRateLimiter`
/// (`default_rate_limiters.go`): the larger of a per-key exponential backoff and the wait for a token
/// of a bucket shared by every key (client-go's `MaxOfRateLimiter` over an
/// `ItemExponentialFailureRateLimiter` and a `BucketRateLimiter`).
///
/// The per-key backoff is `baseDelay · 2^failures`, capped at `maxDelay` (5 ms doubling to 1000 s by
/// default), and starts over when the key is forgotten (after a successful reconcile). The bucket
/// (10 per second, 100 burst by default) bounds the retries of all keys together, so a mass failure
/// does not hammer the API server even while every key's own backoff is still short.
///
/// A pure value: time is an input, a `Duration` since an origin the caller chooses (the bucket is full
/// at that origin).
public struct WorkQueueRateLimiter<Key: Hashable & Sendable>: Sendable {
    /// The delay after a key's first failure.
    public let baseDelay: Duration
    /// The longest per-key delay.
    public let maxDelay: Duration
    /// The bucket every retry takes a token from; `nil` when retries are only limited per key.
    public private(set) var bucket: TokenBucket?
    /// Failures per key since it was last forgotten (client-go's `NumRequeues`).
    public private(set) var failures: [Key: Int] = [:]

    /// A rate limiter; the defaults are client-go's and controller-runtime's.
    ///
    /// - Parameters:
    ///   - baseDelay: The delay after a key's first failure.
    ///   - maxDelay: The cap of the per-key delay.
    ///   - bucket: The shared bucket, `nil` for none; full at time zero.
    public init(
        baseDelay: Duration = .milliseconds(5), maxDelay: Duration = .seconds(1_000),
        bucket: TokenBucket? = TokenBucket(rate: 10, burst: 100, now: .zero)
    ) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.bucket = bucket
    }

    /// Counts one more failure of `key` and returns how long it waits before it is retried (client-go's
    /// `When`): the larger of its own backoff and the wait for a token from the shared bucket.
    ///
    /// Every call takes a token, as in client-go, where the bucket reserves one even when the per-key
    /// delay is the longer.
    public mutating func delay(for key: Key, now: Duration) -> Duration {
        let previousFailures = failures[key, default: 0]
        failures[key] = previousFailures + 1
        let ownDelay = Self.exponentialDelay(afterFailures: previousFailures, base: baseDelay, maximum: maxDelay)
        let bucketDelay = bucket?.reserve(now: now) ?? .zero
        return max(ownDelay, bucketDelay)
    }

    /// Forgets the failures of `key`, so its next failure waits ``baseDelay`` again.
    public mutating func forget(_ key: Key) {
        failures[key] = nil
    }

    /// How many times `key` failed since it was last forgotten.
    public func failures(of key: Key) -> Int {
        failures[key, default: 0]
    }

    /// `base · 2^failures`, capped at `maximum`.
    ///
    /// Computed by doubling in `Duration`'s integer arithmetic, so the delays are exact and a key that
    /// failed thousands of times neither overflows nor loops long: the doubling stops at the cap.
    public static func exponentialDelay(afterFailures failures: Int, base: Duration, maximum: Duration) -> Duration {
        guard base > .zero else { return .zero }
        var delay = base
        for _ in 0..<max(failures, 0) {
            if delay >= maximum { break }
            delay = delay * 2
        }
        return min(delay, maximum)
    }
}
