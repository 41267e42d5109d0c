import KubeCore

extension SandboxState {
    /// The service account controller's work: every new namespace gets a ServiceAccount named
    /// `default`, which pods run as unless they name another and `kubectl create token default` asks for.
    mutating func createDefaultServiceAccounts(after changes: [StoreChange]) -> [StoreChange] {
        guard let serviceAccounts = registry.resource(group: "", version: "v1", plural: "serviceaccounts") else { return [] }
        var made: [StoreChange] = []
        for change in changes where change.type == .added && change.key == Self.namespaces {
            let namespace = change.name.name
            guard store.object(serviceAccounts.storageKey, ObjectName(namespace: namespace, name: "default")) == nil else { continue }
            let body: JSONValue = ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "default"]]
            if let created = try? create(serviceAccounts, namespace: namespace, body: body).changes { made += created }
        }
        return made
    }
}
