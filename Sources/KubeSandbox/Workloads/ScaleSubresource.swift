import KubeCore

extension SandboxState {
    /// `GET …/scale` of a kind with `hasScale`: the object's replicas as an `autoscaling/v1` `Scale`, as
    /// the Deployment and ReplicaSet registries build it (identity metadata, `spec.replicas`, and the
    /// observed `status.replicas` with the selector written as a string).
    func scale(_ resource: ResourceType, namespace: String?, name: String) throws(APIError) -> JSONValue {
        guard resource.hasScale else { throw .notFound(resource.storageKey, name) }
        guard let stored = store.object(resource.storageKey, objectName(resource, namespace: namespace, name: name)) else {
            throw .notFound(resource.storageKey, name)
        }
        return Self.scale(of: stored, resource: resource)
    }

    /// `PUT …/scale`: the Scale's `spec.replicas` becomes the object's; a `metadata.resourceVersion` in
    /// the Scale is a precondition on the object. Answers with the Scale of the object as stored.
    mutating func updateScale(
        _ resource: ResourceType, namespace: String?, name: String, body: JSONValue, options: WriteOptions = WriteOptions()
    ) throws(APIError) -> (object: JSONValue, changes: [StoreChange]) {
        guard resource.hasScale else { throw .notFound(resource.storageKey, name) }
        let key = objectName(resource, namespace: namespace, name: name)
        guard let stored = store.object(resource.storageKey, key) else { throw .notFound(resource.storageKey, name) }
        switch (body[member: "apiVersion"]?.stringValue, body[member: "kind"]?.stringValue) {
        case (nil, nil), ("autoscaling/v1", "Scale"): break
        case (let apiVersion, let kind):
            throw .badRequest("the API version in the data (\(apiVersion ?? "")) or kind (\(kind ?? "")) does not match the expected autoscaling/v1 Scale")
        }
        if let given = body.value(atPath: "metadata.name")?.stringValue, given != name {
            throw .badRequest("the name of the object (\(given)) does not match the name on the URL (\(name))")
        }
        guard let replicas = body.value(atPath: "spec.replicas")?.integerValue ?? (body.value(atPath: "spec.replicas") == nil ? 0 : nil) else {
            throw .badRequest("spec.replicas must be an integer")
        }
        guard replicas >= 0 else {
            throw .invalid(
                kind: "Scale", group: "autoscaling", name: name,
                causes: [.init(type: "FieldValueInvalid", message: "Invalid value: \(replicas): must be greater than or equal to 0", field: "spec.replicas")])
        }
        var next = stored.setting(resource.customScale?.specReplicas ?? "spec.replicas", to: .integer(replicas))
        let version = body.value(atPath: "metadata.resourceVersion")?.stringValue ?? ""
        // Without a precondition the write is against the object just read (a custom resource's update
        // always needs one).
        next = next.setting("metadata.resourceVersion", to: version.isEmpty ? stored.value(atPath: "metadata.resourceVersion") : .string(version))
        // The replicas a Scale sets are owned through the subresource, as managedFields record it.
        var scaleOptions = options
        scaleOptions.recordedSubresource = "scale"
        let (object, changes) = try update(resource, namespace: namespace, name: name, body: next, options: scaleOptions)
        return (Self.scale(of: object, resource: resource), changes)
    }

    /// `PATCH …/scale`: the patch applies to the current Scale, and the result is put as a `PUT` would be.
    mutating func patchScale(
        _ resource: ResourceType, namespace: String?, name: String, patch: PatchRequest, options: WriteOptions = WriteOptions()
    ) throws(APIError) -> (object: JSONValue, changes: [StoreChange]) {
        let current = try scale(resource, namespace: namespace, name: name)
        var patched: JSONValue
        do throws(PatchError) {
            switch patch.format {
            // A Scale has no lists to merge by key: a strategic merge is a merge patch for it.
            case .merge, .strategic, .apply:
                try JSONMergePatch.checkDocument(patch.body)
                patched = JSONMergePatch.apply(patch.body, to: current)
            case .json:
                patched = try JSONPatch.parse(patch.body).apply(to: current)
            }
        } catch {
            throw APIError(code: error.code, reason: error.reason, message: error.message, name: name, group: "autoscaling", kind: "scale")
        }
        // The resourceVersion read back with the Scale is no precondition; one the patch sets is.
        if patch.body.value(atPath: "metadata.resourceVersion") == nil {
            patched = patched.setting("metadata.resourceVersion", to: nil)
        }
        return try updateScale(resource, namespace: namespace, name: name, body: patched, options: options)
    }

    /// The `Scale` of an object: for a Deployment or ReplicaSet from `spec.replicas`, `status.replicas`
    /// and `spec.selector`; for a custom resource from the paths its CRD names (absent replicas read as 0).
    static func scale(of object: JSONValue, resource: ResourceType) -> JSONValue {
        var metadata: JSONValue = .object([:])
        for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
            if let value = object.value(atPath: "metadata.\(field)") { metadata[member: field] = value }
        }
        let specReplicas: Int
        let statusReplicas: Int
        var status: [String: JSONValue] = [:]
        if let paths = resource.customScale {
            specReplicas = object.int(atPath: paths.specReplicas)
            statusReplicas = object.int(atPath: paths.statusReplicas)
            if let path = paths.labelSelector, let selector = object.value(atPath: path)?.stringValue { status["selector"] = .string(selector) }
        } else {
            specReplicas = object.int(atPath: "spec.replicas", fallback: 1)
            statusReplicas = object.int(atPath: "status.replicas")
            status["selector"] = .string(selectorText(object.value(atPath: "spec.selector")))
        }
        status["replicas"] = .integer(Int64(statusReplicas))
        return [
            "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": metadata,
            "spec": ["replicas": .integer(Int64(specReplicas))], "status": .object(status),
        ]
    }

    /// A label selector as `labels.Selector.String()` writes it: requirements sorted by key, joined by
    /// commas (`app=web,tier in (a,b),!legacy`).
    static func selectorText(_ selector: JSONValue?) -> String {
        var requirements: [(key: String, text: String)] = []
        for (key, value) in selector?[member: "matchLabels"]?.stringMap ?? [:] { requirements.append((key, "\(key)=\(value)")) }
        for expression in selector?[member: "matchExpressions"]?.arrayElements ?? [] {
            guard let key = expression[member: "key"]?.stringValue else { continue }
            let values = (expression[member: "values"]?.arrayElements ?? []).compactMap(\.stringValue).sorted().joined(separator: ",")
            switch expression[member: "operator"]?.stringValue {
            case "In": requirements.append((key, "\(key) in (\(values))"))
            case "NotIn": requirements.append((key, "\(key) notin (\(values))"))
            case "Exists": requirements.append((key, key))
            case "DoesNotExist": requirements.append((key, "!\(key)"))
            default: continue
            }
        }
        return requirements.sorted { ($0.key, $0.text) < ($1.key, $1.text) }.map(\.text).joined(separator: ",")
    }
}
