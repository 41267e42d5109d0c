import Testing

@testable import KubeRuntime

/// The reflector's backoff: doubling from 800 ms to a 30 s cap, jitter within one delay, and a reset.
@Suite struct ExponentialBackoffTests {
    @Test func delaysDoubleUpToTheCapWithJitterAddingUpToOneDelay() {
        var backoff = ExponentialBackoff()
        #expect(backoff.nextDelay(random: 0) == .milliseconds(800))
        #expect(backoff.nextDelay(random: 0) == .milliseconds(1_600))
        #expect(backoff.nextDelay(random: 0.5) == .milliseconds(4_800))
        for _ in 0..<10 { _ = backoff.nextDelay(random: 0) }
        #expect(backoff.nextDelay(random: 0) == .seconds(30))
        #expect(backoff.nextDelay(random: 1) == .seconds(60))
        #expect(backoff.failures == 15)
    }

    @Test func aResetStartsOverAndRandomnessOutsideTheUnitIsClamped() {
        var backoff = ExponentialBackoff(initial: .milliseconds(5), maximum: .seconds(1_000), jitter: 0)
        _ = backoff.nextDelay(random: 0)
        _ = backoff.nextDelay(random: 0)
        backoff.reset()
        #expect(backoff.nextDelay(random: 7) == .milliseconds(5))
        var jittered = ExponentialBackoff(initial: .seconds(1), jitter: 1)
        #expect(jittered.nextDelay(random: -3) == .seconds(1))
    }
}
