import KubeClient
import KubeCore
import Synchronization

/// A cache of the objects of one kind kept current by a ``Watcher``: reads come from memory, and every
/// change is announced to subscribers, as client-go's shared informer and kube-rs' reflector do.
///
/// ``run()`` feeds the cache until its task is cancelled. The cache shows nothing until the first list
/// is complete (``hasSynced``), and a relist replaces its content in one step.
public final class Informer<Object: KubeResource>: Sendable {
    private struct State: Sendable {
        var store = ReflectorStore<Object>()
        var subscribers: [Int: AsyncStream<[ReflectorChange<Object>]>.Continuation] = [:]
        var nextSubscriber = 0
        /// Whether a ``run()`` has ended (and no other started since): a subscription made then ends at
        /// once instead of waiting for changes that will not come.
        var stopped = false
    }

    private let watcher: Watcher<Object>
    private let state = Mutex(State())

    public init(watcher: Watcher<Object>) {
        self.watcher = watcher
    }

    /// An informer over whole objects of `type`; `transform` (such as ``Watcher/stripManagedFields(_:)``)
    /// is applied to each before it is cached.
    public convenience init(
        _ client: KubeClient, _ type: Object.Type, configuration: WatcherConfiguration = WatcherConfiguration(),
        onFailure: @escaping @Sendable (WatcherFailure) -> Void = { _ in },
        transform: @escaping @Sendable (Object) -> Object = { $0 }
    ) {
        self.init(watcher: Watcher(client, type, configuration: configuration, onFailure: onFailure, transform: transform))
    }

    /// The cache's content now; a value that later changes do not alter.
    public var snapshot: ReflectorSnapshot<Object> { state.withLock { $0.store.snapshot } }

    /// Whether the first complete list is in.
    public var hasSynced: Bool { state.withLock { $0.store.hasSynced } }

    /// The cached object with this key.
    public func get(_ key: ObjectKey) -> Object? { state.withLock { $0.store.get(key) } }

    /// Watches and applies until the calling task is cancelled; subscribers' streams end then. Run
    /// again, it starts from an empty, unsynced cache, so nothing reads what it held before until the
    /// new list is in.
    public func run() async {
        state.withLock { state in
            state.store = ReflectorStore()
            state.stopped = false
        }
        await watcher.run { event in
            let (changes, subscribers) = state.withLock { state in
                (state.store.apply(event), Array(state.subscribers.values))
            }
            // A relist that changes nothing still tells subscribers the cache is synced.
            if !changes.isEmpty || isRestart(event) {
                for subscriber in subscribers { subscriber.yield(changes) }
            }
        }
        let subscribers = state.withLock { state in
            defer {
                state.subscribers = [:]
                state.stopped = true
            }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }

    /// The changes from now on, each batch as one event made them (a relist is one batch). The stream
    /// ends when ``run()`` ends or the iterating task is cancelled, and at once after a run has ended.
    public func changes() -> AsyncStream<[ReflectorChange<Object>]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [ReflectorChange<Object>].self)
        let id = state.withLock { state -> Int? in
            guard !state.stopped else { return nil }
            let id = state.nextSubscriber
            state.nextSubscriber += 1
            state.subscribers[id] = continuation
            return id
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Returns once the first complete list is in, when the calling task is cancelled, or when ``run()``
    /// has ended.
    public func waitUntilSynced() async {
        // Subscribed before looking, so a sync between the look and the subscription is not missed.
        let updates = changes()
        if hasSynced { return }
        for await _ in updates where hasSynced { return }
    }

    private func isRestart(_ event: WatcherEvent<Object>) -> Bool {
        if case .restarted = event { return true }
        return false
    }
}
