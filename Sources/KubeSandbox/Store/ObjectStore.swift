import DequeModule
import KubeCore

/// What a write did, as a watch reports it.
enum ChangeType: String, Sendable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
}

/// One write: the object as it is after it (as it was, for a deletion, with the deletion's
/// resourceVersion) and as it was before, which lets a past state be rebuilt for paged lists.
struct StoreChange: Sendable {
    var resourceVersion: UInt64
    var key: StorageKey
    var name: ObjectName
    var type: ChangeType
    var object: JSONValue
    var previous: JSONValue?
}

/// Where an object is: its namespace (empty for cluster-scoped kinds) and name. Ordered as etcd orders
/// keys, so lists come back sorted by namespace, then name.
struct ObjectName: Sendable, Hashable, Comparable, CustomStringConvertible {
    var namespace: String
    var name: String

    static func < (a: ObjectName, b: ObjectName) -> Bool {
        (a.namespace, a.name) < (b.namespace, b.name)
    }

    var description: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }
}

/// The objects of every resource, one global resourceVersion, and a bounded history of changes.
///
/// Pure storage: it checks nothing about the objects (the verbs do) and performs no I/O. Every change
/// gets the next resourceVersion, written into the object's `metadata.resourceVersion`. The history
/// keeps the last ``historyLimit`` changes with the object before each, so watches can start from a
/// past resourceVersion and a paged list can show the state at its first page's resourceVersion; older
/// than that is answered with 410 Expired, as etcd answers after compaction.
struct ObjectStore: Sendable {
    private(set) var resourceVersion: UInt64
    /// Objects by resource, then namespace (empty for cluster-scoped kinds), then name: a namespace's
    /// objects are found without looking at any other namespace's.
    private var tables: [StorageKey: [String: [String: JSONValue]]] = [:]
    /// Where each object is, by uid: how owner references are resolved.
    private var byUID: [String: (key: StorageKey, name: ObjectName)] = [:]
    private var history: Deque<StoreChange> = []
    /// Every change after this resourceVersion is in the history.
    private(set) var oldestRetained: UInt64
    /// The most changes kept.
    let historyLimit: Int

    init(historyLimit: Int = 100_000, startingResourceVersion: UInt64 = 1) {
        self.historyLimit = max(1, historyLimit)
        resourceVersion = startingResourceVersion
        oldestRetained = startingResourceVersion
    }

    /// The object, or `nil`.
    func object(_ key: StorageKey, _ name: ObjectName) -> JSONValue? {
        tables[key]?[name.namespace]?[name.name]
    }

    /// Where the object with a uid is, or `nil` when no object has it.
    func location(ofUID uid: String) -> (key: StorageKey, name: ObjectName)? { byUID[uid] }

    /// Every object of every resource that lists `uid` among its owner references.
    func dependents(ofUID uid: String) -> [(key: StorageKey, name: ObjectName, object: JSONValue)] {
        var result: [(key: StorageKey, name: ObjectName, object: JSONValue)] = []
        for (key, namespaces) in tables {
            for (namespace, table) in namespaces {
                for (name, object) in table where ObjectView(object).ownerReferences.contains(where: { $0[member: "uid"]?.stringValue == uid }) {
                    result.append((key, ObjectName(namespace: namespace, name: name), object))
                }
            }
        }
        return result.sorted { ($0.key.description, $0.name) < ($1.key.description, $1.name) }
    }

    /// How many objects a resource holds.
    func count(_ key: StorageKey) -> Int { tables[key]?.values.reduce(0) { $0 + $1.count } ?? 0 }

    /// Whether a namespace holds no object of a resource.
    func isEmpty(_ key: StorageKey, namespace: String) -> Bool { tables[key]?[namespace]?.isEmpty ?? true }

    /// The objects of a resource, in one namespace or all, sorted by namespace and name.
    func objects(_ key: StorageKey, namespace: String? = nil) -> [(name: ObjectName, object: JSONValue)] {
        guard let namespaces = tables[key] else { return [] }
        let chosen = namespace.map { [$0] } ?? namespaces.keys.sorted()
        var result: [(name: ObjectName, object: JSONValue)] = []
        for space in chosen {
            guard let table = namespaces[space] else { continue }
            for (name, object) in table.sorted(by: { $0.key < $1.key }) {
                result.append((ObjectName(namespace: space, name: name), object))
            }
        }
        return result
    }

