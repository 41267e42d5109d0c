import KubeCore

/// RBAC as the RBAC authorizer evaluates it: a request is allowed when any rule of a ClusterRole bound
/// by a ClusterRoleBinding, or of a Role or ClusterRole bound by a RoleBinding in the request's
/// namespace, covers its verb, API group, resource (with subresource) and name, for one of the user's
/// names or groups. Members of `system:masters` are allowed everything. No aggregation.
struct RBACAuthorizer {
    let store: ObjectStore

    static let roles = StorageKey(group: "rbac.authorization.k8s.io", resource: "roles")
    static let roleBindings = StorageKey(group: "rbac.authorization.k8s.io", resource: "rolebindings")
    static let clusterRoles = StorageKey(group: "rbac.authorization.k8s.io", resource: "clusterroles")
    static let clusterRoleBindings = StorageKey(group: "rbac.authorization.k8s.io", resource: "clusterrolebindings")

    func allows(_ user: SandboxUser, _ attributes: RequestAttributes) -> Bool {
        if user.groups.contains("system:masters") { return true }
        for (_, binding) in store.objects(Self.clusterRoleBindings) where binds(binding, to: user) {
            if rules(of: binding, namespace: "").contains(where: { covers($0, attributes) }) { return true }
        }
        guard !attributes.namespace.isEmpty, attributes.nonResourcePath == nil else { return false }
        for (_, binding) in store.objects(Self.roleBindings, namespace: attributes.namespace) where binds(binding, to: user) {
            if rules(of: binding, namespace: attributes.namespace).contains(where: { covers($0, attributes) }) { return true }
        }
        return false
    }

    /// The 403 message a real server gives.
    static func forbiddenMessage(_ user: SandboxUser, _ attributes: RequestAttributes) -> String {
        if let path = attributes.nonResourcePath {
            return "forbidden: User \"\(user.name)\" cannot \(attributes.verb) path \"\(path)\""
        }
        let resource = attributes.subresource.isEmpty ? attributes.resource : "\(attributes.resource)/\(attributes.subresource)"
        let subject = attributes.name.isEmpty ? attributes.resource : "\(attributes.resource) \"\(attributes.name)\""
        let scope = attributes.namespace.isEmpty ? "at the cluster scope" : "in the namespace \"\(attributes.namespace)\""
        return "\(subject) is forbidden: User \"\(user.name)\" cannot \(attributes.verb) resource \"\(resource)\" in API group \"\(attributes.apiGroup)\" \(scope)"
    }

    private func binds(_ binding: JSONValue, to user: SandboxUser) -> Bool {
        for subject in binding[member: "subjects"]?.arrayElements ?? [] {
            let kind = subject[member: "kind"]?.stringValue
            let name = subject[member: "name"]?.stringValue ?? ""
            switch kind {
            case "User": if name == user.name { return true }
            case "Group": if user.groups.contains(name) { return true }
            case "ServiceAccount":
                let namespace = subject[member: "namespace"]?.stringValue ?? ""
                if user.name == "system:serviceaccount:\(namespace):\(name)" { return true }
            default: continue
            }
        }
        return false
    }

    private func rules(of binding: JSONValue, namespace: String) -> [JSONValue] {
        guard let reference = binding[member: "roleRef"], let name = reference[member: "name"]?.stringValue else { return [] }
        let role: JSONValue?
        switch reference[member: "kind"]?.stringValue {
        case "ClusterRole": role = store.object(Self.clusterRoles, ObjectName(namespace: "", name: name))
        case "Role" where !namespace.isEmpty: role = store.object(Self.roles, ObjectName(namespace: namespace, name: name))
        default: role = nil
        }
        return role?[member: "rules"]?.arrayElements ?? []
    }

    private func covers(_ rule: JSONValue, _ attributes: RequestAttributes) -> Bool {
        let verbs = strings(rule, "verbs")
        guard verbs.contains("*") || verbs.contains(attributes.verb) else { return false }
        if let path = attributes.nonResourcePath {
            return strings(rule, "nonResourceURLs").contains { pattern in
                pattern == "*" || pattern == path || (pattern.hasSuffix("*") && path.hasPrefix(String(pattern.dropLast())))
            }
        }
        let groups = strings(rule, "apiGroups")
        guard groups.contains("*") || groups.contains(attributes.apiGroup) else { return false }
        let resources = strings(rule, "resources")
        let combined = attributes.subresource.isEmpty ? attributes.resource : "\(attributes.resource)/\(attributes.subresource)"
        let resourceMatches =
            resources.contains("*") || resources.contains(combined)
            || (!attributes.subresource.isEmpty && resources.contains("*/\(attributes.subresource)"))
        guard resourceMatches else { return false }
        let names = strings(rule, "resourceNames")
        return names.isEmpty || names.contains(attributes.name)
    }

    private func strings(_ rule: JSONValue, _ field: String) -> [String] {
        rule[member: field]?.arrayElements?.compactMap(\.stringValue) ?? []
    }
}
