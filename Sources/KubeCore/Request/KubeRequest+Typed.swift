extension KubeRequest {
    /// `POST` a typed object, taking the namespace from its metadata.
    ///
    /// - Parameters:
    ///   - object: The object to create; `metadata.namespace` must be set for namespaced kinds.
    ///   - options: Dry run and field manager.
    /// - Returns: The request.
    /// - Throws: ``KubeCoreError`` for a missing namespace or an unencodable object.
    public static func create<Object: KubeResource>(
        _ object: Object, options: CreateOptions = CreateOptions()
    ) throws(KubeCoreError) -> KubeRequest {
        try create(
            Object.resource, namespace: scopedNamespace(of: object), body: try encodeBody(try object.encodedJSON()), options: options)
    }

    /// `PUT` a typed object, taking name and namespace from its metadata.
    ///
    /// - Parameters:
    ///   - object: The object; keep `metadata.resourceVersion` from the read for a conflict check.
    ///   - options: Dry run and field manager.
    /// - Returns: The request.
    /// - Throws: ``KubeCoreError`` for a missing name or namespace, or an unencodable object.
    public static func replace<Object: KubeResource>(
        _ object: Object, options: CreateOptions = CreateOptions()
    ) throws(KubeCoreError) -> KubeRequest {
        try replace(
            Object.resource, name: try name(of: object, for: "replace"), namespace: scopedNamespace(of: object),
            body: try encodeBody(try object.encodedJSON()), options: options)
    }

    /// `PUT` a typed object's `status` subresource; the server ignores changes outside `status`.
    ///
    /// - Parameters:
    ///   - object: The object with the new status.
    ///   - options: Dry run and field manager.
    /// - Returns: The request.
    /// - Throws: ``KubeCoreError`` for a missing name or namespace, or an unencodable object.
    public static func replaceStatus<Object: KubeResource>(
        _ object: Object, options: CreateOptions = CreateOptions()
    ) throws(KubeCoreError) -> KubeRequest {
        try replace(
            Object.resource, name: try name(of: object, for: "replaceStatus"), namespace: scopedNamespace(of: object),
            subresource: "status", body: try encodeBody(try object.encodedJSON()), options: options)
    }

    /// Server-side apply a typed object: `PATCH` with `application/apply-patch+yaml`.
    ///
    /// Only fields set in `object` are claimed by `fieldManager`; fields this manager applied
    /// before and now leaves unset are removed. That is why KubeCore never encodes unset fields.
    ///
    /// - Parameters:
    ///   - object: The desired state, with `metadata.name` (and namespace, if namespaced).
    ///   - fieldManager: This controller's manager name.
    ///   - force: Take over fields owned by other managers instead of failing with 409.
    ///   - dryRun: Validate without persisting.
    /// - Returns: The request.
    /// - Throws: ``KubeCoreError`` for a missing name or namespace, or an unencodable object.
    public static func apply<Object: KubeResource>(
        _ object: Object, fieldManager: String, force: Bool = false, dryRun: Bool = false
    ) throws(KubeCoreError) -> KubeRequest {
        try patch(
            Object.resource, name: try name(of: object, for: "apply"), namespace: scopedNamespace(of: object),
            patch: .apply(try applyConfiguration(of: object)),
            options: PatchOptions(dryRun: dryRun, fieldManager: fieldManager, force: force))
    }

    /// Server-side apply a typed object's `status` subresource.
    ///
    /// - Parameters:
    ///   - object: `apiVersion`, `kind`, `metadata.name` (and namespace) plus the status fields this
    ///     manager owns.
    ///   - fieldManager: This controller's manager name.
    ///   - force: Take over fields owned by other managers instead of failing with 409.
    /// - Returns: The request.
    /// - Throws: ``KubeCoreError`` for a missing name or namespace, or an unencodable object.
    public static func applyStatus<Object: KubeResource>(
        _ object: Object, fieldManager: String, force: Bool = false
    ) throws(KubeCoreError) -> KubeRequest {
        try patch(
            Object.resource, name: try name(of: object, for: "applyStatus"), namespace: scopedNamespace(of: object),
            subresource: "status", patch: .apply(try applyConfiguration(of: object)),
            options: PatchOptions(fieldManager: fieldManager, force: force))
    }

    /// The object as an apply configuration: its JSON without `metadata.managedFields`, which an API
    /// server refuses in an apply ("metadata.managedFields must be nil"). An object read from the server
    /// carries them, and applying what was read must work.
    static func applyConfiguration<Object: KubeResource>(of object: Object) throws(KubeCoreError) -> JSONValue {
        let json = try object.encodedJSON()
        guard case .object(var members) = json, case .object(var metadata)? = members["metadata"] else { return json }
        metadata["managedFields"] = nil
        members["metadata"] = .object(metadata)
        return .object(members)
    }

    /// `DELETE` a typed object by its metadata, with a uid precondition so that a recreated object
    /// of the same name is never deleted by mistake.
    ///
    /// - Parameters:
    ///   - object: An object read from the server.
    ///   - options: Further options; `preconditionUID` defaults to the object's uid.
    /// - Returns: The request.
    /// - Throws: ``KubeCoreError`` for a missing name or namespace.
    public static func delete<Object: KubeResource>(
        _ object: Object, options: DeleteOptions = DeleteOptions()
    ) throws(KubeCoreError) -> KubeRequest {
        var options = options
        if options.preconditionUID == nil { options.preconditionUID = object.metadata.uid }
        return try delete(
            Object.resource, name: try name(of: object, for: "delete"), namespace: scopedNamespace(of: object),
            options: options)
    }

    /// Cluster-scoped objects sometimes carry a stray `metadata.namespace` (copied from a template);
    /// the server ignores it, so the path must too.
    private static func scopedNamespace<Object: KubeResource>(of object: Object) -> String? {
        Object.namespaced ? object.metadata.namespace : nil
    }

    private static func name<Object: KubeResource>(of object: Object, for operation: String) throws(KubeCoreError) -> String {
        guard let name = object.metadata.name else { throw .nameRequired("\(operation) of \(Object.kind)") }
        return name
    }
}
