extension KubeRequest {
    /// `GET` one object.
    ///
    /// - Parameters:
    ///   - resource: The kind of object.
    ///   - name: The object's name.
    ///   - namespace: The namespace; required for namespaced kinds, forbidden otherwise.
    ///   - subresource: A subresource to read, such as `status`.
    /// - Returns: The request.
    /// - Throws: ``KubeCoreError`` when the namespace does not fit the kind's scope or a path
    ///   segment is invalid.
    public static func get(
        _ resource: ResourceDescriptor, name: String, namespace: String? = nil, subresource: String? = nil
    ) throws(KubeCoreError) -> KubeRequest {
        KubeRequest(
            method: .get, path: try resource.path(namespace: namespace, name: name, subresource: subresource),
            headers: ["Accept": jsonContentType])
    }

    /// `GET` a collection.
    ///
    /// - Parameters:
    ///   - resource: The kind of object.
    ///   - namespace: The namespace; `nil` lists a namespaced kind across all namespaces.
    ///   - options: Selectors, paging and consistency options.
    /// - Returns: The request; decode the response as ``ObjectList``.
    /// - Throws: ``KubeCoreError`` for a namespace on a cluster-scoped kind or invalid options.
    public static func list(
        _ resource: ResourceDescriptor, namespace: String? = nil, options: ListOptions = ListOptions()
    ) throws(KubeCoreError) -> KubeRequest {
        KubeRequest(
            method: .get, path: try resource.path(namespace: namespace), query: try options.queryItems(),
            headers: ["Accept": jsonContentType])
    }

    /// `GET` a collection with `watch=true`: a stream of newline-delimited ``WatchEvent`` JSON.
    ///
    /// - Parameters:
    ///   - resource: The kind of object.
    ///   - namespace: The namespace; `nil` watches a namespaced kind across all namespaces.
    ///   - options: Where to start and what to include.
    /// - Returns: The request; split the body with ``WatchLineSplitter``.
    /// - Throws: ``KubeCoreError`` for a namespace on a cluster-scoped kind or invalid options.
    public static func watch(
        _ resource: ResourceDescriptor, namespace: String? = nil, options: WatchOptions = WatchOptions()
    ) throws(KubeCoreError) -> KubeRequest {
        KubeRequest(
            method: .get, path: try resource.path(namespace: namespace), query: try options.queryItems(),
            headers: ["Accept": jsonContentType])
    }

    /// `GET` one object of a typed kind. See ``get(_:name:namespace:subresource:)``.
    public static func get<Object: KubeResource>(
        _ type: Object.Type, name: String, namespace: String? = nil
    ) throws(KubeCoreError) -> KubeRequest {
        try get(Object.resource, name: name, namespace: namespace)
    }

    /// `GET` a collection of a typed kind. See ``list(_:namespace:options:)``.
    public static func list<Object: KubeResource>(
        _ type: Object.Type, namespace: String? = nil, options: ListOptions = ListOptions()
    ) throws(KubeCoreError) -> KubeRequest {
        try list(Object.resource, namespace: namespace, options: options)
    }

    /// Watch a collection of a typed kind. See ``watch(_:namespace:options:)``.
    public static func watch<Object: KubeResource>(
        _ type: Object.Type, namespace: String? = nil, options: WatchOptions = WatchOptions()
    ) throws(KubeCoreError) -> KubeRequest {
        try watch(Object.resource, namespace: namespace, options: options)
    }
}
