import KubeClient
import Prometheus
import Synchronization

/// The controller runtime's Prometheus metrics, under the names controller-runtime and client-go give
/// them, so that dashboards and alerts written for Go operators work unchanged:
///
/// | metric | labels | kind |
/// | --- | --- | --- |
/// | `controller_runtime_reconcile_total` | controller, result (success, error, requeue, requeue_after) | counter |
/// | `controller_runtime_reconcile_errors_total` | controller | counter |
/// | `controller_runtime_reconcile_time_seconds` | controller | histogram |
/// | `controller_runtime_max_concurrent_reconciles` | controller | gauge |
/// | `controller_runtime_active_workers` | controller | gauge |
/// | `workqueue_depth`, `workqueue_adds_total`, `workqueue_retries_total` | name, controller | gauge, counters |
/// | `workqueue_queue_duration_seconds`, `workqueue_work_duration_seconds` | name, controller | histograms |
/// | `workqueue_unfinished_work_seconds`, `workqueue_longest_running_processor_seconds` | name, controller | gauges |
/// | `rest_client_requests_total` | code, method, host | counter |
/// | `rest_client_request_duration_seconds` | verb, host | histogram |
/// | `leader_election_master_status` | name | gauge |
/// | `kube_runtime_watch_restarts_total` | resource, reason | counter (ours: no Go name exists) |
///
/// Work queues and leader electors are registered once and read at each scrape (their state machines
/// keep the counts), so the hot paths pay for no metric; reconciles, watch restarts and requests are
/// recorded as they happen. Give one instance to the ``Controller``s, ``LeaderElector`` and client
/// configuration (as its ``KubeClient/RequestObserver``) of a process, and serve ``exposition()``.
public final class RuntimeMetrics: RequestObserver, Sendable {
    /// The registry the metrics are in; a process may register its own metrics in it too.
    public let registry: PrometheusCollectorRegistry
    private let queues = Mutex<[(name: String, read: @Sendable () -> WorkQueueMetrics)]>([])
    private let leaders = Mutex<[(name: String, read: @Sendable () -> Bool)]>([])
    /// The totals already added to each scrape-time counter, keyed by name and labels.
    private let reported = Mutex<[String: Int]>([:])

    /// controller-runtime's reconcile-time buckets: 5 ms to 60 s.
    static let reconcileBuckets: [Duration] = [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0,
        2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
    ].map { .milliseconds(Int64(($0 * 1000).rounded())) }
    /// client-go's work queue buckets: ten powers of ten from 10 ns to 10 s.
    static let queueBuckets: [Duration] = (0..<10).map { .nanoseconds(Int64(pow10($0 + 1))) }
    /// client-go's request latency buckets.
    static let requestBuckets: [Duration] = [0.005, 0.025, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0]
        .map { .milliseconds(Int64(($0 * 1000).rounded())) }

    /// Metrics in `registry`.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    // MARK: - Reconciles

    /// How a reconcile ended, as controller-runtime labels `result`.
    public enum ReconcileResult: String, Sendable, CaseIterable {
        case success
        case error
        case requeue
        case requeueAfter = "requeue_after"
    }

    /// Makes every series of a controller exist from the first scrape, at zero, as controller-runtime
    /// does when a controller starts.
    public func controllerStarted(_ controller: String, maxConcurrentReconciles: Int) {
        for result in ReconcileResult.allCases { _ = reconcileCounter(controller, result) }
        _ = counter("controller_runtime_reconcile_errors_total", labels: [("controller", controller)])
        gauge("controller_runtime_max_concurrent_reconciles", labels: [("controller", controller)])
            .set(Int64(maxConcurrentReconciles))
        gauge("controller_runtime_active_workers", labels: [("controller", controller)]).set(Int64(0))
    }

    /// Records one reconcile.
    public func reconciled(_ controller: String, result: ReconcileResult, duration: Duration) {
        reconcileCounter(controller, result).increment()
        if result == .error {
            counter("controller_runtime_reconcile_errors_total", labels: [("controller", controller)]).increment()
        }
        histogram("controller_runtime_reconcile_time_seconds", labels: [("controller", controller)], buckets: Self.reconcileBuckets
        ).record(duration)
    }

    /// A worker started (`+1`) or finished (`-1`) a reconcile.
    public func activeWorkers(_ controller: String, change: Int) {
        let workers = gauge("controller_runtime_active_workers", labels: [("controller", controller)])
        if change >= 0 { workers.increment(by: Double(change)) } else { workers.decrement(by: Double(-change)) }
    }

    private func reconcileCounter(_ controller: String, _ result: ReconcileResult) -> Counter {
        counter("controller_runtime_reconcile_total", labels: [("controller", controller), ("result", result.rawValue)])
    }

    // MARK: - Work queues

    /// Reads `queue`'s depth, adds, retries and running times at every scrape, under `name`.
    public func register<Key>(_ queue: WorkQueue<Key>, name queueName: String) {
        queues.withLock { $0.append((queueName, { queue.metrics })) }
        for name in ["workqueue_queue_duration_seconds", "workqueue_work_duration_seconds"] {
            _ = histogram(name, labels: Self.queueLabels(queueName), buckets: Self.queueBuckets)
        }
    }

