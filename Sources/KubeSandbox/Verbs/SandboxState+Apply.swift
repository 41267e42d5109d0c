import KubeCore

extension SandboxState {
    /// `PATCH` with `application/apply-patch+yaml`: server-side apply of a configuration by
    /// `options.fieldManager` (see ``FieldManager``). Creates the object when it does not exist.
    ///
    /// A `metadata.resourceVersion` in the configuration is a precondition, as for any patch.
    /// - Returns: The object as stored, the changes to publish, and whether the apply created it.
    mutating func apply(
        _ resource: ResourceType, namespace: String?, name: String, config: JSONValue, target: UpdateTarget, options: WriteOptions
    ) throws(APIError) -> (object: JSONValue, changes: [StoreChange], created: Bool) {
        guard let manager = options.fieldManager, !manager.isEmpty else {
            throw .invalid(
                kind: "PatchOptions", group: "meta.k8s.io", name: "",
                causes: [.init(type: "FieldValueRequired", message: "Required value: is required for apply patch", field: "fieldManager")])
        }
        let configuration = try checkedConfiguration(config, resource: resource, namespace: namespace, name: name)
        let owner = ManagedFieldsEntry(
            manager: manager, operation: .apply, apiVersion: resource.apiVersion, time: nil,
            subresource: target == .status ? "status" : nil, fields: FieldSet())
        let fields = fieldManager(for: resource, target: target)
        let key = objectName(resource, namespace: namespace, name: name)

        guard let stored = store.object(resource.storageKey, key) else {
            guard target == .main else { throw .notFound(resource.storageKey, name) }
            if let version = ObjectView(configuration).resourceVersion, !version.isEmpty { throw .notFound(resource.storageKey, name) }
            let (merged, managers) = try fields.apply(ManagedFields(), live: nil, config: configuration, owner: owner, force: options.force)
            var object = ObjectView(merged)
            object.apiVersion = resource.apiVersion
            object.kind = resource.kind
            object.name = name
            var metadata = object.metadata
            metadata[member: "managedFields"] = managers.json
            object.metadata = metadata
            // The managers are worked out; the create records no other.
            var createOptions = options
            createOptions.fieldManager = nil
            createOptions.defaultManager = nil
            let (created, changes) = try create(resource, namespace: namespace, body: object.json, options: createOptions)
            return (created, changes, true)
        }

        let live = ObjectView(stored)
        if let version = ObjectView(configuration).resourceVersion, !version.isEmpty, version != live.resourceVersion {
            throw .modified(resource.storageKey, name)
        }
        let managers = try ManagedFields.parse(live.metadata[member: "managedFields"], kind: resource.kind, group: resource.group, name: name)
        let (merged, applied) = try fields.apply(managers, live: stored, config: configuration, owner: owner, force: options.force)
        let next = try prepareUpdate(
            ObjectView(merged), old: live, resource: resource, target: target, name: name, strict: options.strictFields,
            tracking: .applied(applied), requestAPIVersion: options.requestAPIVersion)
        let (object, changes) = try commitUpdate(resource, key: key, old: live, new: next, options: options)
        return (object, changes, false)
    }

    /// An applied configuration must name its type and the object of the URL, and leave managed fields
    /// to the server.
    private func checkedConfiguration(_ config: JSONValue, resource: ResourceType, namespace: String?, name: String) throws(APIError) -> JSONValue {
        guard config.objectMembers != nil else { throw .badRequest("the body of the request must be a YAML or JSON object") }
        let view = ObjectView(config)
        guard view.apiVersion != nil else { throw .badRequest("Object 'apiVersion' is missing in the body") }
        guard view.kind != nil else { throw .badRequest("Object 'Kind' is missing in the body") }
        let checked = try checkedTypeMeta(config, resource: resource)
        if let given = view.name, given != name {
            throw .badRequest("the name of the object (\(given)) does not match the name on the URL (\(name))")
        }
        if resource.namespaced, let given = view.namespace, !given.isEmpty, given != namespace {
            throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        if let managed = view.metadata[member: "managedFields"], managed != .null {
            throw .badRequest("metadata.managedFields must be nil")
        }
        return checked
    }
}
