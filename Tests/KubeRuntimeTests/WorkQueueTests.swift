import KubeClient
import Testing

@testable import KubeRuntime

/// The work queue's state machine: deduplication, one worker per key, delays, backoff, the shared
/// bucket, the worker bound, shutdown and metrics. Time is a `Duration` since the queue's origin.
@Suite struct WorkQueueTests {
    private typealias Queue = WorkQueueState<String>

    /// Hands out every key ready at `now` until the queue answers something else.
    private func drain(_ queue: inout Queue, now: Duration) -> [String] {
        var keys: [String] = []
        while case .process(let key, _) = queue.next(now: now) { keys.append(key) }
        return keys
    }

    // MARK: Queue and dirty set

    @Test func aKeyAddedWhileQueuedIsNotDuplicated() {
        var queue = Queue(maxConcurrentReconciles: 4)
        queue.add("a", now: .zero)
        queue.add("b", now: .zero)
        queue.add("a", now: .seconds(1))
        #expect(queue.queuedKeys == ["a", "b"])
        #expect(drain(&queue, now: .seconds(2)) == ["a", "b"])
        #expect(queue.next(now: .seconds(2)) == .wait(until: nil))
        #expect(queue.metrics(now: .seconds(2)).adds == 2)
    }

    @Test func theSameKeyEnqueuedDuringItsOwnReconcileIsProcessedAgainAfterDone() {
        var queue = Queue(maxConcurrentReconciles: 2)
        queue.add("a", now: .zero)
        #expect(queue.next(now: .zero) == .process("a", queuedFor: .zero))
        queue.add("a", now: .seconds(1))
        queue.add("a", now: .seconds(2))
        // A slot is free, but "a" is being processed: it is not handed to the second worker.
        #expect(queue.next(now: .seconds(3)) == .wait(until: nil))
        #expect(queue.queuedKeys.isEmpty)
        #expect(queue.metrics(now: .seconds(3)).depth == 1)
        #expect(queue.done("a", now: .seconds(4)) == .seconds(4))
        #expect(queue.queuedKeys == ["a"])
        // Queued since its first add during the reconcile.
        #expect(queue.next(now: .seconds(5)) == .process("a", queuedFor: .seconds(4)))
        #expect(queue.done("a", now: .seconds(6)) == .seconds(1))
        #expect(queue.next(now: .seconds(6)) == .wait(until: nil))
    }

    @Test func aKeyIsNeverHandedToTwoWorkersEvenWhenItsDelayMaturesDuringItsReconcile() {
        var queue = Queue(maxConcurrentReconciles: 3)
        queue.add("a", now: .zero)
        #expect(queue.next(now: .zero) == .process("a", queuedFor: .zero))
        queue.addAfter("a", delay: .seconds(1), now: .zero)
        #expect(queue.next(now: .milliseconds(500)) == .wait(until: .seconds(1)))
        #expect(queue.next(now: .seconds(2)) == .wait(until: nil))
        #expect(queue.isProcessing("a"))
        queue.done("a", now: .seconds(3))
        #expect(queue.next(now: .seconds(3)) == .process("a", queuedFor: .seconds(2)))
    }

    @Test func keysAreHandedOutInTheOrderTheyWereAdded() {
        var queue = Queue(maxConcurrentReconciles: 10)
        for key in ["c", "a", "b"] { queue.add(key, now: .zero) }
        #expect(drain(&queue, now: .zero) == ["c", "a", "b"])
        #expect(queue.processingKeys == ["a", "b", "c"])
    }

    @Test func aStrayDoneIsIgnoredAndDoesNotQueueTheKeyTwice() {
        var queue = Queue()
        queue.add("a", now: .zero)
        #expect(queue.done("a", now: .seconds(1)) == nil)
        #expect(queue.complete("a", with: .failure, now: .seconds(1)) == nil)
        #expect(queue.failures(of: "a") == 0)
        #expect(queue.queuedKeys == ["a"])
    }

    @Test func aLongQueueIsHandedOutInOrderAcrossCompactions() {
        var queue = WorkQueueState<Int>()
        for key in 0..<300 { queue.add(key, now: .zero) }
        var handedOut: [Int] = []
        while case .process(let key, _) = queue.next(now: .zero) {
            handedOut.append(key)
            queue.done(key, now: .zero)
            if key == 100 { queue.add(1_000, now: .zero) }
        }
        #expect(handedOut == Array(0..<300) + [1_000])
    }

