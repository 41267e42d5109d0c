import KubeCore

extension SandboxState {
    /// The service account controller's work: every active namespace has a ServiceAccount named
    /// `default` (made with the namespace, and again if it is deleted), which pods run as unless they name
    /// another and `kubectl create token default` asks for.
    mutating func createDefaultServiceAccounts(after changes: [StoreChange]) -> [StoreChange] {
        guard let serviceAccounts = registry.resource(group: "", version: "v1", plural: "serviceaccounts") else { return [] }
        var made: [StoreChange] = []
        // A new namespace, or a deleted `default` ServiceAccount (recreated while its namespace is active).
        let namespaces = changes.compactMap { change -> String? in
            if change.type == .added, change.key == Self.namespaces { return change.name.name }
            if change.type == .deleted, change.key == serviceAccounts.storageKey, change.name.name == "default" { return change.name.namespace }
            return nil
        }
        for namespace in namespaces {
            guard let object = store.object(Self.namespaces, ObjectName(namespace: "", name: namespace)),
                ObjectView(object).deletionTimestamp == nil
            else { continue }
            guard store.object(serviceAccounts.storageKey, ObjectName(namespace: namespace, name: "default")) == nil else { continue }
            let body: JSONValue = ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "default"]]
            if let created = try? create(serviceAccounts, namespace: namespace, body: body).changes { made += created }
        }
        return made
    }
}
