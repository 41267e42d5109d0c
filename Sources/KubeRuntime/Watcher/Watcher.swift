import DequeModule
import KubeClient
import KubeCore

/// Lists and watches the objects of one kind and streams what changes: ``WatcherEvent/applied(_:)``,
/// ``WatcherEvent/deleted(_:)``, and ``WatcherEvent/restarted(_:)`` with the complete list after each
/// (re)list. It never ends on its own: failures are retried as ``WatcherStateMachine`` decides (resume,
/// relist on 410, back off); iterate in a task and cancel it to stop.
///
/// The shell around the pure machine: it performs the requests, sleeps the backoffs, reads the clock and
/// draws the jitter.
public struct Watcher<Object: KubeResource>: AsyncSequence, Sendable {
    public typealias Element = WatcherEvent<Object>
    public typealias Failure = Never

    /// Lists one page.
    public typealias ListPage = @Sendable (ListOptions) async throws(KubeError) -> ObjectList<Object>
    /// Starts a watch.
    public typealias StartWatch = @Sendable (WatchOptions) async throws(KubeError) -> WatchStream<Object>

    private let configuration: WatcherConfiguration
    private let listPage: ListPage
    private let startWatch: StartWatch
    private let onFailure: @Sendable (WatcherFailure) -> Void
    private let transform: @Sendable (Object) -> Object

    /// A watcher over any way of listing and watching (tests, metadata-only reads).
    ///
    /// - Parameters:
    ///   - onFailure: Told of every failed list or watch (to log it, or count restarts by reason).
    ///   - transform: Applied to every object before it is emitted, to drop what a cache need not hold
    ///     (``stripManagedFields(_:)``).
    public init(
        configuration: WatcherConfiguration, listPage: @escaping ListPage, startWatch: @escaping StartWatch,
        onFailure: @escaping @Sendable (WatcherFailure) -> Void = { _ in },
        transform: @escaping @Sendable (Object) -> Object = { $0 }
    ) {
        self.configuration = configuration
        self.listPage = listPage
        self.startWatch = startWatch
        self.onFailure = onFailure
        self.transform = transform
    }

    /// The object without `metadata.managedFields`, which often take more memory than the rest of a
    /// small object and which a controller reading from its cache does not use.
    @Sendable public static func stripManagedFields(_ object: Object) -> Object {
        var object = object
        object.metadata.managedFields = nil
        return object
    }

    /// A watcher of whole objects of `type`, in ``WatcherConfiguration/namespace`` or all namespaces.
    public init(
        _ client: KubeClient, _ type: Object.Type, configuration: WatcherConfiguration = WatcherConfiguration(),
        onFailure: @escaping @Sendable (WatcherFailure) -> Void = { _ in },
        transform: @escaping @Sendable (Object) -> Object = { $0 }
    ) {
        let namespace = configuration.namespace
        let idleTimeout = configuration.idleTimeout
        self.init(
            configuration: configuration,
            listPage: { (options) throws(KubeError) in try await client.listPage(type, namespace: namespace, options: options) },
            startWatch: { (options) throws(KubeError) in
                try await client.watch(type, namespace: namespace, options: options, idleTimeout: idleTimeout)
            },
            onFailure: onFailure, transform: transform)
    }

    /// Events wait in an unbounded buffer until read: a consumer that falls behind holds them in memory
    /// (an ``Informer`` reads the watcher directly instead).
    public func makeAsyncIterator() -> AsyncStream<Element>.Iterator {
        let (stream, continuation) = AsyncStream.makeStream(of: Element.self)
        let task = Task { [self] in
            await run { continuation.yield($0) }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream.makeAsyncIterator()
    }

    /// Performs the machine's actions until the task is cancelled, handing each event to `emit` (the
    /// informer's way in: no task of its own, no buffer between the stream and the cache).
    func run(emit: (Element) -> Void) async {
        let started = ContinuousClock.now
        var machine = WatcherStateMachine<Object>(configuration: configuration)
        func handle(_ input: WatcherInput<Object>) -> [WatcherAction<Object>] {
            machine.handle(input, at: ContinuousClock.now - started, random: Double.random(in: 0..<1))
        }
        var pending = Deque(handle(.start))
        var stream: WatchStream<Object>.Iterator?
        while !Task.isCancelled {
            guard let action = pending.popFirst() else {
                // Nothing to do but read the open watch.
                guard var iterator = stream else { return }
                do {
                    if let event = try await iterator.next() {
                        stream = iterator
                        pending.append(contentsOf: handle(.watchEvent(event)))
                    } else {
                        stream = nil
                        pending.append(contentsOf: handle(.watchEnded))
                    }
                } catch {
                    stream = nil
                    if Task.isCancelled { return }
                    pending.append(contentsOf: handle(.watchFailed(WatcherFailure(error))))
                }
                continue
            }
            switch action {
            case .list(let options):
                stream = nil
                do {
                    let page = try await listPage(options)
                    pending.append(contentsOf: handle(.listPage(page)))
                } catch {
                    if Task.isCancelled { return }
                    pending.append(contentsOf: handle(.listFailed(WatcherFailure(error))))
                }
            case .watch(let options):
                stream = nil
                do {
                    stream = try await startWatch(options).makeAsyncIterator()
                    pending.append(contentsOf: handle(.watchStarted))
                } catch {
                    if Task.isCancelled { return }
                    pending.append(contentsOf: handle(.watchFailed(WatcherFailure(error))))
                }
            case .emit(let event):
                emit(transformed(event))
            case .waitBackoff(let delay):
                stream = nil
                do { try await Task.sleep(for: delay) } catch { return }
                pending.append(contentsOf: handle(.backoffElapsed))
            case .failed(let failure):
                onFailure(failure)
            }
        }
    }
}

extension Watcher {
    private func transformed(_ event: Element) -> Element {
        switch event {
        case .applied(let object): .applied(transform(object))
        case .deleted(let object): .deleted(transform(object))
        case .restarted(let objects): .restarted(objects.map(transform))
        }
    }

    /// A watcher of objects of `Target`'s kind with their metadata only (``KubeCore/PartialObjectMetadata``),
    /// for a cache that needs to know which objects exist, their labels and owners, and nothing else. Their
    /// managed fields are dropped too unless `transform` says otherwise.
    public static func metadata<Target: KubeResource>(
        _ client: KubeClient, _ target: Target.Type, configuration: WatcherConfiguration = WatcherConfiguration(),
        onFailure: @escaping @Sendable (WatcherFailure) -> Void = { _ in },
        transform: @escaping @Sendable (Object) -> Object = Watcher.stripManagedFields
    ) -> Watcher<PartialObjectMetadata<Target>> where Object == PartialObjectMetadata<Target> {
        let namespace = configuration.namespace
        let idleTimeout = configuration.idleTimeout
        return Watcher(
            configuration: configuration,
            listPage: { (options) throws(KubeError) in try await client.listMetadataPage(target, namespace: namespace, options: options) },
            startWatch: { (options) throws(KubeError) in
                try await client.watchMetadata(target, namespace: namespace, options: options, idleTimeout: idleTimeout)
            },
            onFailure: onFailure, transform: transform)
    }
}
