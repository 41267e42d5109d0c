import KubeCore

extension SandboxState {
    /// The finalizer of `spec.finalizers` that the namespace controller removes once a namespace is empty.
    static let namespaceFinalizer = "kubernetes"

    /// Deletes a namespace as the API server and its namespace controller do together: the namespace turns
    /// `Terminating`, every object in it is deleted (those with finalizers wait for them), and the namespace
    /// goes once nothing is left. The controller's work happens at once here rather than some seconds later.
    mutating func deleteNamespace(
        _ resource: ResourceType, name: String, options: DeleteOptions
    ) throws(APIError) -> (outcome: DeleteOutcome, changes: [StoreChange]) {
        let key = ObjectName(namespace: "", name: name)
        guard let stored = store.object(resource.storageKey, key) else { throw .notFound(resource.storageKey, name) }
        var namespace = ObjectView(stored)
        if ["default", "kube-system", "kube-public"].contains(name) {
            throw .forbidden("namespaces \"\(name)\" is forbidden: this namespace may not be deleted", resource: resource.storageKey, name: name)
        }
        if namespace.deletionTimestamp != nil {
            throw .conflict(
                resource.storageKey, name,
                "The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.")
        }
        if let uid = options.preconditionUID, uid != namespace.uid {
            throw .conflict(resource.storageKey, name, "Precondition failed: UID in precondition: \(uid), UID in object meta: \(namespace.uid ?? "")")
        }
        guard !options.dryRun else { return (.pending(stored), []) }
        var changes: [StoreChange] = []
        if namespace.deletionTimestamp == nil {
            namespace.deletionTimestamp = timestamp()
            var metadata = namespace.metadata
            metadata[member: "deletionGracePeriodSeconds"] = 0
            namespace.metadata = metadata
            var status = namespace.status ?? .object([:])
            status[member: "phase"] = "Terminating"
            namespace.status = status
            changes.append(store.put(resource.storageKey, key, namespace.json))
        }
        changes += emptyNamespace(name)
        let (removed, finishing) = finishNamespaceIfEmpty(name)
        changes += finishing
        if let removed { return (.pending(removed), changes) }
        return (.pending(store.object(resource.storageKey, key) ?? namespace.json), changes)
    }

    /// Deletes every object of a namespace that is not already being deleted.
    private mutating func emptyNamespace(_ namespace: String) -> [StoreChange] {
        var changes: [StoreChange] = []
        for resource in registry.all where resource.namespaced {
            for (name, object) in store.objects(resource.storageKey, namespace: namespace) where ObjectView(object).deletionTimestamp == nil {
                if let made = try? delete(resource, namespace: namespace, name: name.name).changes { changes += made }
            }
        }
        return changes
    }

    /// Removes a terminating namespace once it holds no objects.
    /// - Returns: The namespace as it last was when it was removed, and the changes.
    mutating func finishNamespaceIfEmpty(_ namespace: String) -> (removed: JSONValue?, changes: [StoreChange]) {
        let key = ObjectName(namespace: "", name: namespace)
        guard let stored = store.object(Self.namespaces, key), ObjectView(stored).deletionTimestamp != nil else { return (nil, []) }
        let isEmpty = registry.all.allSatisfy { !$0.namespaced || store.isEmpty($0.storageKey, namespace: namespace) }
        guard isEmpty else { return (nil, []) }
        var finished = stored
        var spec = finished[member: "spec"] ?? .object([:])
        spec[member: "finalizers"] = .array([])
        finished[member: "spec"] = spec
        let update = store.put(Self.namespaces, key, finished)
        guard let removal = store.remove(Self.namespaces, key) else { return (nil, [update]) }
        return (removal.object, [update, removal])
    }
}
