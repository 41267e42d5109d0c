import KubeCore

/// What the finalizer flow does next with an object, decided from the object alone (pure, as kube-rs'
/// `finalizer` decides it):
///
/// | deletionTimestamp | finalizer present | step |
/// | --- | --- | --- |
/// | not set | no | ``addFinalizer(_:)``: nothing else happens before it is stored |
/// | not set | yes | ``apply``: reconcile as usual |
/// | set | yes | ``cleanup``: release what the object holds outside the API |
/// | set | no | ``nothing``: cleanup is done; the object goes once other finalizers do |
public enum FinalizerStep: Sendable, Equatable {
    case addFinalizer(JSONPatch)
    case apply
    case cleanup
    case nothing

    /// A JSON patch (RFC 6902) that first tests the object's resourceVersion: it applies only to the
    /// object as it was read, and fails with 422 on any later version, so a finalizer list changed in
    /// between is never overwritten.
    public struct JSONPatch: Sendable, Equatable {
        public var operations: [JSONPatchOperation]
    }

    /// The step for `object` and the finalizer `name`.
    public static func of(_ object: some KubeResource, finalizer name: String) -> FinalizerStep {
        let finalizers = object.metadata.finalizers ?? []
        switch (object.metadata.deletionTimestamp != nil, finalizers.contains(name)) {
        case (false, false): return .addFinalizer(adding(name, to: object))
        case (false, true): return .apply
        case (true, true): return .cleanup
        case (true, false): return .nothing
        }
    }

    /// The patch that adds the finalizer `name` to `object` as read.
    public static func adding(_ name: String, to object: some KubeResource) -> JSONPatch {
        let guardVersion = JSONPatchOperation.test("/metadata/resourceVersion", .string(object.metadata.resourceVersion ?? ""))
        if object.metadata.finalizers == nil {
            return JSONPatch(operations: [guardVersion, .add("/metadata/finalizers", [.string(name)])])
        }
        return JSONPatch(operations: [guardVersion, .add("/metadata/finalizers/-", .string(name))])
    }

    /// The patch that removes the finalizer `name` from `object` as read; `nil` when it has none.
    public static func removing(_ name: String, from object: some KubeResource) -> JSONPatch? {
        guard let index = object.metadata.finalizers?.firstIndex(of: name) else { return nil }
        return JSONPatch(operations: [
            .test("/metadata/resourceVersion", .string(object.metadata.resourceVersion ?? "")),
            .test("/metadata/finalizers/\(index)", .string(name)),
            .remove("/metadata/finalizers/\(index)"),
        ])
    }
}