    // MARK: Workers

    @Test func oneWorkerByDefaultAndAtLeastOneWhenAskedForFewer() {
        #expect(Queue().maxConcurrentReconciles == 1)
        #expect(Queue(maxConcurrentReconciles: 0).maxConcurrentReconciles == 1)
        var queue = Queue()
        queue.add("a", now: .zero)
        queue.add("b", now: .zero)
        #expect(drain(&queue, now: .zero) == ["a"])
        queue.done("a", now: .seconds(1))
        #expect(drain(&queue, now: .seconds(1)) == ["b"])
    }

    @Test func atMostMaxConcurrentReconcilesKeysAreProcessedAtOnce() {
        var queue = Queue(maxConcurrentReconciles: 2)
        for key in ["a", "b", "c"] { queue.add(key, now: .zero) }
        queue.addAfter("d", delay: .seconds(1), now: .zero)
        #expect(drain(&queue, now: .zero) == ["a", "b"])
        // Every slot is taken: only a `done` can change the answer, even with a delayed key pending.
        #expect(queue.next(now: .zero) == .wait(until: nil))
        #expect(queue.nextReadyTime == .seconds(1))
        queue.done("b", now: .seconds(2))
        #expect(drain(&queue, now: .seconds(2)) == ["c"])
        queue.done("a", now: .seconds(3))
        // "d" became ready at 1 s and counts as queued since then.
        #expect(queue.next(now: .seconds(3)) == .process("d", queuedFor: .seconds(2)))
    }

    // MARK: Delays

    @Test func aDelayedKeyBecomesReadyAtItsTimeAndTheQueueSaysWhenThatIs() {
        var queue = Queue()
        queue.addAfter("a", delay: .seconds(5), now: .seconds(1))
        #expect(queue.readyTime(of: "a") == .seconds(6))
        #expect(queue.next(now: .seconds(2)) == .wait(until: .seconds(6)))
        #expect(queue.metrics(now: .seconds(2)).delayed == 1)
        #expect(queue.next(now: .seconds(6)) == .process("a", queuedFor: .zero))
        #expect(queue.readyTime(of: "a") == nil)
        #expect(queue.nextReadyTime == nil)
    }

    @Test func aKeyDelayedAgainKeepsTheSoonerTime() {
        var queue = Queue()
        queue.addAfter("later-first", delay: .seconds(10), now: .zero)
        queue.addAfter("later-first", delay: .seconds(5), now: .zero)
        queue.addAfter("sooner-first", delay: .seconds(3), now: .zero)
        queue.addAfter("sooner-first", delay: .seconds(8), now: .zero)
        #expect(queue.readyTime(of: "later-first") == .seconds(5))
        #expect(queue.readyTime(of: "sooner-first") == .seconds(3))
        #expect(queue.metrics(now: .zero).delayed == 2)
        queue.tick(now: .seconds(4))
        #expect(queue.queuedKeys == ["sooner-first"])
        #expect(queue.nextReadyTime == .seconds(5))
        queue.tick(now: .seconds(20))
        #expect(queue.queuedKeys == ["sooner-first", "later-first"])
        #expect(queue.nextReadyTime == nil)
    }

    @Test func readyDelayedKeysJoinTheQueueEarliestFirstAndTiesInSchedulingOrder() {
        var queue = Queue(maxConcurrentReconciles: 10)
        queue.addAfter("c", delay: .seconds(3), now: .zero)
        queue.addAfter("b", delay: .seconds(2), now: .zero)
        queue.addAfter("a2", delay: .seconds(1), now: .zero)
        queue.addAfter("a1", delay: .seconds(1), now: .zero)
        // Moved sooner: its old, later entry must not bring it back a second time.
        queue.addAfter("c", delay: .milliseconds(1_500), now: .zero)
        #expect(drain(&queue, now: .seconds(10)) == ["a2", "a1", "c", "b"])
        #expect(queue.nextReadyTime == nil)
        queue.addAfter("c", delay: .seconds(1), now: .seconds(10))
        #expect(queue.nextReadyTime == .seconds(11))
    }

    @Test func aDelayThatIsNotPositiveAddsRightAway() {
        var queue = Queue()
        queue.addAfter("a", delay: .zero, now: .seconds(1))
        queue.addAfter("b", delay: .seconds(-1), now: .seconds(1))
        #expect(queue.queuedKeys == ["a", "b"])
        #expect(queue.nextReadyTime == nil)
        #expect(queue.metrics(now: .seconds(1)).retries == 2)
    }

