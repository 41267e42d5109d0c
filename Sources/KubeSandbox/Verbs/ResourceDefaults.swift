import KubeCore

/// What the built-in registries set on create and keep on update, for the fields clients and the
/// operator read back (a Namespace's phase and finalizer, a Pod's phase, status owned by controllers).
enum ResourceDefaults {
    /// Called on every create, after metadata is set.
    static func prepareForCreate(_ object: inout ObjectView, resource: ResourceType) {
        switch resource.storageKey {
        case StorageKey(group: "", resource: "namespaces"):
            var json = object.json
            var spec = json[member: "spec"] ?? .object([:])
            if spec[member: "finalizers"] == nil { spec[member: "finalizers"] = ["kubernetes"] }
            json[member: "spec"] = spec
            object = ObjectView(json)
            object.status = ["phase": "Active"]
            // The label the API server sets on every namespace since 1.21, so selectors can name it.
            var metadata = object.metadata
            var labels = metadata[member: "labels"] ?? .object([:])
            labels[member: "kubernetes.io/metadata.name"] = object.name.map(JSONValue.string)
            metadata[member: "labels"] = labels
            object.metadata = metadata
        case StorageKey(group: "", resource: "pods"):
            // The kubelet, not the client, reports a pod's status; a new pod is Pending until scheduled.
            object.status = ["phase": "Pending", "qosClass": .string(qosClass(object.json))]
        default:
            // Status belongs to the kind's controller: what a client sends with a create is dropped,
            // as the registries of kinds with a status subresource do.
            if resource.hasStatus { object.status = nil }
        }
    }

    /// Called on every update of the main resource: status is kept from the stored object for kinds
    /// whose status has a subresource of its own.
    static func prepareForUpdate(_ new: inout ObjectView, old: ObjectView, resource: ResourceType) {
        if resource.hasStatus { new.status = old.status }
    }

    /// The quality-of-service class the API server records for a pod (`Guaranteed`, `Burstable`,
    /// `BestEffort`), from its containers' requests and limits.
    static func qosClass(_ pod: JSONValue) -> String {
        let containers = (pod.value(atPath: "spec.containers")?.arrayElements ?? [])
            + (pod.value(atPath: "spec.initContainers")?.arrayElements ?? [])
        var anySet = false
        var guaranteed = !containers.isEmpty
        for container in containers {
            let requests = container.value(atPath: "resources.requests")?.stringMap ?? [:]
            let limits = container.value(atPath: "resources.limits")?.stringMap ?? [:]
            if !requests.isEmpty || !limits.isEmpty { anySet = true }
            for resource in ["cpu", "memory"] {
                guard let limit = limits[resource] else {
                    guaranteed = false
                    continue
                }
                if let request = requests[resource], request != limit { guaranteed = false }
            }
        }
        if !anySet { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }
}
