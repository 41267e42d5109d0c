import KubeCore

/// The objects of a ``ReflectorStore`` at one moment, keyed by namespace/name, with secondary indexes by
/// label and by owner.
///
/// A value built from copy-on-write dictionaries: taking one is O(1), and it never changes afterwards, so
/// a reconciler can read a consistent view while the store keeps applying events. Lists come sorted by
/// key, so they are the same whatever order the events arrived in.
public struct ReflectorSnapshot<Object: KubeResource>: Sendable {
    private struct Label: Hashable, Sendable {
        var key: String
        var value: String
    }

    private var objects: [ObjectKey: Object] = [:]
    private var keysByLabel: [Label: Set<ObjectKey>] = [:]
    private var keysByOwnerUID: [String: Set<ObjectKey>] = [:]

    /// An empty snapshot.
    public init() {}

    /// A snapshot of these objects; of two with the same key, the later wins.
    public init(_ objects: some Sequence<Object>) {
        for object in objects { insert(object) }
    }

    /// How many objects there are.
    public var count: Int { objects.count }

    /// Whether there are none.
    public var isEmpty: Bool { objects.isEmpty }

    /// The object stored under `key`, if any.
    public func get(_ key: ObjectKey) -> Object? { objects[key] }

    /// The keys of every object, sorted.
    public var keys: [ObjectKey] { objects.keys.sorted() }

    /// Every object, sorted by key.
    public func list() -> [Object] { keys.compactMap { objects[$0] } }

    /// The keys of the objects whose label `key` has this value, sorted.
    public func keys(labeled key: String, _ value: String) -> [ObjectKey] {
        keysByLabel[Label(key: key, value: value), default: []].sorted()
    }

    /// The objects whose label `key` has this value, sorted by key.
    public func objects(labeled key: String, _ value: String) -> [Object] {
        keys(labeled: key, value).compactMap { objects[$0] }
    }

    /// The keys of the objects with an owner reference to this UID, controller or not, sorted.
    public func keys(ownedBy uid: String) -> [ObjectKey] {
        keysByOwnerUID[uid, default: []].sorted()
    }

    /// The objects with an owner reference to this UID, controller or not, sorted by key.
    public func objects(ownedBy uid: String) -> [Object] {
        keys(ownedBy: uid).compactMap { objects[$0] }
    }

    /// Stores `object` under its key, keeping the indexes in step.
    ///
    /// - Returns: The object it replaced, if any.
    @discardableResult
    mutating func insert(_ object: Object) -> Object? {
        let key = ObjectKey(object)
        let previous = remove(key)
        objects[key] = object
        for label in Self.labels(of: object) { keysByLabel[label, default: []].insert(key) }
        for uid in Self.ownerUIDs(of: object) { keysByOwnerUID[uid, default: []].insert(key) }
        return previous
    }

    /// Removes the object stored under `key`, and its index entries.
    ///
    /// - Returns: The removed object, if there was one.
    @discardableResult
    mutating func remove(_ key: ObjectKey) -> Object? {
        guard let object = objects.removeValue(forKey: key) else { return nil }
        for label in Self.labels(of: object) { Self.removeKey(key, under: label, in: &keysByLabel) }
        for uid in Self.ownerUIDs(of: object) { Self.removeKey(key, under: uid, in: &keysByOwnerUID) }
        return object
    }

    /// Drops an index entry, and its set once empty, so the indexes hold only what the objects say.
    private static func removeKey<IndexKey: Hashable>(
        _ key: ObjectKey, under indexKey: IndexKey, in index: inout [IndexKey: Set<ObjectKey>]
    ) {
        index[indexKey]?.remove(key)
        if index[indexKey]?.isEmpty == true { index[indexKey] = nil }
    }

    private static func labels(of object: Object) -> [Label] {
        (object.metadata.labels ?? [:]).map { Label(key: $0.key, value: $0.value) }
    }

    private static func ownerUIDs(of object: Object) -> Set<String> {
        Set((object.metadata.ownerReferences ?? []).compactMap(\.uid))
    }
}
