import KubeCore

/// Options every write takes.
struct WriteOptions: Sendable {
    /// `dryRun=All`: check and answer as if written, store nothing.
    var dryRun = false
    /// `fieldValidation=Strict`: a field the schema does not know is an error instead of being dropped.
    var strictFields = false
    /// `fieldValidation=Warn` (the default): a dropped unknown field is named in a `Warning` header.
    var warnFields = false
    /// The manager the write's fields are recorded under; `nil` records none (the sandbox's own writes).
    var fieldManager: String?
    /// The manager a write without `fieldManager` is recorded under (from the User-Agent).
    var defaultManager: String?
    /// `force=true`: an apply takes fields other managers own instead of failing with a conflict.
    var force = false
    /// The API the client wrote through when the object is stored as another API's kind
    /// (`events.k8s.io/v1` for Events, stored as core `v1`): its validation rules apply.
    var requestAPIVersion: String?

    /// Reads `dryRun`, `fieldValidation`, `fieldManager` and `force` from a query.
    ///
    /// - Parameters:
    ///   - kind: The options' kind in error messages (`CreateOptions`, `UpdateOptions`, `PatchOptions`).
    ///   - userAgent: Where a write without `fieldManager` gets its manager's name.
    static func parse(_ query: [String: String], kind: String = "CreateOptions", userAgent: String? = nil) throws(APIError) -> WriteOptions {
        var options = WriteOptions(dryRun: try isDryRun(query["dryRun"]))
        switch query["fieldValidation"] {
        case "Ignore": break
        // Warn is the default, as on a kube-apiserver with server-side field validation (1.25 and later).
        case nil, "Warn": options.warnFields = true
        case "Strict": options.strictFields = true
        case let other?:
            throw .badRequest("fieldValidation must be one of \"Ignore\", \"Warn\", or \"Strict\", got \"\(other)\"")
        }
        func invalid(_ type: String, _ field: String, _ message: String) -> APIError {
            .invalid(kind: kind, group: "meta.k8s.io", name: "", causes: [.init(type: type, message: message, field: field)])
        }
        if let manager = query["fieldManager"] {
            if manager.utf8.count > FieldManagerName.maxLength {
                throw invalid("FieldValueTooLong", "fieldManager", "Too long: may not be longer than \(FieldManagerName.maxLength)")
            }
            if manager.unicodeScalars.contains(where: { !$0.properties.isPrintable() }) {
                throw invalid("FieldValueInvalid", "fieldManager", "Invalid value: \"\(manager)\": must only contain printable characters")
            }
            options.fieldManager = manager
        }
        // Only PatchOptions has `force`; other writes ignore the parameter, as any unknown one.
        if kind == "PatchOptions" {
            switch query["force"] {
            case nil, "false": break
            case "true": options.force = true
            case let other?: throw .badRequest("invalid value for force: \"\(other)\": must be true or false")
            }
        }
        if options.fieldManager == nil, query["fieldManager"] == nil {
            options.defaultManager = FieldManagerName.default(userAgent: userAgent)
        }
        return options
    }

    /// The subresource an update is recorded as made through, when it is not the one on its path
    /// (`scale`, which writes the object itself).
    var recordedSubresource: String?

    /// How an update-like write records its fields: as an `Update` of its manager, or not at all.
    var updateTracking: SandboxState.FieldTracking {
        guard let manager = fieldManager ?? defaultManager else { return .none }
        return .update(manager: manager, subresource: recordedSubresource)
    }
}

extension Unicode.Scalar.Properties {
    /// Whether the scalar prints: not a control, format, surrogate or unassigned code point.
    fileprivate func isPrintable() -> Bool {
        switch generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator: return false
        default: return true
        }
    }
}