    /// The objects as they were at `resourceVersion`, rebuilt by undoing the later changes.
    /// - Throws: 410 Expired when changes after it are no longer kept.
    func objects(
        _ key: StorageKey, namespace: String?, at resourceVersion: UInt64
    ) throws(APIError) -> [(name: ObjectName, object: JSONValue)] {
        guard resourceVersion >= oldestRetained else {
            throw .expired("The resourceVersion for the provided list is too old.")
        }
        var table: [ObjectName: JSONValue] = [:]
        for (name, object) in objects(key, namespace: namespace) { table[name] = object }
        for change in history.reversed() {
            guard change.resourceVersion > resourceVersion else { break }
            guard change.key == key, namespace == nil || change.name.namespace == namespace else { continue }
            switch change.type {
            case .added: table[change.name] = nil
            case .modified, .deleted: table[change.name] = change.previous
            }
        }
        return table.sorted { $0.key < $1.key }.map { (name: $0.key, object: $0.value) }
    }

    /// The changes to a resource after `resourceVersion`, oldest first.
    /// - Throws: 410 Expired when some of them are no longer kept.
    func changes(_ key: StorageKey?, after resourceVersion: UInt64) throws(APIError) -> [StoreChange] {
        guard resourceVersion >= oldestRetained else {
            throw .expired("too old resource version: \(resourceVersion) (\(oldestRetained + 1))")
        }
        var result: [StoreChange] = []
        for change in history.reversed() {
            guard change.resourceVersion > resourceVersion else { break }
            if key == nil || change.key == key { result.append(change) }
        }
        return result.reversed()
    }

    /// Stores an object (new or replacing one) under the next resourceVersion.
    /// - Returns: The change, with the stored object.
    mutating func put(_ key: StorageKey, _ name: ObjectName, _ object: JSONValue) -> StoreChange {
        resourceVersion += 1
        var stored = ObjectView(object)
        stored.resourceVersion = String(resourceVersion)
        let previous = tables[key]?[name.namespace]?[name.name]
        tables[key, default: [:]][name.namespace, default: [:]][name.name] = stored.json
        if let uid = stored.uid { byUID[uid] = (key, name) }
        return record(
            StoreChange(
                resourceVersion: resourceVersion, key: key, name: name, type: previous == nil ? .added : .modified,
                object: stored.json, previous: previous))
    }

    /// Removes an object under the next resourceVersion.
    /// - Returns: The change (the object as it was, with the deletion's resourceVersion), or `nil` if
    ///   there was no such object.
    mutating func remove(_ key: StorageKey, _ name: ObjectName) -> StoreChange? {
        guard let previous = tables[key]?[name.namespace]?[name.name] else { return nil }
        resourceVersion += 1
        tables[key]?[name.namespace]?[name.name] = nil
        if tables[key]?[name.namespace]?.isEmpty == true { tables[key]?[name.namespace] = nil }
        if let uid = ObjectView(previous).uid { byUID[uid] = nil }
        var final = ObjectView(previous)
        final.resourceVersion = String(resourceVersion)
        return record(
            StoreChange(resourceVersion: resourceVersion, key: key, name: name, type: .deleted, object: final.json, previous: previous))
    }

    /// Forgets every change kept, so that any past resourceVersion is answered with 410.
    mutating func compact() {
        history.removeAll()
        oldestRetained = resourceVersion
    }

    /// Removes every object of a resource without recording changes (a CRD's deletion ends its objects'
    /// watches instead).
    mutating func drop(_ key: StorageKey) {
        for table in tables[key]?.values ?? [:].values {
            for object in table.values {
                if let uid = ObjectView(object).uid { byUID[uid] = nil }
            }
        }
        tables[key] = nil
    }

    private mutating func record(_ change: StoreChange) -> StoreChange {
        history.append(change)
        while history.count > historyLimit, let first = history.popFirst() {
            oldestRetained = first.resourceVersion
        }
        return change
    }
}
