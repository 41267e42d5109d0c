import KubeCore

extension SandboxState {
    /// Which part of an object a write may change.
    enum UpdateTarget: Sendable {
        /// The object, all but its status when the kind has a status subresource.
        case main
        /// `/status`: the status alone.
        case status
    }

    /// `PUT` of an object (or of its status).
    ///
    /// A `metadata.resourceVersion` in the body is a precondition (409 Conflict when the object changed
    /// since); without one the update is unconditional. A write that changes nothing stores nothing and
    /// keeps the resourceVersion, as a real server does. Removing the last finalizer of an object whose
    /// deletion has started removes it.
    ///
    /// - Returns: The object as stored (or as it would be, on a dry run) and the changes to publish.
    mutating func update(
        _ resource: ResourceType, namespace: String?, name: String, body: JSONValue, target: UpdateTarget = .main,
        options: WriteOptions = WriteOptions()
    ) throws(APIError) -> (object: JSONValue, changes: [StoreChange]) {
        let key = objectName(resource, namespace: namespace, name: name)
        guard let stored = store.object(resource.storageKey, key) else { throw .notFound(resource.storageKey, name) }
        let new = ObjectView(try checkedTypeMeta(body, resource: resource))
        if let given = new.name, given != name {
            throw .badRequest("the name of the object (\(given)) does not match the name on the URL (\(name))")
        }
        if resource.namespaced, let given = new.namespace, !given.isEmpty, given != namespace {
            throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        let old = ObjectView(stored)
        // Custom resources allow no unconditional update (their strategy says so); built-ins do.
        if resource.isCustom, new.resourceVersion?.isEmpty ?? true {
            throw .invalid(
                kind: resource.kind, group: resource.group, name: name,
                causes: [.init(type: "FieldValueInvalid", message: "Invalid value: 0x0: must be specified for an update", field: "metadata.resourceVersion")])
        }
        if let version = new.resourceVersion, !version.isEmpty, version != old.resourceVersion {
            throw .modified(resource.storageKey, name)
        }
        if let uid = new.uid, !uid.isEmpty, uid != old.uid {
            throw .conflict(resource.storageKey, name, "Precondition failed: UID in precondition: \(uid), UID in object meta: \(old.uid ?? "")")
        }
        let next = try prepareUpdate(
            new, old: old, resource: resource, target: target, name: name, strict: options.strictFields,
            tracking: options.updateTracking, requestAPIVersion: options.requestAPIVersion)
        return try commitUpdate(resource, key: key, old: old, new: next, options: options)
    }

    /// The object that replaces `old`: identity and server-set metadata kept, the part the target does
    /// not cover taken from `old`, generation bumped when the spec changed.
    func prepareUpdate(
        _ new: ObjectView, old: ObjectView, resource: ResourceType, target: UpdateTarget, name: String, strict: Bool = false,
        tracking: FieldTracking = .none, requestAPIVersion: String? = nil
    ) throws(APIError) -> ObjectView {
        var next: ObjectView
        switch target {
        case .status:
            // Only status comes from the request; metadata and spec stay as stored.
            next = old
            next.status = new.status
        case .main:
            next = new
            next.namespace = old.namespace
            next.name = old.name
            next.uid = old.uid
            next.creationTimestamp = old.creationTimestamp
            next.deletionTimestamp = old.deletionTimestamp
            var metadata = next.metadata
            metadata[member: "deletionGracePeriodSeconds"] = old.metadata[member: "deletionGracePeriodSeconds"]
            metadata[member: "generateName"] = metadata[member: "generateName"] ?? old.metadata[member: "generateName"]
            next.metadata = metadata
            ResourceDefaults.prepareForUpdate(&next, old: old, resource: resource)
            if old.deletionTimestamp != nil {
                let added = Set(next.finalizers).subtracting(old.finalizers)
                if !added.isEmpty {
                    throw .invalid(
                        kind: resource.kind, group: resource.group, name: name,
                        causes: [
                            .init(
                                type: "FieldValueForbidden", message: "Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers \(added.sorted().map { "\"\($0)\"" })",
                                field: "metadata.finalizers")
                        ])
                }
            }
        }
        next.resourceVersion = old.resourceVersion
        next.generation = old.generation
        if resource.tracksGeneration, Self.specChanged(from: old.json, to: next.json, statusIsSeparate: resource.hasStatus) {
            next.generation = (old.generation ?? 0) + 1
        }
        try ResourceValidation.validate(next.json, old: old.json, resource: resource, name: name, requestAPIVersion: requestAPIVersion)
        next = ObjectView(try admitCustomResource(next.json, resource: resource, name: name, strict: strict))
        next = ObjectView(try admit(next.json, old: old.json, resource: resource, name: name, isSubresource: target == .status))
        if resource.storageKey == Self.customResourceDefinitions { _ = try Self.customResourceVersions(of: next.json) }
        return try recordingFields(
            tracking, in: next, old: old, requested: new.metadata[member: "managedFields"], resource: resource, target: target, name: name)
    }

    /// Stores `new` over `old` unless nothing changed; removes the object when its deletion has started
    /// and no finalizer is left.
    mutating func commitUpdate(
        _ resource: ResourceType, key: ObjectName, old: ObjectView, new: ObjectView, options: WriteOptions
    ) throws(APIError) -> (object: JSONValue, changes: [StoreChange]) {
        if new.json == old.json { return (old.json, []) }
        // As the registry's ShouldDeleteDuringUpdate: only once no finalizer and no grace period (a pod's
        // containers still stopping) is left.
        let graceRunning = (new.metadata[member: "deletionGracePeriodSeconds"]?.integerValue ?? 0) > 0
        if new.deletionTimestamp != nil, new.finalizers.isEmpty, !graceRunning {
            guard !options.dryRun else { return (new.json, []) }
            // Written once more without its finalizers, then removed: watchers see the update, then the
            // deletion, as from a real server.
            let change = store.put(resource.storageKey, key, new.json)
            guard let removal = store.remove(resource.storageKey, key) else { return (change.object, [change]) }
            // The last object of a terminating namespace lets the namespace go.
            return (change.object, [change, removal] + finishNamespaceIfEmpty(key.namespace).changes)
        }
        guard !options.dryRun else { return (new.json, []) }
        let change = store.put(resource.storageKey, key, new.json)
        if resource.storageKey == Self.customResourceDefinitions, let versions = try? Self.customResourceVersions(of: change.object) {
            return (change.object, [change] + establish(change.object, versions: versions))
        }
        return (change.object, [change])
    }

    /// Whether anything but metadata (and status, when it has a subresource of its own) differs: what
    /// bumps `metadata.generation`. Without a status subresource a status change is a change of the
    /// object like any other.
    static func specChanged(from old: JSONValue, to new: JSONValue, statusIsSeparate: Bool = true) -> Bool {
        func body(_ value: JSONValue) -> [String: JSONValue] {
            var members = value.objectMembers ?? [:]
            for key in ["metadata", "apiVersion", "kind"] { members[key] = nil }
            if statusIsSeparate { members["status"] = nil }
            return members
        }
        return body(old) != body(new)
    }
}
