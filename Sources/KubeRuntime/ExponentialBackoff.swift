import Foundation

/// Delays that double after each failure, with jitter, up to a cap, as client-go's reflector and kube-rs'
/// watcher back off from a failing list or watch (800 ms doubling to 30 s, reset after two healthy minutes).
///
/// A pure value: the caller passes the randomness (a number in `0..<1`) and the time, so the sequence is
/// testable without clocks.
public struct ExponentialBackoff: Sendable, Hashable {
    /// The first delay.
    public var initial: Duration
    /// The longest delay.
    public var maximum: Duration
    /// How much each delay grows over the one before.
    public var factor: Double
    /// The share of a delay that is random: with 1, a delay of `d` is drawn from `d..<2d`.
    public var jitter: Double
    /// How long things must go well before the next failure starts from ``initial`` again.
    public var resetAfter: Duration

    /// Failures since the last reset.
    public private(set) var failures = 0

    /// A backoff; the defaults are client-go's reflector's.
    public init(
        initial: Duration = .milliseconds(800), maximum: Duration = .seconds(30), factor: Double = 2, jitter: Double = 1,
        resetAfter: Duration = .seconds(120)
    ) {
        self.initial = initial
        self.maximum = maximum
        self.factor = factor
        self.jitter = jitter
        self.resetAfter = resetAfter
    }

    /// The delay before the next attempt after one more failure.
    ///
    /// - Parameter random: A number in `0..<1` that places the delay within its jitter.
    public mutating func nextDelay(random: Double) -> Duration {
        // Past 64 doublings the cap has long been reached.
        let base = min(Self.seconds(initial) * pow(factor, Double(min(failures, 64))), Self.seconds(maximum))
        failures += 1
        let jittered = base * (1 + jitter * min(max(random, 0), 1))
        return .nanoseconds(Int64(min(jittered, Self.seconds(maximum) * (1 + jitter)) * 1e9))
    }

    /// Starts over from ``initial``: after a healthy stream, or once ``resetAfter`` passed without failure.
    public mutating func reset() {
        failures = 0
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
