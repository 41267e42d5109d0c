import KubeCore

/// The RBAC objects a cluster starts with that clients rely on: `cluster-admin` for `system:masters`,
/// discovery for every authenticated user, and the self-review APIs that `kubectl auth can-i` uses.
enum BootstrapRoles {
    static let clusterRoles: [JSONValue] = [
        role("cluster-admin", rules: [
            ["apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]],
            ["nonResourceURLs": ["*"], "verbs": ["*"]],
        ]),
        role("system:discovery", rules: [
            [
                "nonResourceURLs": ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"],
                "verbs": ["get"],
            ]
        ]),
        role("system:basic-user", rules: [
            ["apiGroups": ["authorization.k8s.io"], "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], "verbs": ["create"]]
        ]),
    ]

    static let clusterRoleBindings: [JSONValue] = [
        binding("cluster-admin", role: "cluster-admin", group: "system:masters"),
        binding("system:discovery", role: "system:discovery", group: "system:authenticated"),
        binding("system:basic-user", role: "system:basic-user", group: "system:authenticated"),
    ]

    private static func role(_ name: String, rules: [JSONValue]) -> JSONValue {
        [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": ["name": .string(name), "labels": ["kubernetes.io/bootstrapping": "rbac-defaults"]], "rules": .array(rules),
        ]
    }

    private static func binding(_ name: String, role: String, group: String) -> JSONValue {
        [
            "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
            "metadata": ["name": .string(name), "labels": ["kubernetes.io/bootstrapping": "rbac-defaults"]],
            "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(role)],
            "subjects": [["apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": .string(group)]],
        ]
    }
}
