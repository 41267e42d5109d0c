import KubeCore
import Synchronization

/// The sandbox API server's state behind one lock, with its watches.
///
/// Every verb runs under the lock from start to finish and publishes its changes to the watches
/// before the lock is released, so watches see changes in resourceVersion order, with no gap between a
/// watch's starting point and its first event. The transport (``SandboxServer``) and tests call it;
/// it does no I/O.
public final class Sandbox: Sendable {
    /// Tuning that tests change.
    public struct Configuration: Sendable {
        /// Changes kept for watches and paged lists; older resourceVersions get 410.
        public var historyLimit: Int
        /// Frames a watch may have waiting before it is closed.
        public var watchBufferLimit: Int
        /// How often a watch that asked for bookmarks gets one.
        public var bookmarkInterval: Duration
        /// Whether the scheduler, the deployment and ReplicaSet controllers and the pod runtime work (on by
        /// default); off, Deployments and pods just sit, as on a server without controller-manager, scheduler
        /// or kubelets.
        public var workloads: Bool = true
        /// What runs the pods bound to the sandbox's node (the kubelet's part); `nil` leaves them Pending.
        public var podRuntime: (any PodRuntime)? = SimulatedPodRuntime()

        /// The defaults keep 100,000 changes: at the 5,000 writes/s of a busy operator benchmark, 20 s of
        /// history for resuming watches and finishing paged lists (a real cluster keeps about five
        /// minutes, in etcd, on disk).
        public init(historyLimit: Int = 100_000, watchBufferLimit: Int = 1_000, bookmarkInterval: Duration = .seconds(60)) {
            self.historyLimit = historyLimit
            self.watchBufferLimit = watchBufferLimit
            self.bookmarkInterval = bookmarkInterval
        }
    }

    struct Locked: Sendable {
        var state: SandboxState
        var watches: WatchHub
    }

