import KubeClient
import KubeCore
import Logging

/// Reconciles the objects of one kind, as controller-runtime's builder and kube-rs' `Controller` do:
/// changes of the primary kind enqueue its key, changes of owned kinds enqueue their owner's, other
/// watched kinds map through a function; every key is also re-enqueued each ``resyncPeriod``. A key
/// is never reconciled by two workers at once, failures back off per key (5 ms doubling to 1000 s), and
/// reconciles start only once every cache has its first complete list.
///
/// ```swift
/// let controller = Controller(client, for: SubChain.self)
///     .owns(Namespace.self, byLabel: "hierachain.io/subchain")
///     .owns(Deployment.self)
/// await controller.run { subChain, context in ... return .requeue(after: .seconds(30)) }
/// ```
public struct Controller<Primary: KubeResource>: Sendable {
    /// Given to each reconcile: the caches, for reads that need no request.
    public struct Context: Sendable {
        /// The primary kind's cache.
        public let primary: Informer<Primary>
    }

    /// A reconcile: brings the cluster in line with one primary object.
    public typealias Reconcile = @Sendable (Primary, Context) async throws -> ReconcileAction

    private let client: KubeClient
    private let primary: Informer<Primary>
    private var sources: [ControllerSource]
    /// The controller's name in metrics and logs (the primary kind in lower case, as controller-runtime
    /// names a controller by default).
    public let name: String
    private let metrics: RuntimeMetrics?
    /// How often every key is reconciled again with nothing changed (controller-runtime's default
    /// `SyncPeriod` is 10 hours; the operator's issue asks for 10 minutes).
    public var resyncPeriod: Duration = .seconds(600)
    /// How many keys are reconciled at once.
    public var maxConcurrentReconciles = 1
    public var logger = Logger(label: "kube-runtime.controller")

    /// A controller of `primary` objects, watched with `configuration`.
    ///
    /// - Parameters:
    ///   - name: The controller's name in metrics; the primary kind in lower case by default.
    ///   - metrics: Where reconciles, the work queue and watch restarts are reported; `nil` for none.
    public init(
        _ client: KubeClient, for primary: Primary.Type, configuration: WatcherConfiguration = WatcherConfiguration(),
        name: String? = nil, metrics: RuntimeMetrics? = nil
    ) {
        self.client = client
        self.name = name ?? Primary.kind.lowercased()
        self.metrics = metrics
        let informer = Informer(client, primary, configuration: configuration, onFailure: Self.countingRestarts(of: Primary.self, in: metrics))
        self.primary = informer
        sources = [.mapped(informer, name: Primary.plural) { [ObjectKey($0)] }]
    }

    /// Counts a watcher's restarts by reason.
    private static func countingRestarts<Object: KubeResource>(
        of type: Object.Type, in metrics: RuntimeMetrics?
    ) -> @Sendable (WatcherFailure) -> Void {
        let resource = Object.group.isEmpty ? Object.plural : "\(Object.plural).\(Object.group)"
        return { failure in metrics?.watchRestarted(resource, reason: failure.reason) }
    }

    /// Also watches `child` objects and reconciles the primary object that controls each (its
    /// ownerReference with `controller: true` and the primary's kind).
    public func owns<Child: KubeResource>(_ child: Child.Type, configuration: WatcherConfiguration = WatcherConfiguration()) -> Self {
        watches(child, configuration: configuration) { object in
            (object.metadata.ownerReferences ?? []).compactMap { reference in
                guard reference.controller == true, reference.kind == Primary.kind, let name = reference.name,
                    Self.group(of: reference.apiVersion) == Primary.group
                else { return nil }
                return ObjectKey(namespace: Primary.namespaced ? object.metadata.namespace : nil, name: name)
            }
        }
    }

