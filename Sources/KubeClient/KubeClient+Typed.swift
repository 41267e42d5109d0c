import Foundation
import KubeCore

extension KubeClient {
    /// Reads one object.
    ///
    /// - Parameters:
    ///   - type: The object type.
    ///   - name: The object's name.
    ///   - namespace: Its namespace; `nil` for cluster-scoped kinds.
    /// - Returns: The object.
    /// - Throws: ``KubeError`` (``KubeError/Code/notFound`` when it does not exist).
    public func get<Object: KubeResource>(
        _ type: Object.Type, name: String, namespace: String? = nil
    ) async throws(KubeError) -> Object {
        try await send(try build { () throws(KubeCoreError) in try .get(type, name: name, namespace: namespace) }, as: type)
    }

    /// Lists objects, following `continue` tokens until the last page.
    ///
    /// - Parameters:
    ///   - type: The object type.
    ///   - namespace: The namespace; `nil` lists a namespaced kind across all namespaces.
    ///   - options: Selectors and the page size (`limit`); `continue` must be unset.
    /// - Returns: All items, with the list's `resourceVersion` to start a watch from.
    /// - Throws: ``KubeError``; ``KubeError/Code/gone`` if a continue token expired mid-way, in which
    ///   case list again.
    public func list<Object: KubeResource>(
        _ type: Object.Type, namespace: String? = nil, options: ListOptions = ListOptions()
    ) async throws(KubeError) -> ObjectList<Object> {
        try await collectPages(options) { (page) throws(KubeError) in
            try await self.listPage(type, namespace: namespace, options: page)
        }
    }

    /// Lists one page; pass the returned `metadata.continue` in ``KubeCore/ListOptions/continue`` for the next.
    ///
    /// - Parameters:
    ///   - type: The object type.
    ///   - namespace: The namespace; `nil` for all namespaces or cluster-scoped kinds.
    ///   - options: Selectors, `limit` and `continue`.
    /// - Returns: The page.
    /// - Throws: ``KubeError``.
    public func listPage<Object: KubeResource>(
        _ type: Object.Type, namespace: String? = nil, options: ListOptions = ListOptions()
    ) async throws(KubeError) -> ObjectList<Object> {
        try await send(
            try build { () throws(KubeCoreError) in try .list(type, namespace: namespace, options: options) },
            as: ObjectList<Object>.self)
    }

    /// Creates an object (`POST`); never retried after a server error, since it may have been created.
    ///
    /// - Parameters:
    ///   - object: The object; `metadata.namespace` is required for namespaced kinds.
    ///   - options: Dry run and field manager.
    /// - Returns: The object as stored.
    /// - Throws: ``KubeError`` (``KubeError/Code/alreadyExists`` when the name is taken).
    public func create<Object: KubeResource>(
        _ object: Object, options: CreateOptions = CreateOptions()
    ) async throws(KubeError) -> Object {
        try await send(try build { () throws(KubeCoreError) in try .create(object, options: options) }, as: Object.self)
    }

    /// Replaces an object (`PUT`); keep `metadata.resourceVersion` to fail on concurrent changes.
    ///
    /// - Parameters:
    ///   - object: The whole object.
    ///   - options: Dry run and field manager.
    /// - Returns: The object as stored.
    /// - Throws: ``KubeError`` (``KubeError/Code/conflict`` when it changed since it was read).
    public func replace<Object: KubeResource>(
        _ object: Object, options: CreateOptions = CreateOptions()
    ) async throws(KubeError) -> Object {
        try await send(try build { () throws(KubeCoreError) in try .replace(object, options: options) }, as: Object.self)
    }

    /// Replaces an object's `status` subresource (`PUT .../status`).
    ///
    /// - Parameters:
    ///   - object: The object carrying the new status.
    ///   - options: Dry run and field manager.
    /// - Returns: The object as stored.
    /// - Throws: ``KubeError``.
    public func replaceStatus<Object: KubeResource>(
        _ object: Object, options: CreateOptions = CreateOptions()
    ) async throws(KubeError) -> Object {
        try await send(try build { () throws(KubeCoreError) in try .replaceStatus(object, options: options) }, as: Object.self)
    }

    /// Patches an object or its status: merge patch (``KubeCore/Patch/merge(_:)``), JSON patch
    /// (``KubeCore/Patch/json(_:)``), strategic merge or apply.
    ///
    /// - Parameters:
    ///   - type: The object type.
    ///   - name: The object's name.
    ///   - namespace: Its namespace; `nil` for cluster-scoped kinds.
    ///   - subresource: `status` to patch only the status.
    ///   - patch: The patch.
    ///   - options: Dry run, field manager, force.
    /// - Returns: The patched object.
    /// - Throws: ``KubeError`` (``KubeError/Code/invalid`` when a JSON patch `test` fails).
    public func patch<Object: KubeResource>(
        _ type: Object.Type, name: String, namespace: String? = nil, subresource: String? = nil, patch: Patch,
        options: PatchOptions = PatchOptions()
    ) async throws(KubeError) -> Object {
        try await send(
            try build { () throws(KubeCoreError) in
                try .patch(
                    type.resource, name: name, namespace: namespace, subresource: subresource, patch: patch, options: options)
            }, as: type)
    }

