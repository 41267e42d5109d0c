/// The resources served right now: the built-ins, and those of every established
/// CustomResourceDefinition.
struct ResourceRegistry: Sendable {
    private var byPath: [PathKey: ResourceType] = [:]
    private(set) var all: [ResourceType] = []

    private struct PathKey: Hashable {
        var group: String
        var version: String
        var plural: String
    }

    init(_ resources: [ResourceType] = BuiltinResources.all) {
        for resource in resources { add(resource) }
    }

    /// The resource at `/apis/GROUP/VERSION/PLURAL` (or `/api/v1/PLURAL`).
    func resource(group: String, version: String, plural: String) -> ResourceType? {
        byPath[PathKey(group: group, version: version, plural: plural)]
    }

    /// Any served version of a group's resource (for storage-level lookups such as garbage collection).
    func resource(_ key: StorageKey) -> ResourceType? {
        all.first { $0.storageKey == key }
    }

    /// The resource of a kind in an apiVersion (`apps/v1`, `Deployment`).
    func resource(apiVersion: String, kind: String) -> ResourceType? {
        all.first { $0.apiVersion == apiVersion && $0.kind == kind }
    }

    /// Whether a group/version is served at all.
    func serves(group: String, version: String) -> Bool {
        all.contains { $0.group == group && $0.version == version }
    }

    /// The groups of `/apis`, each with its versions (the first one preferred), in discovery order:
    /// built-in groups first as registered, then custom groups by name.
    var groups: [(name: String, versions: [String])] {
        var order: [String] = []
        var versions: [String: [String]] = [:]
        for resource in all where !resource.group.isEmpty {
            if versions[resource.group] == nil { order.append(resource.group) }
            if !(versions[resource.group]?.contains(resource.version) ?? false) {
                versions[resource.group, default: []].append(resource.version)
            }
        }
        return order.map { ($0, versions[$0] ?? []) }
    }

    /// The resources of one group/version.
    func resources(group: String, version: String) -> [ResourceType] {
        all.filter { $0.group == group && $0.version == version }
    }

    mutating func add(_ resource: ResourceType) {
        let key = PathKey(group: resource.group, version: resource.version, plural: resource.plural)
        if byPath[key] != nil { all.removeAll { $0.group == resource.group && $0.version == resource.version && $0.plural == resource.plural } }
        byPath[key] = resource
        all.append(resource)
    }

    /// Stops serving every version of a group's resource.
    mutating func remove(_ key: StorageKey) {
        all.removeAll { $0.storageKey == key }
        byPath = byPath.filter { $0.value.storageKey != key }
    }
}
