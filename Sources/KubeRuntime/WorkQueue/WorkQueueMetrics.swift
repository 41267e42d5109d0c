/// The work queue's gauges and counters at one moment, as client-go's workqueue metrics
/// (`metrics.go`) report them; the per-key durations come with each hand-out
/// (``WorkQueueNext/process(_:queuedFor:)``) and each ``WorkQueueState/done(_:now:)``.
public struct WorkQueueMetrics: Sendable, Hashable {
    /// Keys added and not yet handed out, counting a key added again while it is being processed
    /// (client-go's `depth`).
    public var depth: Int
    /// Adds that were not deduplicated (client-go's `adds_total`).
    public var adds: Int
    /// Delayed and rate-limited adds (client-go's `retries_total`).
    public var retries: Int
    /// Keys waiting for a time before they join the queue.
    public var delayed: Int
    /// Keys being processed.
    public var processing: Int
    /// How long the longest-running key has been processed (`longest_running_processor_seconds`).
    public var longestRunning: Duration
    /// The processing time of every key still being processed, summed (`unfinished_work_seconds`).
    public var unfinishedWork: Duration

    /// Metrics with the given values.
    public init(
        depth: Int, adds: Int, retries: Int, delayed: Int, processing: Int, longestRunning: Duration,
        unfinishedWork: Duration
    ) {
        self.depth = depth
        self.adds = adds
        self.retries = retries
        self.delayed = delayed
        self.processing = processing
        self.longestRunning = longestRunning
        self.unfinishedWork = unfinishedWork
    }
}
