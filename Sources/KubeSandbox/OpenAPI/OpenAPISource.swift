import KubeCore

/// What the OpenAPI v3 documents describe, copied out of the state so that they are built outside the
/// lock: every resource served right now and the CustomResourceDefinitions the custom ones come from.
struct OpenAPISource: Sendable {
    /// A group version that has a document of its own (`/openapi/v3/apis/apps/v1`).
    struct GroupVersion: Hashable, Sendable {
        /// The API group; empty for the core group.
        var group: String
        var version: String

        /// The document's key in the index and its path under `/openapi/v3/`: `api/v1`, `apis/apps/v1`.
        var key: String { group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)" }
    }

    /// The served resources, in registration order.
    var resources: [ResourceType]
    /// The stored CustomResourceDefinitions, established or not.
    var definitions: [JSONValue]

    init(resources: [ResourceType], definitions: [JSONValue]) {
        self.resources = resources
        self.definitions = definitions
    }

    /// The source as the state holds it now.
    init(_ state: SandboxState) {
        self.init(
            resources: state.registry.all,
            definitions: state.store.objects(SandboxState.customResourceDefinitions).map(\.object))
    }

    /// Every served group version, core first, then in the order their resources were registered, so
    /// the index lists the same group versions discovery does.
    var groupVersions: [GroupVersion] {
        var seen: Set<GroupVersion> = []
        var ordered: [GroupVersion] = []
        for resource in resources.filter({ $0.group.isEmpty }) + resources.filter({ !$0.group.isEmpty }) {
            let groupVersion = GroupVersion(group: resource.group, version: resource.version)
            if seen.insert(groupVersion).inserted { ordered.append(groupVersion) }
        }
        return ordered
    }

    /// The resources of one group version, in registration order; empty when it is not served.
    func resources(in groupVersion: GroupVersion) -> [ResourceType] {
        resources.filter { $0.group == groupVersion.group && $0.version == groupVersion.version }
    }

    /// The version entry (`spec.versions[i]`) of the CustomResourceDefinition that serves a custom
    /// resource, together with the definition's `spec.names`, or `nil` when no stored definition serves it.
    func definition(of resource: ResourceType) -> (version: JSONValue, names: JSONValue)? {
        guard resource.isCustom else { return nil }
        for crd in definitions {
            guard crd.value(atPath: "spec.group")?.stringValue == resource.group,
                crd.value(atPath: "spec.names.plural")?.stringValue == resource.plural,
                let version = crd.value(atPath: "spec.versions")?.arrayElements?.first(where: {
                    $0[member: "name"]?.stringValue == resource.version && $0[member: "served"]?.boolValue == true
                })
            else { continue }
            return (version, crd.value(atPath: "spec.names") ?? .object([:]))
        }
        return nil
    }
}
