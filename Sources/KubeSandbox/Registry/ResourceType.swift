import KubeCore

/// One resource the sandbox serves, as discovery describes it: where it lives in the API, its kind and
/// names, its scope and subresources.
///
/// Storage is per ``storageKey`` (group and plural), as in a real API server: every version of a custom
/// resource reads and writes the same objects.
struct ResourceType: Sendable, Hashable {
    /// The API group; empty for the core group.
    var group: String
    var version: String
    var kind: String
    /// The lower-case plural used in paths (`deployments`).
    var plural: String
    /// The lower-case singular (`deployment`).
    var singular: String
    var namespaced: Bool
    var shortNames: [String] = []
    var categories: [String] = []
    /// Whether `/status` is served separately (and the main resource ignores status changes).
    var hasStatus = false
    /// Whether `/scale` is served.
    var hasScale = false
    /// Where a custom resource's `/scale` reads and writes (its CRD's `subresources.scale`); built-in
    /// kinds use `spec.replicas`, `status.replicas` and `spec.selector`.
    var customScale: CustomScalePaths?
    /// The verbs discovery lists.
    var verbs: [String] = ResourceType.allVerbs
    /// Whether objects have a `spec` whose changes bump `metadata.generation`. Kinds without one (ConfigMap,
    /// Secret, RBAC kinds) bump it on any change of their data, as their registries do not set it at all; the
    /// sandbox leaves it unset for them.
    var tracksGeneration = true
    /// Whether a CustomResourceDefinition defines it.
    var isCustom = false
    /// Set when its objects are kept as another API's kind and converted on every request, as a real
    /// server keeps them: `events.k8s.io/v1` Events are stored as core `v1` Events, so each API sees the
    /// events written through the other.
    var storedAs: StoredKind?

    /// The kinds another resource's objects can be stored as.
    enum StoredKind: Sendable, Hashable {
        /// Core `v1` Events (path `/api/v1/…/events`), converted by ``EventConversion``.
        case coreEvents
    }

    static let allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    /// `v1` or `apps/v1`.
    var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `DeploymentList`.
    var listKind: String { kind + "List" }
    /// Where objects of this type are stored.
    var storageKey: StorageKey { StorageKey(group: group, resource: plural) }
    /// `deployments.apps`, as error messages and RBAC name it.
    var qualifiedResource: String { group.isEmpty ? plural : "\(plural).\(group)" }
}

/// A group and resource: the unit of storage and of RBAC rules.
struct StorageKey: Sendable, Hashable, CustomStringConvertible {
    var group: String
    var resource: String
    var description: String { group.isEmpty ? resource : "\(resource).\(group)" }
}

/// A CRD's `subresources.scale`: the dotted paths of the replicas it scales and reports, and of the
/// serialized label selector it reports (optional).
struct CustomScalePaths: Sendable, Hashable {
    var specReplicas: String
    var statusReplicas: String
    var labelSelector: String?

    /// Reads `specReplicasPath`, `statusReplicasPath` and `labelSelectorPath` (JSONPaths such as
    /// `.spec.replicas`).
    init?(_ scale: JSONValue?) {
        func path(_ name: String) -> String? {
            guard let text = scale?[member: name]?.stringValue, text.hasPrefix("."), text.count > 1 else { return nil }
            return String(text.dropFirst())
        }
        guard let specReplicas = path("specReplicasPath"), let statusReplicas = path("statusReplicasPath") else { return nil }
        self.specReplicas = specReplicas
        self.statusReplicas = statusReplicas
        labelSelector = path("labelSelectorPath")
    }
}