    /// A key waited `duration` in queue `name` before a worker took it.
    public func queued(_ name: String, for duration: Duration) {
        histogram("workqueue_queue_duration_seconds", labels: Self.queueLabels(name), buckets: Self.queueBuckets)
            .record(duration)
    }

    /// A worker of queue `name` processed a key for `duration`.
    public func worked(_ name: String, for duration: Duration) {
        histogram("workqueue_work_duration_seconds", labels: Self.queueLabels(name), buckets: Self.queueBuckets)
            .record(duration)
    }

    /// controller-runtime labels its queues' metrics with both the queue's and the controller's name,
    /// which are the same.
    private static func queueLabels(_ name: String) -> [(String, String)] { [("name", name), ("controller", name)] }

    // MARK: - Leader election, watches, requests

    /// Reads whether `elector` leads at every scrape, under `name` (the Lease's name).
    public func register(_ elector: LeaderElector, name: String) {
        leaders.withLock { $0.append((name, { elector.isLeading })) }
    }

    /// A watcher of `resource` restarted its list or watch after `reason`.
    public func watchRestarted(_ resource: String, reason: WatcherFailure.Reason) {
        counter("kube_runtime_watch_restarts_total", labels: [("resource", resource), ("reason", reason.rawValue)])
            .increment()
    }

    public func requestFinished(_ result: RequestResult) {
        let code = result.statusCode.map(String.init) ?? "<error>"
        counter("rest_client_requests_total", labels: [("code", code), ("method", result.method), ("host", result.host)])
            .increment()
        histogram("rest_client_request_duration_seconds", labels: [("verb", result.method), ("host", result.host)],
            buckets: Self.requestBuckets
        ).record(result.duration)
    }

    // MARK: - Exposition

    /// The Prometheus text exposition, with the registered queues and electors read now.
    public func exposition() -> [UInt8] {
        let queues = queues.withLock { $0 }
        for (name, read) in queues {
            let metrics = read()
            let labels = Self.queueLabels(name)
            gauge("workqueue_depth", labels: labels).set(Int64(metrics.depth))
            gauge("workqueue_unfinished_work_seconds", labels: labels).set(Self.seconds(metrics.unfinishedWork))
            gauge("workqueue_longest_running_processor_seconds", labels: labels).set(Self.seconds(metrics.longestRunning))
            advance("workqueue_adds_total", labels: labels, to: metrics.adds)
            advance("workqueue_retries_total", labels: labels, to: metrics.retries)
        }
        for (name, read) in leaders.withLock({ $0 }) {
            gauge("leader_election_master_status", labels: [("name", name)]).set(Int64(read() ? 1 : 0))
        }
        return registry.emitToBuffer()
    }

    /// Brings a counter up to a total its source keeps (the work queue's state machine counts adds).
    private func advance(_ name: String, labels: [(String, String)], to total: Int) {
        let key = ([name] + labels.map { "\($0.0)=\($0.1)" }).joined(separator: "|")
        reported.withLock { reported in
            let series = counter(name, labels: labels)
            let delta = total - reported[key, default: 0]
            guard delta > 0 else { return }
            series.increment(by: Int64(delta))
            reported[key] = total
        }
    }

    private func counter(_ name: String, labels: [(String, String)]) -> Counter {
        registry.makeCounter(descriptor: Self.descriptor(name), labels: labels)
    }

    private func gauge(_ name: String, labels: [(String, String)]) -> Gauge {
        registry.makeGauge(descriptor: Self.descriptor(name), labels: labels)
    }

    private func histogram(_ name: String, labels: [(String, String)], buckets: [Duration]) -> DurationHistogram {
        registry.makeDurationHistogram(descriptor: Self.descriptor(name), labels: labels, buckets: buckets)
    }

    /// A metric's whole name (the Go names are kept as they are, not split into parts) and help line.
    private static func descriptor(_ name: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help[name] ?? "")
    }

    /// Each metric's help line, in our words.
    private static let help: [String: String] = [
        "controller_runtime_reconcile_total": "Reconciles per controller, by how they ended.",
        "controller_runtime_reconcile_errors_total": "Reconciles per controller that failed.",
        "controller_runtime_reconcile_time_seconds": "How long each reconcile took, per controller.",
        "controller_runtime_max_concurrent_reconciles": "How many reconciles a controller runs at once at most.",
        "controller_runtime_active_workers": "Reconciles a controller is running now.",
        "workqueue_depth": "Keys waiting in the work queue.",
        "workqueue_adds_total": "Keys added to the work queue (not counting duplicates of a waiting key).",
        "workqueue_retries_total": "Keys added again after a delay or a backoff.",
        "workqueue_queue_duration_seconds": "How long a key waited in the queue before a worker took it.",
        "workqueue_work_duration_seconds": "How long a worker took over a key.",
        "workqueue_unfinished_work_seconds": "Time spent so far on the keys being processed, summed.",
        "workqueue_longest_running_processor_seconds": "How long the longest-running key has been processed.",
        "rest_client_requests_total": "HTTP requests to the API server, by status code, method and host.",
        "rest_client_request_duration_seconds": "How long requests to the API server took, by method and host.",
        "leader_election_master_status": "1 while this instance holds the lease, 0 otherwise.",
        "kube_runtime_watch_restarts_total": "Lists and watches started again after a failure, by resource and reason.",
    ]

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func pow10(_ exponent: Int) -> Double {
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }
}
