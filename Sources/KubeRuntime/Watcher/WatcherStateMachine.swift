import KubeCore

/// The list-then-watch loop of an informer as a pure state machine: list (paged), watch from the list's
/// resource version, resume from the last version seen when a watch ends or breaks, relist when that
/// version has expired, and back off between failures.
///
/// The machine never sleeps, reads a clock, draws a random number or does I/O: the shell reports each
/// outcome with ``handle(_:at:random:)`` and performs the ``WatcherAction``s it returns (the semantics of
/// kube-rs' `watcher.rs` and client-go's `reflector.go`):
///
/// - A list is requested page by page (`limit`, `continue`) and its objects buffered; only the last page
///   emits them, as one ``WatcherEvent/restarted(_:)``, then the watch starts from its `resourceVersion`.
/// - Each `ADDED`/`MODIFIED`/`DELETED` is emitted and its `resourceVersion` becomes the one to resume
///   from; a `BOOKMARK` only advances that version.
/// - A watch that ends cleanly resumes at once from the last version. A watch that fails (it could not
///   start, its stream broke, or an `ERROR` event arrived) backs off, then resumes from the last version.
///   A list that fails backs off, then lists again from the first page.
/// - HTTP 410 (an expired version or continue token, as a response or an `ERROR` event) drops the
///   buffered pages and lists afresh at once. A second 410 before the watcher is healthy again backs off
///   first, so a server that answers 410 to everything cannot drive a hot relist loop.
/// - Backoff: ``ExponentialBackoff`` (client-go's 800 ms doubling to 30 s, with jitter), at least the
///   server's `Retry-After`. It resets once the watcher is healthy: a watch delivered an event or
///   bookmark (kube-rs resets on every successful item), or a watch stayed up for the backoff's
///   ``ExponentialBackoff/resetAfter`` (client-go's backoff manager resets after two quiet minutes). A
///   completed list alone does not reset it, or a list that succeeds before every failing watch would
///   keep the delay at its first step.
///
/// Time is a `Duration` since any fixed origin the shell picks (`clock.now - started`); it is read only
/// to measure how long a watch stayed up. `random` is a number in `0..<1` the shell draws for each input;
/// it is used only when that input leads to a backoff.
public struct WatcherStateMachine<Object: KubeResource>: Sendable {
    private enum State: Sendable {
        case idle
        /// kube-rs' `InitPage`: the objects of the pages so far, held back until the last page.
        case listing(buffered: [Object], pagesReceived: Int)
        /// kube-rs' `InitListed`: a watch from this version has been requested.
        case startingWatch(resourceVersion: String)
        /// kube-rs' `Watching`: when the stream started and how many events it delivered.
        case watching(resourceVersion: String, startedAt: Duration, eventCount: Int)
        case backingOff(then: WatcherPhase.Resumption)
    }

    /// What is listed and watched, and how.
    public let configuration: WatcherConfiguration

    private var state = State.idle
    private var backoff: ExponentialBackoff
    /// Whether a 410 already sent the watcher back to a fresh list since it was last healthy.
    private var expiredSinceHealthy = false

    /// A watcher that has not started; ``handle(_:at:random:)`` with ``WatcherInput/start`` begins.
    public init(configuration: WatcherConfiguration = WatcherConfiguration()) {
        self.configuration = configuration
        self.backoff = configuration.backoff
    }

    /// Where the watcher is.
    public var phase: WatcherPhase {
        switch state {
        case .idle: .idle
        case .listing(_, let pages): .listing(pagesReceived: pages)
        case .startingWatch(let version): .startingWatch(resourceVersion: version)
        case .watching(let version, _, _): .watching(resourceVersion: version)
        case .backingOff(let resumption): .backingOff(then: resumption)
        }
    }

    /// Failures since the backoff last reset: the next delay grows with it.
    public var consecutiveFailures: Int { backoff.failures }

