import KubeClient
import KubeCore

/// What a reconcile run through ``Finalizer/reconcile(_:finalizer:client:_:)`` is asked to do.
public enum FinalizerEvent<Object: KubeResource>: Sendable {
    /// The object exists and carries the finalizer: bring the world in line with it.
    case apply(Object)
    /// The object is being deleted: release what it holds outside the API. Returning
    /// ``ReconcileAction/done`` says cleanup is complete and the finalizer is removed;
    /// ``ReconcileAction/requeue(after:)`` says it is not yet, and the finalizer stays.
    case cleanup(Object)
}

/// A reconcile that must run cleanup before its object goes, as kube-rs' `finalizer` helper runs it.
///
/// The flow, for a finalizer such as `hierachain.io/cleanup`:
/// 1. An object without the finalizer and not being deleted first gets it (a resourceVersion-guarded
///    JSON patch), and nothing else happens in that reconcile: the patch is seen as a change and
///    reconciles again, so no effect outside the API can precede the finalizer.
/// 2. With the finalizer and no deletionTimestamp, the body runs with ``FinalizerEvent/apply(_:)``.
/// 3. Once deletion has started, the body runs with ``FinalizerEvent/cleanup(_:)``; when it returns
///    `.done`, the finalizer is removed (guarded the same way), and the API server deletes the object
///    when no other finalizer is left.
///
/// Guarantees and caveats: cleanup runs at least once for an object that got the finalizer, and may run
/// more than once (a failure, or a crash before the finalizer's removal is stored), so it must be
/// idempotent. An object deleted before its finalizer was added goes without cleanup, which is right
/// because no effect was made for it. A guarded patch that meets a newer version fails (422 or 409) and
/// the reconcile is retried with the newer object. Removing the finalizer by hand (`kubectl patch`)
/// skips cleanup.
public enum Finalizer {
    /// Runs `body` for `object` within the finalizer flow.
    ///
    /// - Returns: What the controller should do next.
    /// - Throws: The body's errors, and ``KubeError`` when a finalizer patch fails.
    public static func reconcile<Object: KubeResource>(
        _ object: Object, finalizer name: String, client: KubeClient,
        _ body: (FinalizerEvent<Object>) async throws -> ReconcileAction
    ) async throws -> ReconcileAction {
        switch FinalizerStep.of(object, finalizer: name) {
        case .addFinalizer(let patch):
            _ = try await client.patch(
                Object.self, name: object.metadata.name ?? "", namespace: object.metadata.namespace, patch: .json(patch.operations))
            return .done
        case .apply:
            return try await body(.apply(object))
        case .cleanup:
            let action = try await body(.cleanup(object))
            guard action == .done else { return action }
            if let patch = FinalizerStep.removing(name, from: object) {
                _ = try await client.patch(
                    Object.self, name: object.metadata.name ?? "", namespace: object.metadata.namespace, patch: .json(patch.operations))
            }
            return .done
        case .nothing:
            return .done
        }
    }
}
