import KubeCore

extension KubeClient {
    /// Lists one page of objects of `Target`'s kind with their metadata only.
    ///
    /// - Parameters:
    ///   - target: The kind.
    ///   - namespace: The namespace; `nil` for all namespaces or cluster-scoped kinds.
    ///   - options: Selectors, `limit` and `continue`.
    /// - Returns: The page, as ``KubeCore/PartialObjectMetadata``. A server that cannot convert sends the
    ///   whole objects, and everything but their metadata is dropped as they are read.
    /// - Throws: ``KubeError``.
    public func listMetadataPage<Target: KubeResource>(
        _ target: Target.Type, namespace: String? = nil, options: ListOptions = ListOptions()
    ) async throws(KubeError) -> ObjectList<PartialObjectMetadata<Target>> {
        var request = try build { () throws(KubeCoreError) in try .list(Target.self, namespace: namespace, options: options) }
        request.headers["Accept"] = PartialObjectMetadata<Target>.acceptList
        return try await send(request, as: ObjectList<PartialObjectMetadata<Target>>.self)
    }

    /// Lists every page of objects of `Target`'s kind with their metadata only.
    ///
    /// - Returns: All items, with the list's `resourceVersion` to start a watch from.
    /// - Throws: ``KubeError``; ``KubeError/Code/gone`` if a continue token expired mid-way.
    public func listMetadata<Target: KubeResource>(
        _ target: Target.Type, namespace: String? = nil, options: ListOptions = ListOptions()
    ) async throws(KubeError) -> ObjectList<PartialObjectMetadata<Target>> {
        try await collectPages(options) { (page) throws(KubeError) in
            try await self.listMetadataPage(target, namespace: namespace, options: page)
        }
    }

    /// Watches objects of `Target`'s kind with their metadata only.
    ///
    /// - Parameters:
    ///   - target: The kind.
    ///   - namespace: The namespace; `nil` for all namespaces or cluster-scoped kinds.
    ///   - options: Where to start, bookmarks, `timeoutSeconds`.
    ///   - idleTimeout: Overrides ``ClientConfiguration/watchIdleTimeout`` for this watch.
    /// - Returns: The event stream.
    /// - Throws: ``KubeError`` when the watch is refused.
    public func watchMetadata<Target: KubeResource>(
        _ target: Target.Type, namespace: String? = nil, options: WatchOptions = WatchOptions(), idleTimeout: Duration? = nil
    ) async throws(KubeError) -> WatchStream<PartialObjectMetadata<Target>> {
        var request = try build { () throws(KubeCoreError) in try .watch(Target.self, namespace: namespace, options: options) }
        request.headers["Accept"] = PartialObjectMetadata<Target>.acceptObject
        return try await startWatch(request, timeoutSeconds: options.timeoutSeconds, idleTimeout: idleTimeout)
    }
}