    @Test func aDelayedKeyThatIsAlreadyQueuedIsNotDuplicatedWhenReady() {
        var queue = Queue(maxConcurrentReconciles: 2)
        queue.add("a", now: .zero)
        queue.addAfter("a", delay: .seconds(1), now: .zero)
        queue.tick(now: .seconds(1))
        #expect(queue.queuedKeys == ["a"])
        #expect(queue.metrics(now: .seconds(1)).adds == 1)
        // Queued since the first add, not since the delayed one matured.
        #expect(queue.next(now: .seconds(2)) == .process("a", queuedFor: .seconds(2)))
    }

    // MARK: Backoff

    @Test func failuresBackOffExponentiallyFromFiveMillisecondsToTheThousandSecondCap() {
        var limiter = WorkQueueRateLimiter<String>(bucket: nil)
        let delays = (0..<20).map { _ in limiter.delay(for: "a", now: .zero) }
        #expect(delays[0] == .milliseconds(5))
        #expect(delays[1] == .milliseconds(10))
        #expect(delays[2] == .milliseconds(20))
        #expect(delays[10] == .milliseconds(5_120))
        #expect(delays[17] == .milliseconds(655_360))
        #expect(delays[18] == .seconds(1_000))
        #expect(delays[19] == .seconds(1_000))
        #expect(limiter.failures(of: "a") == 20)
        #expect(limiter.delay(for: "b", now: .zero) == .milliseconds(5))
    }

    @Test func theExponentialDelayNeitherOverflowsNorGrowsPastTheCap() {
        typealias Limiter = WorkQueueRateLimiter<String>
        let capped = Limiter.exponentialDelay(afterFailures: 10_000, base: .milliseconds(5), maximum: .seconds(1_000))
        #expect(capped == .seconds(1_000))
        #expect(Limiter.exponentialDelay(afterFailures: 3, base: .zero, maximum: .seconds(1)) == .zero)
        #expect(Limiter.exponentialDelay(afterFailures: -1, base: .seconds(1), maximum: .seconds(10)) == .seconds(1))
        #expect(Limiter.exponentialDelay(afterFailures: 0, base: .seconds(20), maximum: .seconds(10)) == .seconds(10))
    }

    @Test func aFailedReconcileIsRetriedAfterAGrowingBackoff() {
        var queue = Queue()
        queue.add("a", now: .zero)
        #expect(queue.next(now: .zero) == .process("a", queuedFor: .zero))
        queue.complete("a", with: .failure, now: .seconds(1))
        #expect(queue.readyTime(of: "a") == .seconds(1) + .milliseconds(5))
        #expect(queue.next(now: .seconds(1)) == .wait(until: .seconds(1) + .milliseconds(5)))
        #expect(queue.next(now: .seconds(2)) == .process("a", queuedFor: .milliseconds(995)))
        queue.complete("a", with: .failure, now: .seconds(3))
        #expect(queue.readyTime(of: "a") == .seconds(3) + .milliseconds(10))
        #expect(queue.failures(of: "a") == 2)
        #expect(queue.metrics(now: .seconds(3)).retries == 2)
    }

    @Test func aSuccessResetsTheBackoff() {
        var queue = Queue()
        queue.add("a", now: .zero)
        for attempt in 1...3 {
            #expect(queue.next(now: .seconds(attempt)) != .wait(until: nil))
            queue.complete("a", with: .failure, now: .seconds(attempt))
        }
        #expect(queue.failures(of: "a") == 3)
        #expect(queue.next(now: .seconds(4)) == .process("a", queuedFor: .milliseconds(980)))
        queue.complete("a", with: .success, now: .seconds(4))
        #expect(queue.failures(of: "a") == 0)
        #expect(queue.next(now: .seconds(5)) == .wait(until: nil))
        queue.add("a", now: .seconds(5))
        _ = queue.next(now: .seconds(5))
        queue.complete("a", with: .failure, now: .seconds(6))
        #expect(queue.readyTime(of: "a") == .seconds(6) + .milliseconds(5))
    }

