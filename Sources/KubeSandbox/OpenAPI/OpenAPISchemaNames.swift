import KubeCore

/// The names under `components.schemas` of a resource's kind and list kind, as kube-apiserver names
/// them: the Go package of a built-in type (`io.k8s.api.apps.v1.Deployment`), and for a custom resource
/// its group reversed, then version and kind (`io.hierachain.v1alpha1.SubChain`), as the
/// apiextensions-apiserver's definition namer makes them REST-friendly.
struct OpenAPISchemaNames: Sendable, Equatable {
    /// The kind's schema.
    var kind: String
    /// The list kind's schema.
    var list: String

    /// The names for a resource whose list kind is `listKind`.
    init(_ resource: ResourceType, listKind: String) {
        let prefix: String
        if !resource.isCustom, let package = Self.builtinPackages[resource.group] {
            prefix = "\(package).\(resource.version)"
        } else {
            prefix = resource.group.split(separator: ".").reversed().joined(separator: ".") + ".\(resource.version)"
        }
        kind = "\(prefix).\(resource.kind)"
        list = "\(prefix).\(listKind)"
    }

    /// A reference to a schema of the document.
    static func reference(_ name: String) -> JSONValue {
        ["$ref": .string("#/components/schemas/\(name)")]
    }

    /// The Go package (in schema-name form) of each built-in group the sandbox serves. The package is not
    /// derived from the group name alone: the core group's types live in `core`, RBAC's in `rbac`.
    private static let builtinPackages: [String: String] = [
        "": "io.k8s.api.core",
        "apps": "io.k8s.api.apps",
        "networking.k8s.io": "io.k8s.api.networking",
        "policy": "io.k8s.api.policy",
        "coordination.k8s.io": "io.k8s.api.coordination",
        "events.k8s.io": "io.k8s.api.events",
        "rbac.authorization.k8s.io": "io.k8s.api.rbac",
        "authorization.k8s.io": "io.k8s.api.authorization",
        "apiextensions.k8s.io": "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions",
    ]
}