    /// Also watches `child` objects and reconciles the primary object a label names: for children an
    /// ownerReference cannot point from, such as the namespaced objects of a cluster-scoped owner in
    /// another namespace. The label's value is the primary object's name (in the child's namespace when
    /// the primary kind is namespaced).
    public func owns<Child: KubeResource>(
        _ child: Child.Type, byLabel label: String, configuration: WatcherConfiguration = WatcherConfiguration()
    ) -> Self {
        watches(child, configuration: configuration) { object in
            guard let name = object.metadata.labels?[label], !name.isEmpty else { return [] }
            return [ObjectKey(namespace: Primary.namespaced ? object.metadata.namespace : nil, name: name)]
        }
    }

    /// Also watches `other` objects and reconciles the primary objects `mapping` names for each change.
    public func watches<Other: KubeResource>(
        _ other: Other.Type, configuration: WatcherConfiguration = WatcherConfiguration(),
        mapping: @escaping @Sendable (Other) -> [ObjectKey]
    ) -> Self {
        var copy = self
        let informer = Informer(client, other, configuration: configuration, onFailure: Self.countingRestarts(of: Other.self, in: metrics))
        copy.sources.append(.mapped(informer, name: Other.plural, mapping: mapping))
        return copy
    }

    /// Whether every cache has its first complete list.
    public var hasSynced: Bool { sources.allSatisfy { $0.hasSynced() } }

    /// Watches and reconciles until the calling task is cancelled; reconciles in progress then finish.
    public func run(_ reconcile: @escaping Reconcile) async {
        let queue = WorkQueue<ObjectKey>(maxConcurrentReconciles: maxConcurrentReconciles, name: name, metrics: metrics)
        metrics?.controllerStarted(name, maxConcurrentReconciles: maxConcurrentReconciles)
        let context = Context(primary: primary)
        let logger = logger
        let name = name
        let metrics = metrics
        let sources = sources
        let resyncPeriod = resyncPeriod
        await withTaskGroup(of: Void.self) { group in
            for source in sources {
                group.addTask { await source.run { keys in for key in keys { queue.add(key) } } }
            }
            group.addTask {
                // Reconciles start once every cache is synced, so that none acts on a partial view.
                for source in sources { await source.waitUntilSynced() }
                if Task.isCancelled { return }
                logger.debug("caches synced", metadata: ["kind": "\(Primary.plural)"])
                await withTaskGroup(of: Void.self) { inner in
                    inner.addTask {
                        while !Task.isCancelled {
                            do { try await Task.sleep(for: resyncPeriod) } catch { return }
                            for key in context.primary.snapshot.keys { queue.add(key) }
                        }
                    }
                    inner.addTask {
                        await queue.run { key in
                            metrics?.activeWorkers(name, change: 1)
                            let started = ContinuousClock.now
                            let completion = await Self.reconcile(key, context: context, reconcile: reconcile, logger: logger)
                            metrics?.activeWorkers(name, change: -1)
                            metrics?.reconciled(name, result: Self.result(completion), duration: started.duration(to: .now))
                            return completion
                        }
                    }
                    await inner.next()
                    inner.cancelAll()
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// One reconcile of a key, as a work queue outcome. A key whose object is gone is done: deletion is
    /// handled through finalizers, while the object still exists.
    private static func reconcile(_ key: ObjectKey, context: Context, reconcile: Reconcile, logger: Logger) async -> WorkQueueCompletion {
        guard let object = context.primary.get(key) else { return .success }
        do {
            switch try await reconcile(object, context) {
            case .done: return .success
            case .requeue(let delay): return .requeueAfter(delay)
            }
        } catch {
            logger.warning("reconcile failed", metadata: ["object": "\(key)", "error": "\(error)"])
            return .failure
        }
    }

    /// How controller-runtime labels a reconcile's outcome.
    private static func result(_ completion: WorkQueueCompletion) -> RuntimeMetrics.ReconcileResult {
        switch completion {
        case .success: .success
        case .requeue: .requeue
        case .requeueAfter: .requeueAfter
        case .failure, .terminalFailure: .error
        }
    }

    /// The group of an `apiVersion` (`apps/v1` → `apps`, `v1` → the core group).
    private static func group(of apiVersion: String?) -> String {
        guard let apiVersion, let slash = apiVersion.firstIndex(of: "/") else { return "" }
        return String(apiVersion[..<slash])
    }
}