    @Test func forgetResetsTheBackoffWithoutTouchingTheQueue() {
        var queue = Queue()
        queue.addRateLimited("a", now: .zero)
        queue.addRateLimited("a", now: .zero)
        #expect(queue.readyTime(of: "a") == .milliseconds(5))
        #expect(queue.failures(of: "a") == 2)
        queue.forget("a")
        #expect(queue.failures(of: "a") == 0)
        #expect(queue.readyTime(of: "a") == .milliseconds(5))
    }

    @Test func requeueBacksOffWithoutForgettingAndRequeueAfterForgetsAndWaitsExactly() {
        var queue = Queue()
        queue.add("a", now: .zero)
        _ = queue.next(now: .zero)
        queue.complete("a", with: .failure, now: .zero)
        _ = queue.next(now: .seconds(1))
        queue.complete("a", with: .requeue, now: .seconds(1))
        #expect(queue.failures(of: "a") == 2)
        #expect(queue.readyTime(of: "a") == .seconds(1) + .milliseconds(10))
        _ = queue.next(now: .seconds(2))
        queue.complete("a", with: .requeueAfter(.seconds(30)), now: .seconds(2))
        #expect(queue.failures(of: "a") == 0)
        #expect(queue.readyTime(of: "a") == .seconds(32))
        #expect(queue.next(now: .seconds(3)) == .wait(until: .seconds(32)))
    }

    @Test func aRequeueAfterThatIsNotPositiveIsASuccess() {
        var queue = Queue()
        queue.addRateLimited("a", now: .zero)
        _ = queue.next(now: .seconds(1))
        queue.complete("a", with: .requeueAfter(.zero), now: .seconds(1))
        #expect(queue.failures(of: "a") == 0)
        #expect(queue.next(now: .seconds(2)) == .wait(until: nil))
        #expect(queue.metrics(now: .seconds(2)).retries == 1)
    }

    @Test func aTerminalFailureIsNotRetriedAndKeepsItsFailures() {
        var queue = Queue()
        queue.addRateLimited("a", now: .zero)
        _ = queue.next(now: .seconds(1))
        #expect(queue.complete("a", with: .terminalFailure, now: .seconds(3)) == .seconds(2))
        #expect(queue.failures(of: "a") == 1)
        #expect(queue.next(now: .seconds(10)) == .wait(until: nil))
    }

    // MARK: Shared bucket

    @Test func theBucketLetsABurstOfRetriesThroughThenSpacesThemAtItsRate() {
        // 4 per second keeps the waits exact in binary: 250 ms apart.
        var limiter = WorkQueueRateLimiter<Int>(bucket: TokenBucket(rate: 4, burst: 3, now: .zero))
        let burst = (0..<3).map { limiter.delay(for: $0, now: .zero) }
        #expect(burst == [.milliseconds(5), .milliseconds(5), .milliseconds(5)])
        #expect(limiter.delay(for: 3, now: .zero) == .milliseconds(250))
        #expect(limiter.delay(for: 4, now: .zero) == .milliseconds(500))
        // Two seconds repay the debt of two and refill only up to the burst.
        #expect(limiter.delay(for: 5, now: .seconds(2)) == .milliseconds(5))
        #expect(limiter.delay(for: 6, now: .seconds(2)) == .milliseconds(5))
        #expect(limiter.delay(for: 7, now: .seconds(2)) == .milliseconds(5))
        #expect(limiter.delay(for: 8, now: .seconds(2)) == .milliseconds(250))
    }

    @Test func theDefaultBucketAllowsAHundredRetriesAtOnceThenTenPerSecond() throws {
        var queue = WorkQueueState<Int>()
        for key in 0..<102 { queue.addRateLimited(key, now: .zero) }
        #expect(queue.readyTime(of: 99) == .milliseconds(5))
        let first = try #require(queue.readyTime(of: 100))
        let second = try #require(queue.readyTime(of: 101))
        // The bucket's wait is computed in floating point; it is 100 ms and 200 ms to the nanosecond.
        let tolerance = Duration.microseconds(1)
        #expect((.milliseconds(100) - tolerance ... .milliseconds(100) + tolerance).contains(first))
        #expect((.milliseconds(200) - tolerance ... .milliseconds(200) + tolerance).contains(second))
        #expect(queue.metrics(now: .zero).retries == 102)
    }