extension SandboxState {
    /// `POST` to a collection.
    ///
    /// - Returns: The created object and the change to publish (none on a dry run).
    mutating func create(
        _ resource: ResourceType, namespace: String?, body: JSONValue, options: WriteOptions = WriteOptions()
    ) throws(APIError) -> (object: JSONValue, changes: [StoreChange]) {
        var object = ObjectView(try checkedTypeMeta(body, resource: resource))
        if resource.namespaced {
            guard let namespace else { throw .methodNotAllowed("the server does not allow this method on the requested resource") }
            if let given = object.namespace, !given.isEmpty, given != namespace {
                throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            object.namespace = namespace
        } else {
            object.namespace = nil
        }
        if object.name?.isEmpty ?? true, let prefix = object.generateName, !prefix.isEmpty {
            object.name = prefix + environment.randomSuffix()
        }
        guard let name = object.name, !name.isEmpty else {
            throw .invalid(
                kind: resource.kind, group: resource.group, name: "",
                causes: [.init(type: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name")])
        }
        let nameProblems = NameValidation.problems(name, resource: resource)
        if !nameProblems.isEmpty {
            throw .invalid(
                kind: resource.kind, group: resource.group, name: name,
                causes: nameProblems.map { .init(type: "FieldValueInvalid", message: "Invalid value: \"\(name)\": \($0)", field: "metadata.name") })
        }
        if let version = object.resourceVersion, !version.isEmpty {
            throw .badRequest("resourceVersion should not be set on objects to be created")
        }
        if resource.namespaced, let namespace { try admitIntoNamespace(namespace, resource: resource, name: name) }
        try admitCustomResourceCreate(resource)
        let key = objectName(resource, namespace: namespace, name: name)
        if store.object(resource.storageKey, key) != nil { throw .alreadyExists(resource.storageKey, name) }

        object.uid = environment.newUID()
        object.creationTimestamp = timestamp()
        object.deletionTimestamp = nil
        var metadata = object.metadata
        metadata[member: "deletionGracePeriodSeconds"] = nil
        object.metadata = metadata
        object.generation = resource.tracksGeneration ? 1 : nil
        ResourceDefaults.prepareForCreate(&object, resource: resource)
        try ResourceValidation.validate(object.json, resource: resource, name: name, requestAPIVersion: options.requestAPIVersion)
        object = ObjectView(try admitCustomResource(object.json, resource: resource, name: name, strict: options.strictFields))
        object = ObjectView(try admit(object.json, old: nil, resource: resource, name: name))
        object = try recordingFields(
            options.updateTracking, in: object, old: nil,
            requested: body.value(atPath: "metadata.managedFields"), resource: resource, target: .main, name: name)
        let crdVersions = resource.storageKey == Self.customResourceDefinitions ? try Self.customResourceVersions(of: object.json) : nil

        guard !options.dryRun else { return (object.json, []) }
        let change = store.put(resource.storageKey, key, object.json)
        if let crdVersions {
            // The CRD's controllers accept its names and establish it right after it is stored.
            return (change.object, [change] + establish(change.object, versions: crdVersions))
        }
        return (change.object, [change])
    }

    /// The body's `apiVersion` and `kind` must be the resource's (or both absent, then filled in).
    func checkedTypeMeta(_ body: JSONValue, resource: ResourceType) throws(APIError) -> JSONValue {
        guard body.objectMembers != nil else { throw .badRequest("the body of the request must be a JSON object") }
        var object = ObjectView(body)
        switch (object.apiVersion, object.kind) {
        case (nil, nil):
            object.apiVersion = resource.apiVersion
            object.kind = resource.kind
        case (let apiVersion?, let kind?):
            guard kind == resource.kind else {
                throw .badRequest("the kind in the body (\(kind)) does not match the kind of the resource (\(resource.kind))")
            }
            guard apiVersion == resource.apiVersion else {
                throw .badRequest(
                    "the API version in the data (\(apiVersion)) does not match the expected API version (\(resource.apiVersion))")
            }
        case (nil, _):
            throw .badRequest("Object 'apiVersion' is missing in the body")
        case (_, nil):
            throw .badRequest("Object 'Kind' is missing in the body")
        }
        return object.json
    }
}
