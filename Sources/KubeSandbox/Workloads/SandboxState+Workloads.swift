import KubeCore

extension SandboxState {
    static let deployments = StorageKey(group: "apps", resource: "deployments")
    static let replicaSets = StorageKey(group: "apps", resource: "replicasets")
    static let pods = StorageKey(group: "", resource: "pods")

    /// The one node the sandbox simulates; every pod the scheduler places goes there.
    static let nodeName = "sandbox-node"

    /// The work of the scheduler, the deployment controller and the ReplicaSet controller after a write
    /// (one round; ``runControllers(after:workloads:)`` calls it again while it changes something).
    ///
    /// Each controller looks at the objects a change touched and at their controllers: a changed pod
    /// wakes its ReplicaSet, a changed ReplicaSet its Deployment, as the controllers' informers map
    /// events to owners.
    mutating func reconcileWorkloads(after changes: [StoreChange]) -> [StoreChange] {
        var made: [StoreChange] = []
        var replicaSets: Set<ObjectName> = []
        var deployments: Set<ObjectName> = []
        for change in changes {
            let owner = ObjectView(change.object).ownerReferences.first { $0[member: "controller"]?.boolValue == true }
            let ownerName = owner?[member: "name"]?.stringValue.map { ObjectName(namespace: change.name.namespace, name: $0) }
            switch change.key {
            case Self.pods:
                if change.type != .deleted { made += schedule(change.name) }
                if owner?[member: "kind"]?.stringValue == "ReplicaSet", let ownerName {
                    replicaSets.insert(ownerName)
                    // A Recreate rollout waits for the old pods to go, so their Deployment hears of them too.
                    if let replicaSet = store.object(Self.replicaSets, ownerName),
                        let deployment = ObjectView(replicaSet).ownerReferences.first(where: { $0[member: "controller"]?.boolValue == true }),
                        deployment[member: "kind"]?.stringValue == "Deployment", let name = deployment[member: "name"]?.stringValue
                    {
                        deployments.insert(ObjectName(namespace: change.name.namespace, name: name))
                    }
                }
            case Self.replicaSets:
                if change.type != .deleted { replicaSets.insert(change.name) }
                if owner?[member: "kind"]?.stringValue == "Deployment", let ownerName { deployments.insert(ownerName) }
            case Self.deployments where change.type != .deleted:
                deployments.insert(change.name)
            default:
                break
            }
        }
        for name in replicaSets.sorted() { made += reconcileReplicaSet(name) }
        for name in deployments.sorted() { made += reconcileDeployment(name) }
        return made
    }

    /// Binds a new pod to the sandbox's node, as the scheduler does through `pods/binding`: `spec.nodeName`
    /// set and the `PodScheduled` condition added.
    private mutating func schedule(_ name: ObjectName) -> [StoreChange] {
        guard let stored = store.object(Self.pods, name) else { return [] }
        let pod = ObjectView(stored)
        guard pod.deletionTimestamp == nil, stored.value(atPath: "spec.nodeName")?.stringValue?.isEmpty ?? true else { return [] }
        var json = stored
        var spec = json[member: "spec"] ?? .object([:])
        spec[member: "nodeName"] = .string(Self.nodeName)
        json[member: "spec"] = spec
        var status = json[member: "status"] ?? .object([:])
        let scheduled: JSONValue = ["type": "PodScheduled", "status": "True", "lastProbeTime": .null, "lastTransitionTime": .string(timestamp())]
        let others = (status[member: "conditions"]?.arrayElements ?? []).filter { $0[member: "type"]?.stringValue != "PodScheduled" }
        status[member: "conditions"] = .array(others + [scheduled])
        json[member: "status"] = status
        return [store.put(Self.pods, name, json)]
    }

    /// The objects of `key` in a namespace whose controller reference names `uid`.
    func controlled(_ key: StorageKey, namespace: String, by uid: String) -> [(name: ObjectName, object: JSONValue)] {
        store.objects(key, namespace: namespace).filter { entry in
            ObjectView(entry.object).ownerReferences.contains {
                $0[member: "uid"]?.stringValue == uid && $0[member: "controller"]?.boolValue == true
            }
        }
    }

    /// A controller reference to an object, as `metav1.NewControllerRef` makes it.
    static func controllerReference(to object: JSONValue) -> JSONValue {
        let view = ObjectView(object)
        return [
            "apiVersion": .string(view.apiVersion ?? ""), "kind": .string(view.kind ?? ""), "name": .string(view.name ?? ""),
            "uid": .string(view.uid ?? ""), "controller": true, "blockOwnerDeletion": true,
        ]
    }

    /// Stores a controller's new version of an object when it differs from the stored one; a changed
    /// spec bumps the generation of a kind that tracks it (as an update through the API would), a
    /// changed status alone does not.
    mutating func storeIfChanged(_ key: StorageKey, _ name: ObjectName, _ object: JSONValue) -> [StoreChange] {
        guard let stored = store.object(key, name), stored != object else { return [] }
        var next = ObjectView(object)
        if registry.resource(key)?.tracksGeneration == true, Self.specChanged(from: stored, to: object) {
            next.generation = (ObjectView(stored).generation ?? 0) + 1
        }
        return [store.put(key, name, next.json)]
    }
}

extension JSONValue {
    /// An integer at a dotted path, or `fallback`.
    func int(atPath path: String, fallback: Int = 0) -> Int {
        value(atPath: path)?.integerValue.map { Int($0) } ?? fallback
    }

    /// The object with a dotted path set (intermediate objects made as needed; `nil` removes).
    func setting(_ path: String, to newValue: JSONValue?) -> JSONValue {
        let keys = path.split(separator: ".").map(String.init)
        func set(_ value: JSONValue, _ keys: ArraySlice<String>) -> JSONValue {
            guard let first = keys.first else { return newValue ?? .null }
            var copy = value.objectMembers == nil ? JSONValue.object([:]) : value
            if keys.count == 1 {
                copy[member: first] = newValue
            } else {
                copy[member: first] = set(value[member: first] ?? .object([:]), keys.dropFirst())
            }
            return copy
        }
        return set(self, keys[...])
    }
}

extension JSONValue {
    /// The object with one annotation set (annotation keys hold dots, so no dotted path can name them).
    func settingAnnotation(_ key: String, to value: String) -> JSONValue {
        var copy = self
        var metadata = copy[member: "metadata"] ?? .object([:])
        var annotations = metadata[member: "annotations"] ?? .object([:])
        annotations[member: key] = .string(value)
        metadata[member: "annotations"] = annotations
        copy[member: "metadata"] = metadata
        return copy
    }
}
