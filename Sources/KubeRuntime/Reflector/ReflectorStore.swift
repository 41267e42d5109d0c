import KubeCore

/// The informer cache: the objects a watcher reported, applied from its events as a pure function
/// (kube-rs' `reflector/store.rs`, client-go's indexer).
///
/// A ``WatcherEvent/restarted(_:)`` replaces the whole content in one step: the watcher emits it only
/// once every page of the list is in, so the cache never shows a half-listed collection, and an object
/// absent from the relist is gone, which is how a deletion missed while disconnected disappears.
/// ``hasSynced`` turns true with the first list and stays true.
public struct ReflectorStore<Object: KubeResource>: Sendable {
    /// The current content; copy it to read a view that later events do not change.
    public private(set) var snapshot = ReflectorSnapshot<Object>()
    /// Whether the first complete list has been applied: before that, an absent object may simply not
    /// have been listed yet, so controllers wait for this before reconciling.
    public private(set) var hasSynced = false

    /// An empty store that has not synced.
    public init() {}

    /// Applies one watcher event.
    ///
    /// An object counts as updated when its `resourceVersion` differs from the stored one (or either has
    /// none): the same version is the same object, so a relist reports only what really changed.
    ///
    /// - Parameter event: The event.
    /// - Returns: What changed, sorted by key; empty when nothing did (a delete of an unknown key, a
    ///   repeated version).
    @discardableResult
    public mutating func apply(_ event: WatcherEvent<Object>) -> [ReflectorChange<Object>] {
        switch event {
        case .applied(let object):
            guard let previous = snapshot.insert(object) else { return [.added(object)] }
            return Self.differs(previous, object) ? [.updated(old: previous, new: object)] : []
        case .deleted(let object):
            // The event's object is the state just before deletion: fresher than the stored one.
            return snapshot.remove(ObjectKey(object)) == nil ? [] : [.removed(object)]
        case .restarted(let objects):
            let relisted = ReflectorSnapshot(objects)
            let changes = Self.changes(from: snapshot, to: relisted)
            snapshot = relisted
            hasSynced = true
            return changes
        }
    }

    /// The object stored under `key`, if any.
    public func get(_ key: ObjectKey) -> Object? { snapshot.get(key) }

    /// Every object, sorted by key.
    public func list() -> [Object] { snapshot.list() }

    /// The objects whose label `key` has this value, sorted by key.
    public func objects(labeled key: String, _ value: String) -> [Object] { snapshot.objects(labeled: key, value) }

    /// The objects with an owner reference to this UID, sorted by key.
    public func objects(ownedBy uid: String) -> [Object] { snapshot.objects(ownedBy: uid) }

    private static func changes(
        from old: ReflectorSnapshot<Object>, to new: ReflectorSnapshot<Object>
    ) -> [ReflectorChange<Object>] {
        Set(old.keys).union(new.keys).sorted().compactMap { key in
            switch (old.get(key), new.get(key)) {
            case (nil, let added?): .added(added)
            case (let previous?, nil): .removed(previous)
            case (let previous?, let current?): differs(previous, current) ? .updated(old: previous, new: current) : nil
            case (nil, nil): nil
            }
        }
    }

    private static func differs(_ old: Object, _ new: Object) -> Bool {
        guard let version = new.metadata.resourceVersion else { return true }
        return old.metadata.resourceVersion != version
    }
}
