import KubeCore

/// A `PATCH` body and its format, from the request's content type.
struct PatchRequest: Sendable {
    enum Format: Sendable {
        case merge
        case json
        case strategic
        /// Server-side apply (`application/apply-patch+yaml`), whose body is YAML or JSON.
        case apply
    }

    var format: Format
    var body: JSONValue

    static func parse(_ request: APIRequest, resource: ResourceType) throws(APIError) -> PatchRequest {
        let format: Format
        switch request.contentType {
        case "application/merge-patch+json": format = .merge
        case "application/json-patch+json": format = .json
        case "application/strategic-merge-patch+json":
            // Custom resources have no Go types to carry merge keys; a real server refuses this too.
            guard !resource.isCustom else {
                throw APIError(
                    code: 415, reason: "UnsupportedMediaType",
                    message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
            }
            format = .strategic
        case "application/apply-patch+yaml":
            return PatchRequest(format: .apply, body: try YAMLBody.parse(request.body))
        case let other:
            throw .unsupportedMediaType(other ?? "none")
        }
        return PatchRequest(format: format, body: try JSONBody.parse(request.body))
    }
}

extension SandboxState {
    /// `PATCH` of an object or its status: the patch is applied to the stored object and the result
    /// goes through the same checks as an update. A `metadata.resourceVersion` the patch sets is a
    /// precondition.
    mutating func patch(
        _ resource: ResourceType, namespace: String?, name: String, patch: PatchRequest, target: UpdateTarget,
        options: WriteOptions
    ) throws(APIError) -> (object: JSONValue, changes: [StoreChange]) {
        if case .apply = patch.format {
            let applied = try apply(resource, namespace: namespace, name: name, config: patch.body, target: target, options: options)
            return (applied.object, applied.changes)
        }
        let key = objectName(resource, namespace: namespace, name: name)
        guard let stored = store.object(resource.storageKey, key) else { throw .notFound(resource.storageKey, name) }
        let patched: JSONValue
        do throws(PatchError) {
            switch patch.format {
            case .merge:
                try JSONMergePatch.checkDocument(patch.body)
                patched = JSONMergePatch.apply(patch.body, to: stored)
            case .json:
                patched = try JSONPatch.parse(patch.body).apply(to: stored)
            case .apply:
                preconditionFailure("an apply is handed to apply(_:namespace:name:config:target:options:) above")
            case .strategic:
                guard let schema = PatchSchema.builtin(group: resource.group, kind: resource.kind) else {
                    patched = JSONMergePatch.apply(patch.body, to: stored)
                    break
                }
                patched = try StrategicMergePatch(schema: schema).apply(patch.body, to: stored)
            }
        } catch {
            throw APIError(code: error.code, reason: error.reason, message: error.message, name: name, group: resource.group, kind: resource.plural)
        }
        var new = ObjectView(patched)
        // The stored resourceVersion carried through the patch is not a precondition; one the patch sets is.
        if patch.body.value(atPath: "metadata.resourceVersion") == nil { new.resourceVersion = nil }
        if let version = new.resourceVersion, version != ObjectView(stored).resourceVersion {
            throw .modified(resource.storageKey, name)
        }
        let next = try prepareUpdate(
            ObjectView(try checkedTypeMeta(new.json, resource: resource)), old: ObjectView(stored), resource: resource, target: target,
            name: name, strict: options.strictFields, tracking: options.updateTracking, requestAPIVersion: options.requestAPIVersion)
        return try commitUpdate(resource, key: key, old: ObjectView(stored), new: next, options: options)
    }

    /// `DELETE` of a collection: every object the selectors match, each as a single delete.
    ///
    /// Not atomic, as on a real server: a failure stops it, and the deletions made before stand. Their
    /// changes come back with the failure, so that watches still see them.
    /// - Returns: The `…List` of the objects deleted or whose deletion started, or the failure.
    mutating func deleteCollection(
        _ resource: ResourceType, namespace: String?, list: ListOptions, options: DeleteOptions
    ) -> (result: Result<JSONValue, APIError>, changes: [StoreChange]) {
        var items: [JSONValue] = []
        var changes: [StoreChange] = []
        for (name, object) in store.objects(resource.storageKey, namespace: namespace) where list.matches(object, resource: resource) {
            do throws(APIError) {
                let (outcome, made) = try delete(resource, namespace: name.namespace, name: name.name, options: options)
                changes += made
                switch outcome {
                case .removed(let object), .pending(let object): items.append(object)
                }
            } catch {
                return (.failure(error), changes)
            }
        }
        let document: JSONValue = .object([
            "kind": .string(resource.listKind), "apiVersion": .string(resource.apiVersion),
            "metadata": .object(["resourceVersion": .string(String(store.resourceVersion))]),
            "items": .array(resource.isCustom ? items : items.map(Self.withoutTypeMeta)),
        ])
        return (.success(document), changes)
    }
}
