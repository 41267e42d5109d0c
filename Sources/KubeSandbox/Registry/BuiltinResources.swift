/// The built-in resources the sandbox serves: the kinds the operator and kubectl use, with the names,
/// scopes, subresources and short names a kube-apiserver's discovery reports for them.
enum BuiltinResources {
    static let all: [ResourceType] = core + apps + others

    private static let core: [ResourceType] = [
        ResourceType(
            group: "", version: "v1", kind: "Namespace", plural: "namespaces", singular: "namespace", namespaced: false,
            shortNames: ["ns"], hasStatus: true, verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
            tracksGeneration: false),
        ResourceType(
            group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", singular: "configmap", namespaced: true,
            shortNames: ["cm"], tracksGeneration: false),
        ResourceType(
            group: "", version: "v1", kind: "Secret", plural: "secrets", singular: "secret", namespaced: true, tracksGeneration: false),
        ResourceType(
            group: "", version: "v1", kind: "Service", plural: "services", singular: "service", namespaced: true,
            shortNames: ["svc"], categories: ["all"], hasStatus: true,
            verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], tracksGeneration: false),
        ResourceType(
            group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", singular: "serviceaccount",
            namespaced: true, shortNames: ["sa"], tracksGeneration: false),
        ResourceType(
            group: "", version: "v1", kind: "Pod", plural: "pods", singular: "pod", namespaced: true, shortNames: ["po"],
            categories: ["all"], hasStatus: true, tracksGeneration: false),
        ResourceType(
            group: "", version: "v1", kind: "LimitRange", plural: "limitranges", singular: "limitrange", namespaced: true,
            shortNames: ["limits"], tracksGeneration: false),
        ResourceType(
            group: "", version: "v1", kind: "ResourceQuota", plural: "resourcequotas", singular: "resourcequota",
            namespaced: true, shortNames: ["quota"], hasStatus: true, tracksGeneration: false),
        ResourceType(
            group: "", version: "v1", kind: "Event", plural: "events", singular: "event", namespaced: true, shortNames: ["ev"],
            tracksGeneration: false),
        // Stored and counted by the quota; no volume is provisioned or bound (the claim stays Pending
        // unless a test or the local pod runtime says otherwise).
        ResourceType(
            group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims",
            singular: "persistentvolumeclaim", namespaced: true, shortNames: ["pvc"], hasStatus: true, tracksGeneration: false),
    ]

    private static let apps: [ResourceType] = [
        ResourceType(
            group: "apps", version: "v1", kind: "Deployment", plural: "deployments", singular: "deployment", namespaced: true,
            shortNames: ["deploy"], categories: ["all"], hasStatus: true, hasScale: true),
        ResourceType(
            group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", singular: "replicaset", namespaced: true,
            shortNames: ["rs"], categories: ["all"], hasStatus: true, hasScale: true),
    ]

    private static let others: [ResourceType] = [
        ResourceType(
            group: "networking.k8s.io", version: "v1", kind: "NetworkPolicy", plural: "networkpolicies",
            singular: "networkpolicy", namespaced: true, shortNames: ["netpol"]),
        ResourceType(
            group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets",
            singular: "poddisruptionbudget", namespaced: true, shortNames: ["pdb"], hasStatus: true),
        ResourceType(
            group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", singular: "lease", namespaced: true,
            tracksGeneration: false),
        ResourceType(
            group: "events.k8s.io", version: "v1", kind: "Event", plural: "events", singular: "event", namespaced: true,
            shortNames: ["ev"], tracksGeneration: false, storedAs: .coreEvents),
        ResourceType(
            group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles", singular: "role", namespaced: true,
            tracksGeneration: false),
        ResourceType(
            group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings",
            singular: "rolebinding", namespaced: true, tracksGeneration: false),
        ResourceType(
            group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles",
            singular: "clusterrole", namespaced: false, tracksGeneration: false),
        ResourceType(
            group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", plural: "clusterrolebindings",
            singular: "clusterrolebinding", namespaced: false, tracksGeneration: false),
        // Not stored: a review is answered from RBAC and returned (see SandboxAPI).
        ResourceType(
            group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectAccessReview", plural: "selfsubjectaccessreviews",
            singular: "selfsubjectaccessreview", namespaced: false, verbs: ["create"], tracksGeneration: false),
        ResourceType(
            group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition",
            plural: "customresourcedefinitions", singular: "customresourcedefinition", namespaced: false,
            shortNames: ["crd", "crds"], categories: ["api-extensions"], hasStatus: true),
    ]
}
