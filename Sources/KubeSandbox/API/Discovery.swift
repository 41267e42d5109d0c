import KubeCore

/// The discovery documents kubectl and client libraries read to find resources: `/version`, `/api`,
/// `/apis`, `/apis/GROUP` and each group version's resource list.
enum Discovery {
    /// The Kubernetes version the sandbox reports. Its behaviour follows the API documents common to
    /// 1.24 and later; the minor version is the kubectl this project is tried with, so kubectl does not
    /// warn about version skew.
    static let version: JSONValue = [
        "major": "1", "minor": "32", "gitVersion": "v1.32.0-kubesandbox", "gitCommit": "", "gitTreeState": "clean",
        "buildDate": "2026-01-01T00:00:00Z", "goVersion": "", "compiler": "swift", "platform": "linux/amd64",
    ]

    static let coreVersions: JSONValue = [
        "kind": "APIVersions", "versions": ["v1"],
        "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"]],
    ]

    static func groupList(_ registry: ResourceRegistry) -> JSONValue {
        .object([
            "kind": "APIGroupList", "apiVersion": "v1",
            "groups": .array(registry.groups.map { groupDocument($0.name, versions: $0.versions) }),
        ])
    }

    static func group(_ name: String, in registry: ResourceRegistry) -> JSONValue? {
        guard let entry = registry.groups.first(where: { $0.name == name }) else { return nil }
        var document = groupDocument(entry.name, versions: entry.versions)
        document[member: "kind"] = "APIGroup"
        document[member: "apiVersion"] = "v1"
        return document
    }

    private static func groupDocument(_ name: String, versions: [String]) -> JSONValue {
        let entries: [JSONValue] = versions.map { .object(["groupVersion": .string("\(name)/\($0)"), "version": .string($0)]) }
        return .object(["name": .string(name), "versions": .array(entries), "preferredVersion": entries.first ?? .null])
    }

    static func resourceList(group: String, version: String, in registry: ResourceRegistry) -> JSONValue? {
        guard registry.serves(group: group, version: version) else { return nil }
        var resources: [JSONValue] = []
        for resource in registry.resources(group: group, version: version) {
            var entry: [String: JSONValue] = [
                "name": .string(resource.plural), "singularName": .string(resource.singular),
                "namespaced": .bool(resource.namespaced), "kind": .string(resource.kind),
                "verbs": .array(resource.verbs.map(JSONValue.string)),
            ]
            if !resource.shortNames.isEmpty { entry["shortNames"] = .array(resource.shortNames.map(JSONValue.string)) }
            if !resource.categories.isEmpty { entry["categories"] = .array(resource.categories.map(JSONValue.string)) }
            resources.append(.object(entry))
            if resource.hasStatus {
                resources.append(
                    .object([
                        "name": .string("\(resource.plural)/status"), "singularName": "", "namespaced": .bool(resource.namespaced),
                        "kind": .string(resource.kind), "verbs": ["get", "patch", "update"],
                    ]))
            }
        }
        return .object([
            "kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"), "resources": .array(resources),
        ])
    }
}
