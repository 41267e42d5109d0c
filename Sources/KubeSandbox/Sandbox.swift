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

        public init(historyLimit: Int = 10_000, watchBufferLimit: Int = 1_000, bookmarkInterval: Duration = .seconds(60)) {
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

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        var state = SandboxState(historyLimit: configuration.historyLimit)
        // The namespaces every cluster starts with.
        if let namespaces = state.registry.resource(group: "", version: "v1", plural: "namespaces") {
            for name in ["default", "kube-system", "kube-public", "kube-node-lease"] {
                _ = try? state.create(namespaces, namespace: nil, body: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
            }
        }
        for (plural, objects) in [("clusterroles", BootstrapRoles.clusterRoles), ("clusterrolebindings", BootstrapRoles.clusterRoleBindings)] {
            guard let resource = state.registry.resource(group: "rbac.authorization.k8s.io", version: "v1", plural: plural) else { continue }
            for object in objects { _ = try? state.create(resource, namespace: nil, body: object) }
        }
        locked = Mutex(Locked(state: state, watches: WatchHub(bufferLimit: configuration.watchBufferLimit)))
    }

    /// Runs a verb under the lock and publishes its changes.
    func write<Result>(_ body: (inout SandboxState) throws(APIError) -> (Result, [StoreChange])) throws(APIError) -> Result {
        try locked.withLock { (locked: inout Locked) throws(APIError) -> Result in
            let (result, made) = try body(&locked.state)
            let changes = made + locked.state.collectGarbage(after: made)
            locked.watches.publish(changes)
            for change in changes where change.type == .deleted && change.key == SandboxState.customResourceDefinitions {
                // The resource is no longer served: its watches end, as they do on a real server.
                if let group = change.object.value(atPath: "spec.group")?.stringValue,
                    let plural = change.object.value(atPath: "spec.names.plural")?.stringValue
                {
                    locked.watches.close(StorageKey(group: group, resource: plural))
                }
            }
            return result
        }
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
        let (stream, continuation) = AsyncStream.makeStream(
            of: WatchFrame.self, bufferingPolicy: .bufferingOldest(configuration.watchBufferLimit))
        let id = try locked.withLock { (locked: inout Locked) throws(APIError) -> UInt64 in
            let subscription = WatchHub.Subscription(
                key: resource.storageKey, resource: resource, namespace: namespace, options: options, continuation: continuation)
            var initial: [WatchFrame] = []
            if let start {
                do throws(APIError) {
                    for change in try locked.state.store.changes(resource.storageKey, after: start) {
                        if let frame = WatchHub.frame(for: change, subscription: subscription) { initial.append(frame) }
                    }
                } catch {
                    // A real server accepts the watch, then ends it with an ERROR event carrying the 410.
                    continuation.yield(WatchHub.error(error))
                    continuation.finish()
                    return 0
                }
            } else {
                for (_, object) in locked.state.store.objects(resource.storageKey, namespace: namespace)
                where options.matches(object, resource: resource) {
                    initial.append(.event(type: "ADDED", object: object))
                }
            }
            // More history than a live watch may buffer is a watch that starts too far behind.
            guard initial.count < configuration.watchBufferLimit else {
                continuation.yield(WatchHub.error(.expired("too old resource version: \(start ?? 0) (\(locked.state.store.resourceVersion))")))
                continuation.finish()
                return 0
            }
            for frame in initial { continuation.yield(frame) }
            return locked.watches.add(subscription)
        }
        guard id != 0 else { return stream }
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
        continuation.onTermination = { [weak self] _ in
            timer.cancel()
            // Termination can run inside the lock (the hub finishing a watch that fell behind), and the
            // lock is not reentrant: forget the watch from outside it.
            Task { self?.locked.withLock { $0.watches.remove(id) } }
        }
        return stream
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
