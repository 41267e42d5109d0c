/// A Kubernetes object kind with a Swift type: it knows its API group, version, kind and plural, so
/// requests can be built from the type alone (`KubeRequest.list(Pod.self, namespace: "a")`).
///
/// Conforming types keep `apiVersion` and `kind` as stored optionals so that objects decoded from a
/// list (where the API server omits them on items) round-trip faithfully; their initialisers fill
/// them in from the static members so that encoded objects always carry them.
///
/// Conforming types also store `public var unmodelledFields = UnmodelledFields()`: the fields of
/// the JSON the object was read from that the type does not model, written back on every request
/// (see ``UnmodelledFields``). The property takes no part in `Codable`, so synthesized conformances
/// need no `CodingKeys` for it.
public protocol KubeResource: Codable, Sendable {
    /// The API group, empty for the core group (`""` for Pod, `"apps"` for Deployment).
    static var group: String { get }
    /// The API version within the group (`v1`, `v1alpha1`).
    static var version: String { get }
    /// The object kind (`Deployment`).
    static var kind: String { get }
    /// The lower-case plural used in URLs (`deployments`).
    static var plural: String { get }
    /// Whether objects live in a namespace (`true`) or are cluster-scoped (`false`).
    static var namespaced: Bool { get }

    /// The object's `apiVersion`, normally `Self.apiVersion`.
    var apiVersion: String? { get set }
    /// The object's `kind`, normally `Self.kind`.
    var kind: String? { get set }
    /// Standard object metadata.
    var metadata: ObjectMeta { get set }
    /// The fields this object was decoded with that its type does not model.
    var unmodelledFields: UnmodelledFields { get set }

    /// Decodes an object as lists and watches do: by default recording the fields its type does not
    /// model; a type that must not keep them (``PartialObjectMetadata``) decodes without.
    static func decodingPreserved(from decoder: any Decoder) throws -> Self
}

extension KubeResource {
    /// `group/version`, or just `version` for the core group (`v1`, `apps/v1`).
    public static var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// The descriptor used to build API paths for this type.
    public static var resource: ResourceDescriptor {
        ResourceDescriptor(group: group, version: version, kind: kind, plural: plural, namespaced: namespaced)
    }

    /// Decodes an object and records the fields its type does not model.
    ///
    /// - Parameter decoder: A decoder positioned at the object.
    /// - Returns: The object, with ``unmodelledFields`` set.
    /// - Throws: The decoder's errors, or ``KubeCoreError`` if the decoded object cannot be encoded again.
    public static func decodingPreserved(from decoder: any Decoder) throws -> Self {
        var object = try Self(from: decoder)
        let raw = try JSONValue(from: decoder)
        object.unmodelledFields = UnmodelledFields.difference(between: raw, and: try JSONValue(encoding: object))
        return object
    }

    /// The object's JSON as requests send it: its typed fields and the unmodelled fields it was read with.
    ///
    /// - Returns: The JSON tree.
    /// - Throws: ``KubeCoreError`` with code `encodingFailed` when the object cannot be encoded.
    public func encodedJSON() throws(KubeCoreError) -> JSONValue {
        unmodelledFields.merged(into: try JSONValue(encoding: self))
    }

    /// Sets `apiVersion` and `kind` from the type when they are missing, as they are on list items.
    public mutating func fillTypeMeta() {
        if apiVersion == nil { apiVersion = Self.apiVersion }
        if kind == nil { kind = Self.kind }
    }
}

/// Decodes a value, recording unmodelled fields when it is a ``KubeResource``; used wherever KubeCore
/// and KubeClient decode objects (single responses, list items, watch events).
public struct PreservingDecoding<Value: Decodable>: Decodable {
    /// The decoded value.
    public var value: Value

    public init(from decoder: any Decoder) throws {
        if let resourceType = Value.self as? any KubeResource.Type {
            value = try Self.decode(resourceType, from: decoder)
        } else {
            value = try Value(from: decoder)
        }
    }

    private static func decode<Resource: KubeResource>(_ type: Resource.Type, from decoder: any Decoder) throws -> Value {
        // The cast cannot fail: Resource is Value, reached through the existential.
        try Resource.decodingPreserved(from: decoder) as! Value
    }
}

extension KeyedEncodingContainer {
    /// Keeps ``UnmodelledFields`` out of every synthesized `encode(to:)`: they are merged into the
    /// object's JSON by ``KubeResource/encodedJSON()`` instead of appearing as a member.
    public mutating func encode(_ value: UnmodelledFields, forKey key: Key) throws {}
}

extension KeyedDecodingContainer {
    /// Keeps ``UnmodelledFields`` out of every synthesized `init(from:)`: no JSON member carries
    /// them; ``KubeResource/decodingPreserved(from:)`` fills them in.
    public func decode(_ type: UnmodelledFields.Type, forKey key: Key) throws -> UnmodelledFields {
        UnmodelledFields()
    }
}

extension UnmodelledFields: Codable {
    /// Never called for a property (the container overloads above take over); a lone value decodes empty.
    public init(from decoder: any Decoder) throws {
        self.init()
    }

    /// Encodes nothing of substance: an empty object, so that a stray direct encoding leaks nothing.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode([String: String]())
    }
}
