/// A link from a dependent object to its owner (`meta/v1 OwnerReference`), used by the garbage
/// collector to delete dependents after their owner.
public struct OwnerReference: Codable, Hashable, Sendable {
    public var apiVersion: String?
    public var kind: String?
    public var name: String?
    public var uid: String?
    /// At most one owner may be the managing controller.
    public var controller: Bool?
    /// With foreground deletion, the owner is not removed until this dependent is.
    public var blockOwnerDeletion: Bool?

    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        name: String? = nil,
        uid: String? = nil,
        controller: Bool? = nil,
        blockOwnerDeletion: Bool? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }

    /// A controller reference to `owner`, as a controller sets on the objects it creates.
    ///
    /// - Parameter owner: An object read from the API server (so `name` and `uid` are set).
    /// - Returns: A reference with `controller` and `blockOwnerDeletion` set, or `nil` when the
    ///   owner has no name or uid yet (it was never created), since the API server rejects such a
    ///   reference.
    public static func controller(of owner: some KubeResource) -> OwnerReference? {
        guard let name = owner.metadata.name, let uid = owner.metadata.uid else { return nil }
        return OwnerReference(
            apiVersion: type(of: owner).apiVersion, kind: type(of: owner).kind, name: name, uid: uid,
            controller: true, blockOwnerDeletion: true)
    }
}