    /// Server-side applies an object: the fields set in `object` become owned by `fieldManager`.
    ///
    /// - Parameters:
    ///   - object: The desired state with `metadata.name` (and namespace).
    ///   - fieldManager: This controller's manager name.
    ///   - force: Take over fields other managers own instead of failing with a conflict.
    /// - Returns: The object as stored.
    /// - Throws: ``KubeError`` (``KubeError/Code/conflict`` for fields owned elsewhere without `force`).
    public func apply<Object: KubeResource>(
        _ object: Object, fieldManager: String, force: Bool = false
    ) async throws(KubeError) -> Object {
        try await send(
            try build { () throws(KubeCoreError) in try .apply(object, fieldManager: fieldManager, force: force) },
            as: Object.self)
    }

    /// Server-side applies an object's `status` subresource.
    ///
    /// - Parameters:
    ///   - object: `apiVersion`, `kind`, name (and namespace) plus the status fields this manager owns.
    ///   - fieldManager: This controller's manager name.
    ///   - force: Take over fields other managers own.
    /// - Returns: The object as stored.
    /// - Throws: ``KubeError``.
    public func applyStatus<Object: KubeResource>(
        _ object: Object, fieldManager: String, force: Bool = false
    ) async throws(KubeError) -> Object {
        try await send(
            try build { () throws(KubeCoreError) in try .applyStatus(object, fieldManager: fieldManager, force: force) },
            as: Object.self)
    }

    /// Deletes an object by name.
    ///
    /// - Parameters:
    ///   - type: The object type.
    ///   - name: The object's name.
    ///   - namespace: Its namespace; `nil` for cluster-scoped kinds.
    ///   - options: Propagation policy, preconditions (uid, resourceVersion), grace period.
    /// - Returns: The object the server returned (which may or may not still exist), or its `Status` when
    ///   the object is gone; see ``DeleteResult``.
    /// - Throws: ``KubeError`` (``KubeError/Code/notFound``; ``KubeError/Code/conflict`` when a
    ///   precondition fails).
    public func delete<Object: KubeResource>(
        _ type: Object.Type, name: String, namespace: String? = nil, options: DeleteOptions = DeleteOptions()
    ) async throws(KubeError) -> DeleteResult<Object> {
        let request = try build { () throws(KubeCoreError) in
            try .delete(type.resource, name: name, namespace: namespace, options: options)
        }
        return try DeleteResult.decode(try await send(request), request: request)
    }

    /// Deletes the object that was read, with a uid precondition so that a newer object of the
    /// same name is never deleted by mistake.
    ///
    /// - Parameters:
    ///   - object: An object read from the server (name, namespace and uid are used).
    ///   - options: Further options; `preconditionUID` defaults to the object's uid.
    /// - Returns: The object the server returned (which may or may not still exist), or its `Status` when
    ///   the object is gone; see ``DeleteResult``.
    /// - Throws: ``KubeError`` (``KubeError/Code/conflict`` when the uid no longer matches).
    public func delete<Object: KubeResource>(
        _ object: Object, options: DeleteOptions = DeleteOptions()
    ) async throws(KubeError) -> DeleteResult<Object> {
        let request = try build { () throws(KubeCoreError) in try .delete(object, options: options) }
        return try DeleteResult.decode(try await send(request), request: request)
    }

    /// Runs a KubeCore request builder, turning its error into a ``KubeError``.
    func build(_ builder: () throws(KubeCoreError) -> KubeRequest) throws(KubeError) -> KubeRequest {
        do {
            return try builder()
        } catch {
            throw .invalidRequest(error)
        }
    }

    /// Follows `continue` tokens; later pages drop `resourceVersion`, as the server requires.
    func collectPages<Item>(
        _ options: ListOptions, page: (ListOptions) async throws(KubeError) -> ObjectList<Item>
    ) async throws(KubeError) -> ObjectList<Item> {
        var pageOptions = options
        var result = try await page(pageOptions)
        var token = result.metadata.continue
        while let next = token, !next.isEmpty {
            pageOptions.continue = next
            pageOptions.resourceVersion = nil
            pageOptions.resourceVersionMatch = nil
            let following = try await page(pageOptions)
            result.items += following.items
            result.metadata.resourceVersion = following.metadata.resourceVersion ?? result.metadata.resourceVersion
            token = following.metadata.continue
        }
        result.metadata.continue = nil
        result.metadata.remainingItemCount = nil
        return result
    }
}
