/// An object of `Target`'s kind read with its metadata only: what the API server sends for
/// `Accept: application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1` (`meta.k8s.io/v1`
/// `PartialObjectMetadata`, in lists `PartialObjectMetadataList`).
///
/// A cache that only needs to know which objects exist, their labels and owners, holds these instead
/// of whole objects. Decoded from a whole object (a server that ignores the `as=` parameter sends one),
/// everything but `metadata` is dropped: unlike other kinds, nothing unmodelled is kept.
public struct PartialObjectMetadata<Target: KubeResource>: KubeResource, Hashable {
    public static var group: String { Target.group }
    public static var version: String { Target.version }
    public static var kind: String { Target.kind }
    public static var plural: String { Target.plural }
    public static var namespaced: Bool { Target.namespaced }

    /// `meta.k8s.io/v1` as the server sends it, or the target's own when it sent the whole object.
    public var apiVersion: String?
    /// `PartialObjectMetadata`, or the target's kind when the server sent the whole object.
    public var kind: String?
    public var metadata: ObjectMeta
    /// Always empty: the point of the type is to keep nothing but metadata.
    public var unmodelledFields = UnmodelledFields()

    /// The `Accept` header of a metadata-only list (a single object's or a watch's is the same but for
    /// `PartialObjectMetadata`), with plain JSON as the fallback a server without the conversion answers.
    public static var acceptList: String {
        "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json"
    }

    /// The `Accept` header of a metadata-only read or watch.
    public static var acceptObject: String {
        "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json"
    }

    public init(metadata: ObjectMeta) {
        apiVersion = "meta.k8s.io/v1"
        kind = "PartialObjectMetadata"
        self.metadata = metadata
    }

    private enum CodingKeys: String, CodingKey {
        case apiVersion, kind, metadata
    }

    public static func decodingPreserved(from decoder: any Decoder) throws -> Self {
        try Self(from: decoder)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.apiVersion == rhs.apiVersion && lhs.kind == rhs.kind && lhs.metadata == rhs.metadata
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(metadata)
    }
}
