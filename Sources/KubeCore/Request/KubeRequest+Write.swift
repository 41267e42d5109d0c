import Foundation

extension KubeRequest {
    /// `POST` a new object to its collection.
    ///
    /// - Parameters:
    ///   - resource: The kind of object.
    ///   - namespace: The namespace; required for namespaced kinds, forbidden otherwise.
    ///   - body: The object as JSON.
    ///   - options: Dry run and field manager.
    /// - Returns: The request.
    /// - Throws: ``KubeCoreError`` when the namespace does not fit the kind's scope.
    public static func create(
        _ resource: ResourceDescriptor, namespace: String? = nil, body: Data, options: CreateOptions = CreateOptions()
    ) throws(KubeCoreError) -> KubeRequest {
        if resource.namespaced, namespace == nil { throw .namespaceRequired(resource) }
        return KubeRequest(
            method: .post, path: try resource.path(namespace: namespace), query: options.queryItems(),
            headers: ["Accept": jsonContentType, "Content-Type": jsonContentType], body: body)
    }

    /// `PUT` a whole object (or its `status` subresource), replacing what is stored.
    ///
    /// Include `metadata.resourceVersion` in the body to fail with 409 Conflict instead of
    /// overwriting a concurrent change.
    ///
    /// - Parameters:
    ///   - resource: The kind of object.
    ///   - name: The object's name.
    ///   - namespace: The namespace; required for namespaced kinds, forbidden otherwise.
    ///   - subresource: `status` to replace only the status, or `nil`.
    ///   - body: The object as JSON.
    ///   - options: Dry run and field manager.
    /// - Returns: The request.
    /// - Throws: ``KubeCoreError`` when the namespace does not fit the kind's scope.
    public static func replace(
        _ resource: ResourceDescriptor, name: String, namespace: String? = nil, subresource: String? = nil,
        body: Data, options: CreateOptions = CreateOptions()
    ) throws(KubeCoreError) -> KubeRequest {
        KubeRequest(
            method: .put, path: try resource.path(namespace: namespace, name: name, subresource: subresource),
            query: options.queryItems(), headers: ["Accept": jsonContentType, "Content-Type": jsonContentType],
            body: body)
    }

    /// `PATCH` an object (or its `status` subresource).
    ///
    /// - Parameters:
    ///   - resource: The kind of object.
    ///   - name: The object's name.
    ///   - namespace: The namespace; required for namespaced kinds, forbidden otherwise.
    ///   - subresource: `status` to patch only the status, or `nil`.
    ///   - patch: The patch and its strategy, which sets `Content-Type`.
    ///   - options: Dry run, field manager and force.
    /// - Returns: The request.
    /// - Throws: ``KubeCoreError`` for a scope mismatch, for server-side apply without a field
    ///   manager, or for `force` with a patch that is not server-side apply.
    public static func patch(
        _ resource: ResourceDescriptor, name: String, namespace: String? = nil, subresource: String? = nil,
        patch: Patch, options: PatchOptions = PatchOptions()
    ) throws(KubeCoreError) -> KubeRequest {
        KubeRequest(
            method: .patch, path: try resource.path(namespace: namespace, name: name, subresource: subresource),
            query: try options.queryItems(for: patch),
            headers: ["Accept": jsonContentType, "Content-Type": patch.contentType], body: try patch.body())
    }

    /// `DELETE` one object.
    ///
    /// The options travel as a `DeleteOptions` JSON body; with no option set there is no body.
    /// The response is the object (still present while finalizers run) or a ``Status``.
    ///
    /// - Parameters:
    ///   - resource: The kind of object.
    ///   - name: The object's name.
    ///   - namespace: The namespace; required for namespaced kinds, forbidden otherwise.
    ///   - options: Propagation policy, preconditions, grace period, dry run.
    /// - Returns: The request.
    /// - Throws: ``KubeCoreError`` when the namespace does not fit the kind's scope.
    public static func delete(
        _ resource: ResourceDescriptor, name: String, namespace: String? = nil, options: DeleteOptions = DeleteOptions()
    ) throws(KubeCoreError) -> KubeRequest {
        try deleteRequest(path: try resource.path(namespace: namespace, name: name), query: [], options: options)
    }

    /// `DELETE` every object of a collection that matches the list options.
    ///
    /// - Parameters:
    ///   - resource: The kind of object.
    ///   - namespace: The namespace; required for namespaced kinds, forbidden otherwise.
    ///   - listOptions: Which objects (label and field selectors).
    ///   - options: Propagation policy, grace period, dry run.
    /// - Returns: The request.
    /// - Throws: ``KubeCoreError`` when the namespace does not fit the kind's scope.
    public static func deleteCollection(
        _ resource: ResourceDescriptor, namespace: String? = nil, listOptions: ListOptions = ListOptions(),
        options: DeleteOptions = DeleteOptions()
    ) throws(KubeCoreError) -> KubeRequest {
        // Without a namespace this would delete across all namespaces: make that impossible by accident.
        if resource.namespaced, namespace == nil { throw .namespaceRequired(resource) }
        return try deleteRequest(
            path: try resource.path(namespace: namespace), query: try listOptions.queryItems(), options: options)
    }

    private static func deleteRequest(
        path: String, query: [QueryItem], options: DeleteOptions
    ) throws(KubeCoreError) -> KubeRequest {
        var request = KubeRequest(method: .delete, path: path, query: query, headers: ["Accept": jsonContentType])
        if !options.isEmpty {
            request.headers["Content-Type"] = jsonContentType
            request.body = try encodeBody(options.body)
        }
        return request
    }
}
