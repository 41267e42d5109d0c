/// The controller's work queue as a pure state machine: which key a worker reconciles next, and when.
///
/// It follows client-go's workqueue (`util/workqueue/queue.go`, `delaying_queue.go`,
/// `rate_limiting_queue.go`) and controller-runtime's use of it (`pkg/internal/controller/controller.go`):
///
/// - A key is queued at most once: adding a key that is already queued does nothing.
/// - A key is never handed to two workers at once: a key added while it is being processed is marked
///   dirty and queued again when its worker reports ``done(_:now:)``, so the change it signals is seen.
/// - Delayed adds wait apart from the queue; a key delayed again keeps the sooner of its two times.
/// - A failing key backs off exponentially, limited also by a bucket shared by all keys
///   (``WorkQueueRateLimiter``), until it is forgotten.
/// - At most ``maxConcurrentReconciles`` keys are processed at once (controller-runtime's workers).
/// - ``shutDown()`` drains: keys being processed finish, queued and delayed keys are left, later adds
///   are ignored. (client-go's `Get` still hands out what was queued before the shutdown; here nothing
///   is handed out after it, so a stopping operator does not start new reconciles.)
///
/// The machine never reads a clock, sleeps or does I/O. Time is an input: a `Duration` since an origin
/// the shell chooses, e.g. `clock.now - start` on a `ContinuousClock`, and the times it returns (as
/// ``WorkQueueNext/wait(until:)``) are on the same origin, so the shell sleeps until `start + time`.
/// The shared token bucket is full at time zero.
public struct WorkQueueState<Key: Hashable & Sendable>: Sendable {
    /// How many keys may be processed at once; at least 1.
    public let maxConcurrentReconciles: Int
    /// The backoff of failing keys and the bucket shared by their retries.
    public private(set) var rateLimiter: WorkQueueRateLimiter<Key>
    /// Whether ``shutDown()`` was called.
    public private(set) var isShuttingDown = false

    // client-go's three sets: `queue` orders the keys to hand out (each also dirty, none processing),
    // `dirty` holds every key that needs processing, `processingSince` the keys being processed (which
    // may be dirty again) with when each was handed out.
    private var queue: [Key] = []
    private var queueStart = 0
    private var dirty: Set<Key> = []
    private var processingSince: [Key: Duration] = [:]
    private var delayed = DelayedKeys<Key>()
    /// When each dirty key was first added since it was last handed out, for the queue latency.
    private var addedAt: [Key: Duration] = [:]
    private var adds = 0
    private var retries = 0

    /// An empty queue.
    ///
    /// - Parameters:
    ///   - maxConcurrentReconciles: How many keys may be processed at once; 1 by default, and values
    ///     below 1 count as 1, as controller-runtime defaults `MaxConcurrentReconciles`.
    ///   - rateLimiter: The backoff of failing keys; client-go's default controller rate limiter.
    public init(maxConcurrentReconciles: Int = 1, rateLimiter: WorkQueueRateLimiter<Key> = WorkQueueRateLimiter()) {
        self.maxConcurrentReconciles = max(1, maxConcurrentReconciles)
        self.rateLimiter = rateLimiter
    }

    // MARK: Inputs

    /// Marks `key` as needing a reconcile (client-go's `Add`): queued unless it already is, or marked
    /// dirty when it is being processed. Ignored after ``shutDown()``.
    public mutating func add(_ key: Key, now: Duration) {
        insert(key, addedAt: now)
    }

    /// Adds `key` once `delay` has passed (client-go's `AddAfter`); right away when `delay` is not
    /// positive. A key already delayed keeps the sooner of its two times. Ignored after ``shutDown()``.
    ///
    /// The delayed key does not replace a queued or processing one: when it becomes ready it is added,
    /// which deduplicates as ``add(_:now:)`` does.
    public mutating func addAfter(_ key: Key, delay: Duration, now: Duration) {
        guard !isShuttingDown else { return }
        retries += 1
        guard delay > .zero else { return insert(key, addedAt: now) }
        delayed.schedule(key, at: now + delay)
    }

    /// Adds `key` after its backoff (client-go's `AddRateLimited`): counts one more failure of the key
    /// and delays it by the larger of its exponential backoff and the shared bucket's wait. Ignored,
    /// without counting the failure, after ``shutDown()``.
    public mutating func addRateLimited(_ key: Key, now: Duration) {
        guard !isShuttingDown else { return }
        let delay = rateLimiter.delay(for: key, now: now)
        addAfter(key, delay: delay, now: now)
    }

    /// Forgets the failures of `key`, so its next failure backs off from the base delay again
    /// (client-go's `Forget`). Does not remove the key from the queue.
    public mutating func forget(_ key: Key) {
        rateLimiter.forget(key)
    }

    /// Moves the delayed keys that are ready at `now` into the queue, earliest first (client-go's
    /// waiting loop). ``next(now:)`` does this itself; call it before reading ``metrics(now:)``.
    ///
    /// A key that became ready counts as added at the time it became ready, not at `now`, so the queue
    /// latency does not depend on how late the shell woke up.
    public mutating func tick(now: Duration) {
        for (key, readyAt) in delayed.removeReady(at: now) {
            insert(key, addedAt: readyAt)
        }
    }

