import Foundation
import KubeClient
import KubeCore
import Synchronization
import Testing

/// A clock whose time only moves when someone sleeps on it, so rate limiting is tested exactly.
final class SteppingClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let state = Mutex((now: Duration.zero, sleeps: [Duration]()))

    var now: Instant { Instant(offset: state.withLock { $0.now }) }
    var minimumResolution: Duration { .zero }
    /// The length of every sleep, in order.
    var sleeps: [Duration] { state.withLock { $0.sleeps } }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        state.withLock { state in
            state.sleeps.append(deadline.offset - state.now)
            state.now = max(state.now, deadline.offset)
        }
    }
}

@Suite struct RateLimiterTests {
    @Test func bucketStartsFullAndGoesIntoDebt() {
        var bucket = TokenBucket(rate: 10, burst: 3, now: .zero)
        #expect((0..<3).map { _ in bucket.reserve(now: .zero) } == [.zero, .zero, .zero])
        #expect(bucket.reserve(now: .zero) == .milliseconds(100))
        #expect(bucket.reserve(now: .zero) == .milliseconds(200))
        #expect(bucket.available(now: .zero) == -2)
    }

    @Test func bucketRefillsAtTheRateUpToTheBurst() {
        var bucket = TokenBucket(rate: 4, burst: 2, now: .seconds(10))
        _ = bucket.reserve(now: .seconds(10))
        _ = bucket.reserve(now: .seconds(10))
        #expect(bucket.available(now: .seconds(10)) == 0)
        #expect(bucket.available(now: .milliseconds(10_250)) == 1)
        #expect(bucket.reserve(now: .milliseconds(10_250)) == .zero)
        #expect(bucket.reserve(now: .milliseconds(10_250)) == .milliseconds(250))
        // A long quiet period refills only up to the burst.
        #expect(bucket.available(now: .seconds(100)) == 2)
        // A clock reading from the past is treated as no time passing.
        #expect(bucket.available(now: .seconds(50)) == 2)
    }

    @Test func limiterSleepsOnTheInjectedClock() async throws {
        let clock = SteppingClock()
        let limiter = RateLimiter(RateLimit(queriesPerSecond: 10, burst: 2), clock: clock)
        for _ in 0..<5 { try await limiter.acquire() }
        #expect(clock.sleeps == [.milliseconds(100), .milliseconds(100), .milliseconds(100)])
        #expect(clock.now.offset == .milliseconds(300))
    }

    @Test func unlimitedNeverSleeps() async throws {
        let clock = SteppingClock()
        let limiter = RateLimiter(.unlimited, clock: clock)
        for _ in 0..<1000 { try await limiter.acquire() }
        #expect(clock.sleeps.isEmpty)
    }

    @Test func clientRequestsAreThrottled() async throws {
        let pki = try TestPKI()
        try await withServer(pki: pki, respond: { _ in .json(configMapJSON("a")) }) { server in
            var configuration = testConfiguration(for: server, pki: pki)
            configuration.rateLimit = RateLimit(queriesPerSecond: 5, burst: 1)
            try await withClient(configuration) { client in
                let start = ContinuousClock.now
                for _ in 0..<3 { _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo") }
                // One token at once, then one every 200 ms.
                #expect(ContinuousClock.now - start >= .milliseconds(390))
            }
            #expect(server.requests.count == 3)
        }
    }

    @Test func defaultsAreGenerous() {
        #expect(RateLimit() == RateLimit(queriesPerSecond: 50, burst: 100))
    }
}
