import Foundation
import KubeCore

extension SandboxState {
    /// The resource quota controller's work after a write, done at once (a real one does it within
    /// seconds, and again on a periodic resync): every quota of a namespace where a quota changed, or
    /// an object of a resource its quotas track was created, changed or deleted, gets `status.hard`
    /// (its `spec.hard`) and `status.used` (the namespace's usage of each hard resource).
    ///
    /// A quota is written, as a status write, only when its status changes; the write is a change of a
    /// quota, so the next round measures again and, finding nothing new, stops.
    ///
    /// - Returns: The quota updates it made.
    mutating func refreshQuotas(after changes: [StoreChange]) -> [StoreChange] {
        var stale: Set<String> = []
        var trackedByNamespace: [String: Set<StorageKey>] = [:]
        for change in changes {
            let namespace = change.name.namespace
            guard !namespace.isEmpty, !stale.contains(namespace), !QuotaEvaluator.ignored.contains(change.key) else { continue }
            if change.key == QuotaEvaluator.quotas {
                stale.insert(namespace)
                continue
            }
            // Most namespaces have no quota: a look-up, and nothing more, for their writes.
            guard !store.isEmpty(QuotaEvaluator.quotas, namespace: namespace) else { continue }
            let tracked = trackedByNamespace[namespace] ?? trackedResources(in: namespace)
            trackedByNamespace[namespace] = tracked
            if tracked.contains(change.key) { stale.insert(namespace) }
        }
        var made: [StoreChange] = []
        let now = environment.now()
        for namespace in stale.sorted() {
            for (name, quota) in store.objects(QuotaEvaluator.quotas, namespace: namespace) {
                let status = measuredStatus(of: quota, namespace: namespace, now: now)
                guard status != quota[member: "status"] else { continue }
                var updated = ObjectView(quota)
                updated.status = status
                made.append(store.put(QuotaEvaluator.quotas, name, updated.json))
            }
        }
        return made
    }

    /// The resources whose objects the namespace's quotas measure.
    private func trackedResources(in namespace: String) -> Set<StorageKey> {
        var tracked: Set<StorageKey> = []
        for (_, quota) in store.objects(QuotaEvaluator.quotas, namespace: namespace) {
            for name in quota.value(atPath: "spec.hard")?.objectMembers?.keys ?? [:].keys {
                if let key = QuotaEvaluator.trackedResource(name) { tracked.insert(key) }
            }
        }
        return tracked
    }

    /// A quota's status as the controller computes it: the hard limits of its spec, and for each the
    /// usage of the objects in its namespace that fall in its scopes.
    func measuredStatus(of quota: JSONValue, namespace: String, now: Date) -> JSONValue {
        let hardMembers = quota.value(atPath: "spec.hard")?.objectMembers ?? [:]
        let scopes = QuotaScope.scopes(of: quota)
        // What was measured before stays for a name no evaluator measures, as the controller keeps it.
        var used = ResourceList.parse(quota.value(atPath: "status.used"))
        let resources = Set(hardMembers.keys.compactMap(QuotaEvaluator.trackedResource)).sorted { $0.description < $1.description }
        for key in resources where registry.resource(key) != nil || QuotaEvaluator.alwaysMeasured.contains(key) {
            let evaluator = QuotaEvaluator(key)
            let names = evaluator.matchingResources(hardMembers.keys)
            var total = ResourceList(Dictionary(uniqueKeysWithValues: names.map { ($0, Quantity.zero) }))
            for (_, object) in store.objects(key, namespace: namespace) where QuotaScope.matches(scopes, object: object, resource: key) {
                total = total.adding(evaluator.usage(of: object, now: now))
            }
            for (name, quantity) in total.masked(to: names).quantities { used[name] = quantity }
        }
        used = used.masked(to: hardMembers.keys)
        // status.hard is spec.hard as the server writes quantities back: canonical.
        let hard = hardMembers.mapValues { value in ResourceList.quantity(value).map { JSONValue.string($0.description) } ?? value }
        var status: [String: JSONValue] = [:]
        if !hard.isEmpty { status["hard"] = .object(hard) }
        if !used.isEmpty { status["used"] = used.json }
        return .object(status)
    }
}
