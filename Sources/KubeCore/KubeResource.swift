/// A Kubernetes object kind with a Swift type: it knows its API group, version, kind and plural, so
/// requests can be built from the type alone (`KubeRequest.list(Pod.self, namespace: "a")`).
///
/// Conforming types keep `apiVersion` and `kind` as stored optionals so that objects decoded from a
/// list (where the API server omits them on items) round-trip faithfully; their initialisers fill
/// them in from the static members so that encoded objects always carry them.
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
}

extension KubeResource {
    /// `group/version`, or just `version` for the core group (`v1`, `apps/v1`).
    public static var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// The descriptor used to build API paths for this type.
    public static var resource: ResourceDescriptor {
        ResourceDescriptor(group: group, version: version, kind: kind, plural: plural, namespaced: namespaced)
    }

    /// Sets `apiVersion` and `kind` from the type when they are missing, as they are on list items.
    public mutating func fillTypeMeta() {
        if apiVersion == nil { apiVersion = Self.apiVersion }
        if kind == nil { kind = Self.kind }
    }
}
