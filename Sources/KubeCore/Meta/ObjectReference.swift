/// A reference to another object (`core/v1 ObjectReference`), as Events use for `regarding`.
public struct ObjectReference: Codable, Hashable, Sendable {
    public var apiVersion: String?
    public var kind: String?
    public var namespace: String?
    public var name: String?
    public var uid: String?
    public var resourceVersion: String?
    /// A path into the object, such as `spec.containers{node}`.
    public var fieldPath: String?

    public init(
        apiVersion: String? = nil,
        kind: String? = nil,
        namespace: String? = nil,
        name: String? = nil,
        uid: String? = nil,
        resourceVersion: String? = nil,
        fieldPath: String? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.fieldPath = fieldPath
    }

    /// A reference to `object`, taken from its type and metadata.
    ///
    /// - Parameter object: The object the reference points at.
    public init(to object: some KubeResource) {
        self.init(
            apiVersion: type(of: object).apiVersion, kind: type(of: object).kind,
            namespace: object.metadata.namespace, name: object.metadata.name, uid: object.metadata.uid,
            resourceVersion: object.metadata.resourceVersion)
    }
}