    @Test func theLongerOfTheKeysBackoffAndTheBucketsWaitWins() {
        var limiter = WorkQueueRateLimiter<String>(bucket: TokenBucket(rate: 1, burst: 1, now: .zero))
        #expect(limiter.delay(for: "a", now: .zero) == .milliseconds(5))
        #expect(limiter.delay(for: "b", now: .zero) == .seconds(1))
        // A token is taken even when the key's own backoff is the longer, as client-go's bucket does.
        var slow = WorkQueueRateLimiter<String>(
            baseDelay: .seconds(10), maxDelay: .seconds(100), bucket: TokenBucket(rate: 1, burst: 1, now: .zero))
        // With one token and one per second, the eleventh key waits ten seconds for the bucket too,
        // and the twelfth is the first the bucket holds back longer than its own backoff.
        let delays = (0..<12).map { slow.delay(for: "key-\($0)", now: .zero) }
        #expect(delays.dropLast() == Array(repeating: .seconds(10), count: 11)[...])
        #expect(delays.last == .seconds(11))
    }

    // MARK: Shutdown

    @Test func shutdownLetsRunningKeysFinishAndLeavesQueuedOnes() {
        var queue = Queue(maxConcurrentReconciles: 2)
        for key in ["a", "b", "c"] { queue.add(key, now: .zero) }
        queue.addAfter("d", delay: .seconds(1), now: .zero)
        #expect(drain(&queue, now: .zero) == ["a", "b"])
        queue.add("a", now: .zero)
        queue.shutDown()
        #expect(queue.isShuttingDown)
        #expect(queue.next(now: .seconds(2)) == .draining)
        #expect(!queue.isDrained)
        // Adds of every kind are ignored now; the delayed key is dropped.
        queue.add("e", now: .seconds(2))
        queue.addAfter("f", delay: .seconds(1), now: .seconds(2))
        queue.addRateLimited("g", now: .seconds(2))
        #expect(queue.nextReadyTime == nil)
        #expect(queue.failures(of: "g") == 0)
        queue.complete("b", with: .failure, now: .seconds(3))
        #expect(queue.failures(of: "b") == 0)
        #expect(queue.next(now: .seconds(3)) == .draining)
        queue.done("a", now: .seconds(4))
        #expect(queue.next(now: .seconds(4)) == .drained)
        #expect(queue.isDrained)
        #expect(queue.queuedKeys == ["c", "a"])
        #expect(queue.metrics(now: .seconds(4)) == WorkQueueMetrics(
            depth: 2, adds: 4, retries: 1, delayed: 0, processing: 0, longestRunning: .zero, unfinishedWork: .zero))
    }

    @Test func anIdleQueueDrainsAtOnce() {
        var queue = WorkQueueState<ObjectKey>()
        queue.add(ObjectKey(namespace: "demo", name: "a"), now: .zero)
        queue.shutDown()
        #expect(queue.isDrained)
        #expect(queue.next(now: .zero) == .drained)
        #expect(queue.queuedKeys == [ObjectKey(namespace: "demo", name: "a")])
    }

    // MARK: Metrics

    @Test func metricsCountAddsRetriesDepthAndRunningTime() {
        var queue = Queue(maxConcurrentReconciles: 3)
        queue.add("a", now: .zero)
        queue.add("b", now: .seconds(1))
        queue.add("a", now: .seconds(1))
        queue.addAfter("c", delay: .seconds(10), now: .seconds(1))
        #expect(queue.metrics(now: .seconds(1)) == WorkQueueMetrics(
            depth: 2, adds: 2, retries: 1, delayed: 1, processing: 0, longestRunning: .zero, unfinishedWork: .zero))
        #expect(queue.next(now: .seconds(2)) == .process("a", queuedFor: .seconds(2)))
        #expect(queue.next(now: .seconds(4)) == .process("b", queuedFor: .seconds(3)))
        #expect(queue.metrics(now: .seconds(5)) == WorkQueueMetrics(
            depth: 0, adds: 2, retries: 1, delayed: 1, processing: 2, longestRunning: .seconds(3),
            unfinishedWork: .seconds(4)))
        #expect(queue.done("a", now: .seconds(6)) == .seconds(4))
        // "c" is ready at 11 s; it counts in the depth once a tick moves it into the queue.
        queue.tick(now: .seconds(12))
        #expect(queue.metrics(now: .seconds(12)) == WorkQueueMetrics(
            depth: 1, adds: 3, retries: 1, delayed: 0, processing: 1, longestRunning: .seconds(8),
            unfinishedWork: .seconds(8)))
        #expect(queue.next(now: .seconds(13)) == .process("c", queuedFor: .seconds(2)))
    }
}