    /// Advances the machine by one input.
    ///
    /// An input that does not fit the phase (the answer to a request the machine no longer waits for)
    /// changes nothing and returns no action.
    ///
    /// - Parameters:
    ///   - input: What happened.
    ///   - now: The time, as a `Duration` since the shell's fixed origin.
    ///   - random: A number in `0..<1` placing a backoff delay within its jitter, if this input causes one.
    /// - Returns: What to do next, in order.
    public mutating func handle(_ input: WatcherInput<Object>, at now: Duration, random: Double) -> [WatcherAction<Object>] {
        switch (input, state) {
        case (.start, .idle):
            return startFreshList()
        case (.listPage(let items, let token, let version), .listing(let buffered, let pages)):
            return receivePage(buffered + items, pagesReceived: pages + 1, continueToken: token, resourceVersion: version, random: random)
        case (.listFailed(let failure), .listing):
            return fail(failure, resuming: .freshList, random: random)
        case (.watchStarted, .startingWatch(let version)):
            state = .watching(resourceVersion: version, startedAt: now, eventCount: 0)
            return []
        case (.watchEvent(let event), .watching(let version, let startedAt, let count)):
            return receive(event, resourceVersion: version, startedAt: startedAt, eventCount: count, random: random)
        case (.watchEnded, .watching(let version, let startedAt, let count)):
            let upFor = now - startedAt
            if count == 0, upFor < configuration.shortWatchThreshold {
                let failure = WatcherFailure(
                    .shortWatch, message: "the watch from resourceVersion \(version) closed after \(upFor) without any event")
                return fail(failure, resuming: .watch(resourceVersion: version), random: random)
            }
            if upFor >= backoff.resetAfter { becameHealthy() }
            return requestWatch(from: version)
        case (.watchFailed(let failure), .startingWatch(let version)):
            return fail(failure, resuming: .watch(resourceVersion: version), random: random)
        case (.watchFailed(let failure), .watching(let version, let startedAt, _)):
            // A watch that stayed up long enough was healthy: its failure starts the backoff over.
            if now - startedAt >= backoff.resetAfter { becameHealthy() }
            return fail(failure, resuming: .watch(resourceVersion: version), random: random)
        case (.backoffElapsed, .backingOff(.freshList)):
            return startFreshList()
        case (.backoffElapsed, .backingOff(.watch(let version))):
            return requestWatch(from: version)
        default:
            return []
        }
    }

    private mutating func startFreshList() -> [WatcherAction<Object>] {
        state = .listing(buffered: [], pagesReceived: 0)
        return [.list(configuration.firstPageOptions())]
    }

    private mutating func requestWatch(from version: String) -> [WatcherAction<Object>] {
        state = .startingWatch(resourceVersion: version)
        return [.watch(configuration.watchOptions(from: version))]
    }

    private mutating func receivePage(
        _ buffered: [Object], pagesReceived: Int, continueToken: String?, resourceVersion: String?, random: Double
    ) -> [WatcherAction<Object>] {
        if let token = continueToken, !token.isEmpty {
            state = .listing(buffered: buffered, pagesReceived: pagesReceived)
            return [.list(configuration.nextPageOptions(continue: token))]
        }
        guard let version = resourceVersion, !version.isEmpty else {
            // Without a version the watch would start "now" and miss what changed since the list.
            let failure = WatcherFailure(.missingResourceVersion, message: "the list's last page carried no resourceVersion")
            return fail(failure, resuming: .freshList, random: random)
        }
        return [.emit(.restarted(buffered))] + requestWatch(from: version)
    }

    private mutating func receive(
        _ event: WatchEvent<Object>, resourceVersion: String, startedAt: Duration, eventCount: Int, random: Double
    ) -> [WatcherAction<Object>] {
        let emitted: WatcherEvent<Object>
        switch event {
        case .added(let object), .modified(let object):
            emitted = .applied(object)
        case .deleted(let object):
            emitted = .deleted(object)
        case .bookmark(let bookmark):
            becameHealthy()
            let advanced = bookmark.metadata.resourceVersion.flatMap { $0.isEmpty ? nil : $0 } ?? resourceVersion
            state = .watching(resourceVersion: advanced, startedAt: startedAt, eventCount: eventCount + 1)
            return []
        case .error(let status):
            return fail(WatcherFailure(status), resuming: .watch(resourceVersion: resourceVersion), random: random)
        }
        guard let version = event.object?.metadata.resourceVersion, !version.isEmpty else {
            // As kube-rs: with no version to resume from, only a fresh list is safe.
            let failure = WatcherFailure(
                .missingResourceVersion, message: "a watch event for \(event.object.map { ObjectKey($0).description } ?? "?") carried no resourceVersion")
            return fail(failure, resuming: .freshList, random: random)
        }
        becameHealthy()
        state = .watching(resourceVersion: version, startedAt: startedAt, eventCount: eventCount + 1)
        return [.emit(emitted)]
    }

    /// Records a failure and picks the next attempt: a fresh list at once for a first 410, otherwise
    /// `resumption` after a backoff (a 410 always resumes with a fresh list).
    private mutating func fail(
        _ failure: WatcherFailure, resuming resumption: WatcherPhase.Resumption, random: Double
    ) -> [WatcherAction<Object>] {
        if failure.isExpired, !expiredSinceHealthy {
            expiredSinceHealthy = true
            return [.failed(failure)] + startFreshList()
        }
        var delay = backoff.nextDelay(random: random)
        if let asked = failure.retryAfter, asked > delay { delay = asked }
        state = .backingOff(then: failure.isExpired ? .freshList : resumption)
        return [.failed(failure), .waitBackoff(delay)]
    }

    private mutating func becameHealthy() {
        backoff.reset()
        expiredSinceHealthy = false
    }
}
