import KubeCore

/// One object the operator applies for a sub-chain: where it goes and the fields the operator owns, as the
/// body of a server-side apply.
public struct ChildObject: Sendable, Hashable {
    public var resource: ResourceDescriptor
    public var namespace: String?
    public var name: String
    /// The apply configuration: `apiVersion`, `kind`, `metadata` and the owned fields only.
    public var body: JSONValue

    /// The child an object of a KubeCore type describes, encoded as an apply body. The blueprint names
    /// every object it makes; a request for an unnamed one fails with KubeCore's `nameRequired`.
    /// - Throws: ``KubeCoreError`` when the object cannot be encoded.
    public init<Object: KubeResource>(_ object: Object) throws(KubeCoreError) {
        resource = Object.resource
        namespace = object.metadata.namespace
        name = object.metadata.name ?? ""
        body = try object.encodedJSON()
    }

    /// `kind namespace/name`, for logs and Events.
    public var reference: String {
        "\(resource.kind) \(namespace.map { "\($0)/" } ?? "")\(name)"
    }
}
