import KubeCore

extension SandboxState {
    /// The finalizer a CRD's deletion adds, held until every object of its resource is gone.
    static let customResourceCleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io"

    /// The CRD that defines a custom resource (CRDs are named `PLURAL.GROUP`).
    func definition(of resource: ResourceType) -> ObjectView? {
        store.object(Self.customResourceDefinitions, ObjectName(namespace: "", name: "\(resource.plural).\(resource.group)")).map(ObjectView.init)
    }

    /// Refuses new objects of a resource whose CRD is being deleted, as the custom resource handler does.
    func admitCustomResourceCreate(_ resource: ResourceType) throws(APIError) {
        guard resource.isCustom, definition(of: resource)?.deletionTimestamp != nil else { return }
        throw .methodNotAllowed("create not allowed while custom resource definition is terminating")
    }

    /// Reports a CRD whose deletion starts as `Terminating` (its deletion adds the cleanup finalizer).
    static func markTerminating(_ crd: inout ObjectView, now: String) {
        var status = crd.status ?? .object([:])
        var conditions = status[member: "conditions"]?.arrayElements ?? []
        conditions.removeAll { $0[member: "type"] == "Terminating" }
        conditions.append([
            "type": "Terminating", "status": "True", "reason": "InstanceDeletionInProgress",
            "message": "CustomResource deletion is in progress", "lastTransitionTime": .string(now),
        ])
        status[member: "conditions"] = .array(conditions)
        crd.status = status
    }

    /// The CRD finalizer controller's work: the objects of a terminating CRD's resource are deleted (each
    /// honouring its own finalizers), and once none is left the CRD loses its cleanup finalizer and goes.
    /// A CRD that is gone stops being served.
    mutating func cleanUpCustomResources(after changes: [StoreChange]) -> [StoreChange] {
        for change in changes where change.type == .deleted && change.key == Self.customResourceDefinitions {
            _ = withdraw(change.object)
        }
        let touched = Set(changes.map(\.key))
        var made: [StoreChange] = []
        for (name, stored) in store.objects(Self.customResourceDefinitions, namespace: nil) {
            var crd = ObjectView(stored)
            guard crd.deletionTimestamp != nil, crd.finalizers.contains(Self.customResourceCleanupFinalizer),
                let group = stored.value(atPath: "spec.group")?.stringValue, let plural = stored.value(atPath: "spec.names.plural")?.stringValue
            else { continue }
            let key = StorageKey(group: group, resource: plural)
            // Only when the CRD or one of its objects changed: otherwise there is nothing new to do.
            guard touched.contains(key) || touched.contains(Self.customResourceDefinitions) else { continue }
            if let resource = registry.resource(key) {
                for (object, value) in store.objects(key, namespace: nil) where ObjectView(value).deletionTimestamp == nil {
                    if let deleted = try? delete(resource, namespace: object.namespace, name: object.name).changes { made += deleted }
                }
            }
            guard store.objects(key, namespace: nil).isEmpty else { continue }
            crd.finalizers.removeAll { $0 == Self.customResourceCleanupFinalizer }
            made += removeFinalizerChanges(crd, key: Self.customResourceDefinitions, name: name)
        }
        return made
    }
}
