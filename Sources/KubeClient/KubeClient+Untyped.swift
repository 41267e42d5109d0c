import Foundation
import KubeCore

/// Untyped forms: any kind, described by a ``KubeCore/ResourceDescriptor``, as ``KubeCore/JSONValue``.
extension KubeClient {
    /// Reads one object (or a subresource such as `status` or `scale`).
    ///
    /// - Parameters:
    ///   - resource: The kind.
    ///   - name: The object's name.
    ///   - namespace: Its namespace; `nil` for cluster-scoped kinds.
    ///   - subresource: A subresource to read.
    /// - Returns: The object as JSON.
    /// - Throws: ``KubeError``.
    public func get(
        _ resource: ResourceDescriptor, name: String, namespace: String? = nil, subresource: String? = nil
    ) async throws(KubeError) -> JSONValue {
        try await send(
            try build { () throws(KubeCoreError) in
                try .get(resource, name: name, namespace: namespace, subresource: subresource)
            }, as: JSONValue.self)
    }

    /// Lists objects, following `continue` tokens until the last page.
    ///
    /// - Parameters:
    ///   - resource: The kind.
    ///   - namespace: The namespace; `nil` for all namespaces or cluster-scoped kinds.
    ///   - options: Selectors and page size.
    /// - Returns: All items.
    /// - Throws: ``KubeError``.
    public func list(
        _ resource: ResourceDescriptor, namespace: String? = nil, options: ListOptions = ListOptions()
    ) async throws(KubeError) -> ObjectList<JSONValue> {
        try await collectPages(options) { (page) throws(KubeError) in
            try await self.listPage(resource, namespace: namespace, options: page)
        }
    }

    /// Lists one page.
    ///
    /// - Parameters:
    ///   - resource: The kind.
    ///   - namespace: The namespace; `nil` for all namespaces or cluster-scoped kinds.
    ///   - options: Selectors, `limit` and `continue`.
    /// - Returns: The page.
    /// - Throws: ``KubeError``.
    public func listPage(
        _ resource: ResourceDescriptor, namespace: String? = nil, options: ListOptions = ListOptions()
    ) async throws(KubeError) -> ObjectList<JSONValue> {
        try await send(
            try build { () throws(KubeCoreError) in try .list(resource, namespace: namespace, options: options) },
            as: ObjectList<JSONValue>.self)
    }

    /// Creates an object.
    ///
    /// - Parameters:
    ///   - resource: The kind.
    ///   - namespace: The namespace; required for namespaced kinds.
    ///   - object: The object as JSON.
    ///   - options: Dry run and field manager.
    /// - Returns: The object as stored.
    /// - Throws: ``KubeError``.
    public func create(
        _ resource: ResourceDescriptor, namespace: String? = nil, object: JSONValue,
        options: CreateOptions = CreateOptions()
    ) async throws(KubeError) -> JSONValue {
        let body = try Self.encode(object)
        return try await send(
            try build { () throws(KubeCoreError) in
                try .create(resource, namespace: namespace, body: body, options: options)
            }, as: JSONValue.self)
    }

    /// Replaces an object, or its `status` subresource.
    ///
    /// - Parameters:
    ///   - resource: The kind.
    ///   - name: The object's name.
    ///   - namespace: Its namespace; `nil` for cluster-scoped kinds.
    ///   - subresource: `status` to replace only the status.
    ///   - object: The object as JSON.
    ///   - options: Dry run and field manager.
    /// - Returns: The object as stored.
    /// - Throws: ``KubeError``.
    public func replace(
        _ resource: ResourceDescriptor, name: String, namespace: String? = nil, subresource: String? = nil,
        object: JSONValue, options: CreateOptions = CreateOptions()
    ) async throws(KubeError) -> JSONValue {
        let body = try Self.encode(object)
        return try await send(
            try build { () throws(KubeCoreError) in
                try .replace(
                    resource, name: name, namespace: namespace, subresource: subresource, body: body, options: options)
            }, as: JSONValue.self)
    }

    /// Patches an object or a subresource; server-side apply is `patch: .apply(...)` with a field manager.
    ///
    /// - Parameters:
    ///   - resource: The kind.
    ///   - name: The object's name.
    ///   - namespace: Its namespace; `nil` for cluster-scoped kinds.
    ///   - subresource: `status` to patch only the status.
    ///   - patch: The patch.
    ///   - options: Dry run, field manager, force.
    /// - Returns: The patched object.
    /// - Throws: ``KubeError``.
    public func patch(
        _ resource: ResourceDescriptor, name: String, namespace: String? = nil, subresource: String? = nil,
        patch: Patch, options: PatchOptions = PatchOptions()
    ) async throws(KubeError) -> JSONValue {
        try await send(
            try build { () throws(KubeCoreError) in
                try .patch(resource, name: name, namespace: namespace, subresource: subresource, patch: patch, options: options)
            }, as: JSONValue.self)
    }

    /// Deletes an object.
    ///
    /// - Parameters:
    ///   - resource: The kind.
    ///   - name: The object's name.
    ///   - namespace: Its namespace; `nil` for cluster-scoped kinds.
    ///   - options: Propagation policy, preconditions, grace period.
    /// - Returns: The object the server returned (which may or may not still exist), or its `Status` when
    ///   the object is gone; see ``DeleteResult``.
    /// - Throws: ``KubeError``.
    public func delete(
        _ resource: ResourceDescriptor, name: String, namespace: String? = nil, options: DeleteOptions = DeleteOptions()
    ) async throws(KubeError) -> DeleteResult<JSONValue> {
        let request = try build { () throws(KubeCoreError) in
            try .delete(resource, name: name, namespace: namespace, options: options)
        }
        return try DeleteResult.decode(try await send(request), request: request)
    }

    private static func encode(_ object: JSONValue) throws(KubeError) -> Data {
        do {
            return try JSONEncoder.kubernetes().encode(object)
        } catch {
            throw KubeError(.invalidRequest, "cannot encode the object as JSON: \(error)", underlying: error)
        }
    }
}