    /// Hands the next queued key to a worker if one is ready and a worker slot is free (client-go's
    /// `Get`, bounded by ``maxConcurrentReconciles``), after moving the ready delayed keys into the queue.
    ///
    /// The key is processing until its ``done(_:now:)`` (or ``complete(_:with:now:)``); it is never
    /// handed out again before that. Call again after each hand-out: several slots may be free.
    public mutating func next(now: Duration) -> WorkQueueNext<Key> {
        tick(now: now)
        if isShuttingDown { return processingSince.isEmpty ? .drained : .draining }
        // With every slot taken only a `done` can change the answer, so the shell need not wake up
        // for a delayed key: it is moved into the queue, at the time it became ready, on the next call.
        guard processingSince.count < maxConcurrentReconciles else { return .wait(until: nil) }
        guard let key = popQueued() else { return .wait(until: delayed.earliest) }
        dirty.remove(key)
        processingSince[key] = now
        let queuedFor = addedAt.removeValue(forKey: key).map { now - $0 } ?? .zero
        return .process(key, queuedFor: queuedFor)
    }

    /// Reports that the worker finished `key` (client-go's `Done`): its slot is free, and a key added
    /// again while it was processed is queued again.
    ///
    /// - Returns: How long `key` was processed (the work-duration metric); `nil`, with nothing changed,
    ///   when `key` was not being processed.
    @discardableResult
    public mutating func done(_ key: Key, now: Duration) -> Duration? {
        // client-go would queue a dirty key here even if it was never handed out, queuing it twice;
        // a stray `done` is ignored instead.
        guard let since = processingSince.removeValue(forKey: key) else { return nil }
        if dirty.contains(key) { queue.append(key) }
        return now - since
    }

    /// Reports how the reconcile of `key` ended and finishes it, doing what controller-runtime's
    /// reconcile handler does before its `Done`: a success forgets the failures; a failure or `requeue`
    /// adds the key rate-limited; `requeueAfter` forgets and adds after the delay; a terminal failure
    /// does neither.
    ///
    /// - Returns: How long `key` was processed; `nil`, with nothing changed, when `key` was not being
    ///   processed.
    @discardableResult
    public mutating func complete(_ key: Key, with completion: WorkQueueCompletion, now: Duration) -> Duration? {
        guard processingSince[key] != nil else { return nil }
        switch completion {
        case .success:
            forget(key)
        case .requeue, .failure:
            addRateLimited(key, now: now)
        case .requeueAfter(let delay) where delay > .zero:
            forget(key)
            addAfter(key, delay: delay, now: now)
        case .requeueAfter:
            forget(key)
        case .terminalFailure:
            break
        }
        return done(key, now: now)
    }

    /// Stops handing out keys: keys being processed finish and report ``done(_:now:)``, queued keys are
    /// left, delayed keys are dropped (client-go stops its waiting loop), and later adds are ignored.
    /// ``next(now:)`` answers ``WorkQueueNext/draining`` until no key is processing, then
    /// ``WorkQueueNext/drained``.
    public mutating func shutDown() {
        isShuttingDown = true
        delayed.removeAll()
    }

    // MARK: Outputs

    /// The keys queued to be handed out, in order.
    public var queuedKeys: [Key] { Array(queue[queueStart...]) }

    /// The keys being processed.
    public var processingKeys: Set<Key> { Set(processingSince.keys) }

    /// Whether `key` is being processed.
    public func isProcessing(_ key: Key) -> Bool { processingSince[key] != nil }

    /// When the first delayed key becomes ready, so the shell knows how long it may sleep; `nil` when no
    /// key is delayed.
    public var nextReadyTime: Duration? { delayed.earliest }

    /// When `key`, delayed, becomes ready; `nil` when it is not delayed.
    public func readyTime(of key: Key) -> Duration? { delayed.readyTime(of: key) }

    /// How many times `key` failed since it was last forgotten (client-go's `NumRequeues`).
    public func failures(of key: Key) -> Int { rateLimiter.failures(of: key) }

    /// Whether the queue is shut down and no key is being processed any more.
    public var isDrained: Bool { isShuttingDown && processingSince.isEmpty }

    /// The metrics at `now`. Delayed keys that are ready count once ``tick(now:)`` moved them.
    public func metrics(now: Duration) -> WorkQueueMetrics {
        let running = processingSince.values.map { now - $0 }
        return WorkQueueMetrics(
            depth: dirty.count, adds: adds, retries: retries, delayed: delayed.count, processing: processingSince.count,
            longestRunning: running.max() ?? .zero, unfinishedWork: running.reduce(.zero, +)
        )
    }

    // MARK: Queue

    private mutating func insert(_ key: Key, addedAt time: Duration) {
        guard !isShuttingDown, !dirty.contains(key) else { return }
        adds += 1
        dirty.insert(key)
        if addedAt[key] == nil { addedAt[key] = time }
        // A key being processed waits for its `done` to be queued, so no two workers share it.
        if processingSince[key] == nil { queue.append(key) }
    }

    private mutating func popQueued() -> Key? {
        guard queueStart < queue.count else { return nil }
        let key = queue[queueStart]
        queueStart += 1
        // Drop the handed-out prefix once it is most of the array, so popping stays O(1) amortized.
        if queueStart >= 64, queueStart * 2 >= queue.count {
            queue.removeFirst(queueStart)
            queueStart = 0
        }
        return key
    }
}
