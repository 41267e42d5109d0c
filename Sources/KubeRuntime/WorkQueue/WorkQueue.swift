import Synchronization

/// The async shell of ``WorkQueueState``: keys are added from any task, and ``run(_:)`` hands them to
/// at most `maxConcurrentReconciles` workers at once, applying each outcome (success forgets the key's
/// failures, a failure backs it off, a requeue waits).
public final class WorkQueue<Key: Hashable & Sendable>: Sendable {
    private let state: Mutex<WorkQueueState<Key>>
    private let doorbell = Doorbell()
    private let running = Mutex(false)
    private let started = ContinuousClock.now

    private let name: String
    private let runtimeMetrics: RuntimeMetrics?

    /// - Parameters:
    ///   - name: The queue's name in metrics (its controller's).
    ///   - metrics: Where the queue's depth, adds, retries and durations are reported; `nil` for none.
    public init(
        maxConcurrentReconciles: Int = 1, rateLimiter: WorkQueueRateLimiter<Key> = WorkQueueRateLimiter(), name: String = "",
        metrics: RuntimeMetrics? = nil
    ) {
        state = Mutex(WorkQueueState(maxConcurrentReconciles: maxConcurrentReconciles, rateLimiter: rateLimiter))
        self.name = name
        runtimeMetrics = metrics
        metrics?.register(self, name: name)
    }

    private var now: Duration { ContinuousClock.now - started }

    /// Queues a key (once, however often it is added before a worker takes it).
    public func add(_ key: Key) {
        let now = now
        state.withLock { $0.add(key, now: now) }
        doorbell.ring()
    }

    /// Queues a key after a delay (the sooner of two delays wins).
    public func add(_ key: Key, after delay: Duration) {
        let now = now
        state.withLock { $0.addAfter(key, delay: delay, now: now) }
        doorbell.ring()
    }

    /// The queue's figures now.
    public var metrics: WorkQueueMetrics {
        let now = now
        return state.withLock { state in
            state.tick(now: now)
            return state.metrics(now: now)
        }
    }

    /// Stops handing out keys: running ones finish, queued ones are left. ``run(_:)`` returns once the
    /// running ones are done.
    public func shutDown() {
        state.withLock { $0.shutDown() }
        doorbell.ring()
    }

    /// Hands keys to `work` until ``shutDown()`` (or cancellation) and the running work is done.
    ///
    /// - Parameter work: Processes one key and says what became of it.
    public func run(_ work: @escaping @Sendable (Key) async -> WorkQueueCompletion) async {
        // One runner: the doorbell wakes a single waiter.
        let alreadyRunning = running.withLock { running in
            defer { running = true }
            return running
        }
        precondition(!alreadyRunning, "WorkQueue.run(_:) is already running on this queue")
        // Discarding: a group that kept every finished reconcile until awaited would grow without end.
        await withDiscardingTaskGroup { group in
            var cancelled = false
            while true {
                if Task.isCancelled, !cancelled {
                    cancelled = true
                    shutDown()
                }
                let now = now
                let next = state.withLock { $0.next(now: now) }
                switch next {
                case .process(let key, let queuedFor):
                    runtimeMetrics?.queued(name, for: queuedFor)
                    group.addTask {
                        let completion = await work(key)
                        let now = self.now
                        let worked = self.state.withLock { $0.complete(key, with: completion, now: now) }
                        if let worked { self.runtimeMetrics?.worked(self.name, for: worked) }
                        self.doorbell.ring()
                    }
                case .wait(let until):
                    await doorbell.wait(until: until.map { started + $0 })
                case .draining:
                    // Each finishing worker rings; cancellation must not turn this into a busy loop.
                    await doorbell.waitIgnoringCancellation()
                case .drained:
                    return
                }
            }
        }
    }
}
