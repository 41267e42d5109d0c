/// Identifies a kind of Kubernetes object well enough to build its REST paths.
///
/// Core-group resources live under `/api/v1`; every other group under `/apis/<group>/<version>`.
/// Namespaced objects add `/namespaces/<namespace>` before the plural.
public struct ResourceDescriptor: Hashable, Sendable {
    /// The API group, empty for the core group.
    public var group: String
    /// The version within the group.
    public var version: String
    /// The object kind, used in error messages and `kind` fields.
    public var kind: String
    /// The plural resource name used in URLs.
    public var plural: String
    /// Whether objects of this kind live in namespaces.
    public var namespaced: Bool

    public init(group: String, version: String, kind: String, plural: String, namespaced: Bool) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.namespaced = namespaced
    }

    /// `group/version`, or just `version` for the core group.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// The root of this resource's API group: `/api/v1` or `/apis/<group>/<version>`.
    public var apiRoot: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }

    /// Builds the URL path for a collection, an object or an object's subresource.
    ///
    /// - Parameters:
    ///   - namespace: The namespace; `nil` for cluster-scoped kinds, or to address a namespaced
    ///     collection across all namespaces.
    ///   - name: The object's name; `nil` for the collection.
    ///   - subresource: A subresource such as `status` or `scale`; needs `name`.
    /// - Returns: A path such as `/apis/apps/v1/namespaces/demo/deployments/node-0/status`.
    /// - Throws: ``KubeCoreError`` when a namespace is given for a cluster-scoped kind, missing for a
    ///   named namespaced object, when a subresource has no name, or when a segment is empty or
    ///   contains `/` or `%`.
    public func path(
        namespace: String? = nil, name: String? = nil, subresource: String? = nil
    ) throws(KubeCoreError) -> String {
        var path = apiRoot
        if let namespace {
            guard namespaced else { throw .namespaceNotAllowed(self, namespace) }
            try Self.validate(namespace, role: "namespace")
            path += "/namespaces/\(namespace)"
        } else if namespaced, name != nil {
            throw .namespaceRequired(self)
        }
        try Self.validate(plural, role: "resource plural")
        path += "/\(plural)"
        if let name {
            try Self.validate(name, role: "name")
            path += "/\(name)"
        }
        if let subresource {
            guard name != nil else { throw .nameRequired("subresource \"\(subresource)\" of \(kind)") }
            try Self.validate(subresource, role: "subresource")
            path += "/\(subresource)"
        }
        return path
    }

    /// Kubernetes itself forbids these in names (path segment names may not be "." or "..", nor
    /// contain "/" or "%"), so rejecting them here turns a confusing 404 into a clear error. Other
    /// characters are percent-encoded by ``KubeRequest/target`` when the request is sent.
    private static func validate(_ segment: String, role: String) throws(KubeCoreError) {
        if segment.isEmpty || segment == "." || segment == ".." || segment.contains("/") || segment.contains("%") {
            throw .invalidPathSegment(role, segment)
        }
    }
}
