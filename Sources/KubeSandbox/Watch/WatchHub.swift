import KubeCore

/// One line of a watch stream.
public enum WatchFrame: Sendable {
    /// `ADDED`, `MODIFIED`, `DELETED` with the object, `BOOKMARK` with an object carrying only its
    /// kind and resourceVersion, or `ERROR` with a `Status`.
    case event(type: String, object: JSONValue)
}

/// The open watches, and the fan-out of every change to those it concerns.
///
/// Each watch has a bounded buffer. A watch that falls that far behind is closed rather than allowed
/// to hold up writers or other watches, as a real API server closes a watcher that cannot keep up; the
/// client then resumes from the last resourceVersion it saw.
struct WatchHub: Sendable {
    /// What one watch receives.
    struct Subscription: Sendable {
        var key: StorageKey
        var resource: ResourceType
        var namespace: String?
        var options: ListOptions
        var continuation: AsyncStream<WatchFrame>.Continuation
    }

    private var subscriptions: [UInt64: Subscription] = [:]
    private var nextID: UInt64 = 0
    /// The most frames a watch may have waiting.
    let bufferLimit: Int

    init(bufferLimit: Int = 1_000) {
        self.bufferLimit = bufferLimit
    }

    var count: Int { subscriptions.count }

    mutating func add(_ subscription: Subscription) -> UInt64 {
        nextID += 1
        subscriptions[nextID] = subscription
        return nextID
    }

    mutating func remove(_ id: UInt64) {
        subscriptions[id] = nil
    }

    /// Sends each change to the watches it concerns; closes and forgets any whose buffer is full.
    mutating func publish(_ changes: [StoreChange]) {
        guard !changes.isEmpty, !subscriptions.isEmpty else { return }
        var overflowed: [UInt64] = []
        for (id, subscription) in subscriptions {
            for change in changes where change.key == subscription.key {
                guard let frame = Self.frame(for: change, subscription: subscription) else { continue }
                if case .dropped = subscription.continuation.yield(frame) {
                    overflowed.append(id)
                    break
                }
            }
        }
        for id in overflowed {
            subscriptions.removeValue(forKey: id)?.continuation.finish()
        }
    }

    /// Ends one watch.
    mutating func finish(_ id: UInt64) {
        subscriptions.removeValue(forKey: id)?.continuation.finish()
    }

    /// Ends every watch, as when the server restarts or a test cuts them.
    mutating func closeAll() {
        for subscription in subscriptions.values { subscription.continuation.finish() }
        subscriptions.removeAll()
    }

    /// Ends the watches of one resource (its CRD was deleted).
    mutating func close(_ key: StorageKey) {
        for (id, subscription) in subscriptions where subscription.key == key {
            subscription.continuation.finish()
            subscriptions[id] = nil
        }
    }

    /// Sends a bookmark at `resourceVersion` to every watch that asked for them.
    func bookmark(resourceVersion: UInt64, bookmarksFor ids: Set<UInt64>) {
        for id in ids {
            guard let subscription = subscriptions[id] else { continue }
            _ = subscription.continuation.yield(Self.bookmark(subscription.resource, resourceVersion: resourceVersion))
        }
    }

    /// The frame a change makes for one watch, or `nil` when it does not concern it.
    static func frame(for change: StoreChange, subscription: Subscription) -> WatchFrame? {
        frame(for: change, resource: subscription.resource, namespace: subscription.namespace, options: subscription.options)
    }

    /// The frame a change makes for a watch of `resource` in `namespace` (all when `nil`) with `options`.
    ///
    /// With a selector, an object that stops matching is reported as `DELETED` (carrying the object as
    /// it last matched, with the change's resourceVersion) and one that starts matching as `ADDED`, as
    /// the watch cache reports them.
    static func frame(for change: StoreChange, resource: ResourceType, namespace: String?, options: ListOptions) -> WatchFrame? {
        if let namespace, change.name.namespace != namespace { return nil }
        let matchesNow = change.type != .deleted && options.matches(change.object, resource: resource)
        let matchedBefore = change.previous.map { options.matches($0, resource: resource) } ?? false
        switch change.type {
        case .added:
            return matchesNow ? .event(type: "ADDED", object: change.object) : nil
        case .modified:
            if matchesNow { return .event(type: matchedBefore ? "MODIFIED" : "ADDED", object: change.object) }
            guard matchedBefore, let previous = change.previous else { return nil }
            var left = ObjectView(previous)
            left.resourceVersion = String(change.resourceVersion)
            return .event(type: "DELETED", object: left.json)
        case .deleted:
            return matchedBefore ? .event(type: "DELETED", object: change.object) : nil
        }
    }

    static func bookmark(_ resource: ResourceType, resourceVersion: UInt64) -> WatchFrame {
        .event(
            type: "BOOKMARK",
            object: .object([
                "kind": .string(resource.kind), "apiVersion": .string(resource.apiVersion),
                "metadata": .object(["resourceVersion": .string(String(resourceVersion))]),
            ]))
    }

    static func error(_ error: APIError) -> WatchFrame {
        .event(type: "ERROR", object: error.status)
    }
}