    let configuration: Configuration
    let locked: Mutex<Locked>
    /// Failures and latency tests asked for; a lock of its own, so that a request checks it without
    /// waiting for writes.
    let faults = Mutex(FaultPlan())
    /// Pod runtime events made by writes and not yet handed to the runtime (see `deliverPodEvents`).
    let podEvents = Mutex(PodEventQueue())

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        var state = SandboxState(historyLimit: configuration.historyLimit)
        // The namespaces every cluster starts with.
        if let namespaces = state.registry.resource(group: "", version: "v1", plural: "namespaces") {
            for name in ["default", "kube-system", "kube-public", "kube-node-lease"] {
                let body: JSONValue = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]
                // Each gets what the controllers give a new namespace (its `default` ServiceAccount).
                if let changes = try? state.create(namespaces, namespace: nil, body: body).changes { _ = state.runControllers(after: changes) }
            }
        }
        for (plural, objects) in [("clusterroles", BootstrapRoles.clusterRoles), ("clusterrolebindings", BootstrapRoles.clusterRoleBindings)] {
            guard let resource = state.registry.resource(group: "rbac.authorization.k8s.io", version: "v1", plural: plural) else { continue }
            for object in objects { _ = try? state.create(resource, namespace: nil, body: object) }
        }
        locked = Mutex(Locked(state: state, watches: WatchHub(bufferLimit: configuration.watchBufferLimit)))
    }

    /// Runs a verb under the lock and publishes its changes; then, outside the lock, hands the pod
    /// runtime the pods to run and stop (so that a runtime may write back from within the call).
    ///
    /// The sandbox's controllers act within the write, so an object they changed at once is answered as
    /// they left it: otherwise the object a client was handed would always be stale already (a real
    /// cluster's controllers take some milliseconds, so a client's next write usually wins the race).
    func write<Result>(_ body: (inout SandboxState) throws(APIError) -> (Result, [StoreChange])) throws(APIError) -> Result {
        let result = try locked.withLock { (locked: inout Locked) throws(APIError) -> Result in
            let (result, made) = try body(&locked.state)
            let changes = made + locked.state.runControllers(after: made, workloads: configuration.workloads)
            if configuration.workloads, configuration.podRuntime != nil {
                let events = PodRuntimeEvent.events(in: changes)
                if !events.isEmpty { podEvents.withLock { $0.waiting += events } }
            }
            locked.watches.publish(changes)
            for change in changes where change.type == .deleted && change.key == SandboxState.customResourceDefinitions {
                // The resource is no longer served: its watches end, as they do on a real server.
                if let group = change.object.value(atPath: "spec.group")?.stringValue,
                    let plural = change.object.value(atPath: "spec.names.plural")?.stringValue
                {
                    locked.watches.close(StorageKey(group: group, resource: plural))
                }
            }
            return Self.asLeftByControllers(result, made: made, changes: changes)
        }
        deliverPodEvents()
        return result
    }

    /// Reads under the lock.
    func read<Result>(_ body: (SandboxState) throws(APIError) -> Result) throws(APIError) -> Result {
        try locked.withLock { (locked: inout Locked) throws(APIError) -> Result in try body(locked.state) }
    }

    /// The resource at a path, or `nil`.
    func resource(group: String, version: String, plural: String) -> ResourceType? {
        locked.withLock { $0.state.registry.resource(group: group, version: version, plural: plural) }
    }

    // MARK: - Watches

    /// Starts a watch: from `resourceVersion` when given (410 when older than the history), else with
    /// an `ADDED` event for every object that exists now.
    ///
    /// - Returns: The frames; the stream ends on `timeout`, when the watch falls too far behind, or when
    ///   watches are cut. Ending the iteration stops the watch.
    func watch(
        _ resource: ResourceType, namespace: String?, options: ListOptions, resourceVersion: String?, bookmarks: Bool,
        timeout: Duration?
    ) throws(APIError) -> AsyncStream<WatchFrame> {
        let start: UInt64?
        switch resourceVersion {
        case nil, "", "0": start = nil
        case let text?:
            guard let value = UInt64(text) else {
                throw .badRequest("invalid resource version \"\(text)\": it must be an unsigned integer")
            }
            start = value
        }
        return try locked.withLock { (locked: inout Locked) throws(APIError) -> AsyncStream<WatchFrame> in
            var initial: [WatchFrame] = []
            var expired: APIError?
            if let start {
                do throws(APIError) {
                    for change in try locked.state.store.changes(resource.storageKey, after: start) {
                        if let frame = WatchHub.frame(for: change, resource: resource, namespace: namespace, options: options) {
                            initial.append(frame)
                        }
                    }
                } catch {
                    expired = error
                }
            } else {
                for (_, object) in locked.state.store.objects(resource.storageKey, namespace: namespace)
                where options.matches(object, resource: resource) {
                    initial.append(.event(type: "ADDED", object: object))
                }
            }
            // The events a watch starts with never count against the buffer a live watch may fill: a
            // watch of 20,000 objects starts as a real server starts it, not with a 410.
            let (stream, continuation) = AsyncStream.makeStream(
                of: WatchFrame.self, bufferingPolicy: .bufferingOldest(configuration.watchBufferLimit + initial.count + 1))
            if let expired {
                // A real server accepts the watch, then ends it with an ERROR event carrying the 410.
                continuation.yield(WatchHub.error(expired))
                continuation.finish()
                return stream
            }
            for frame in initial { continuation.yield(frame) }
            let id = locked.watches.add(
                WatchHub.Subscription(
                    key: resource.storageKey, resource: resource, namespace: namespace, options: options, continuation: continuation))
            let interval = configuration.bookmarkInterval
            let timer = Task { [weak self] in
                let deadline = timeout.map { ContinuousClock.now + $0 }
                while !Task.isCancelled {
                    let wake = bookmarks ? ContinuousClock.now + interval : nil
                    guard let next = [wake, deadline].compactMap({ $0 }).min() else { return }
                    try? await Task.sleep(until: next)
                    guard !Task.isCancelled, let self else { return }
                    if let deadline, ContinuousClock.now >= deadline {
                        self.endWatch(id, bookmark: bookmarks ? resource : nil)
                        return
                    }
                    self.locked.withLock { locked in
                        locked.watches.bookmark(resourceVersion: locked.state.store.resourceVersion, bookmarksFor: [id])
                    }
                }
            }
            // Set while the lock is held, so that no write can end the watch before it is in place.
            continuation.onTermination = { [weak self] _ in
                timer.cancel()
                // Termination can run inside the lock (the hub finishing a watch that fell behind), and the
                // lock is not reentrant: forget the watch from outside it.
                Task { self?.locked.withLock { $0.watches.remove(id) } }
            }
            return stream
        }
    }

    /// Ends one watch, with a last bookmark when it asked for them (as a server does at `timeoutSeconds`).
    private func endWatch(_ id: UInt64, bookmark resource: ResourceType?) {
        locked.withLock { locked in
            if resource != nil { locked.watches.bookmark(resourceVersion: locked.state.store.resourceVersion, bookmarksFor: [id]) }
            locked.watches.finish(id)
        }
    }

    /// Ends every open watch; clients resume from the last resourceVersion they saw.
    public func cutWatches() {
        locked.withLock { $0.watches.closeAll() }
    }

    /// Forgets the change history, so that resuming from any earlier resourceVersion gets 410.
    public func compactHistory() {
        locked.withLock { $0.state.store.compact() }
    }

    /// How many watches are open.
    public var openWatches: Int { locked.withLock { $0.watches.count } }
}
