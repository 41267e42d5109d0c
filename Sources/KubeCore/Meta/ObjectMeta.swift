/// Standard object metadata (`meta/v1 ObjectMeta`).
///
/// Every field is optional and omitted from JSON when `nil`, which server-side apply relies on: an
/// encoded field is a field this manager claims to own.
public struct ObjectMeta: Codable, Hashable, Sendable {
    public var name: String?
    /// A prefix from which the server generates a unique name when `name` is unset.
    public var generateName: String?
    public var namespace: String?
    public var uid: String?
    /// Opaque version for optimistic concurrency; compare only for equality.
    public var resourceVersion: String?
    /// Incremented by the server on every change to the desired state (spec).
    public var generation: Int64?
    public var creationTimestamp: KubeTime?
    /// Set by the server when deletion was requested; the object lingers while finalizers remain.
    public var deletionTimestamp: KubeTime?
    public var deletionGracePeriodSeconds: Int64?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var ownerReferences: [OwnerReference]?
    public var finalizers: [String]?
    /// Server-side apply bookkeeping, kept opaque: it is read back only to be preserved.
    public var managedFields: [JSONValue]?

    public init(
        name: String? = nil,
        generateName: String? = nil,
        namespace: String? = nil,
        uid: String? = nil,
        resourceVersion: String? = nil,
        generation: Int64? = nil,
        creationTimestamp: KubeTime? = nil,
        deletionTimestamp: KubeTime? = nil,
        deletionGracePeriodSeconds: Int64? = nil,
        labels: [String: String]? = nil,
        annotations: [String: String]? = nil,
        ownerReferences: [OwnerReference]? = nil,
        finalizers: [String]? = nil,
        managedFields: [JSONValue]? = nil
    ) {
        self.name = name
        self.generateName = generateName
        self.namespace = namespace
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.generation = generation
        self.creationTimestamp = creationTimestamp
        self.deletionTimestamp = deletionTimestamp
        self.deletionGracePeriodSeconds = deletionGracePeriodSeconds
        self.labels = labels
        self.annotations = annotations
        self.ownerReferences = ownerReferences
        self.finalizers = finalizers
        self.managedFields = managedFields
    }
}

extension KeyedDecodingContainer {
    /// Lets the synthesized decoders of KubeCore's models accept an object without `metadata`
    /// (bookmarks and hand-written fixtures omit it) while keeping `metadata` non-optional, so that
    /// callers never unwrap it. Internal, so it never changes decoding outside this module.
    func decode(_ type: ObjectMeta.Type, forKey key: Key) throws -> ObjectMeta {
        try decodeIfPresent(ObjectMeta.self, forKey: key) ?? ObjectMeta()
    }
}
