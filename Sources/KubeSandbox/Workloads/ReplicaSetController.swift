import KubeCore

extension SandboxState {
    /// The ReplicaSet controller's sync of one ReplicaSet (`replica_set.go`): as many active pods as
    /// `spec.replicas`, made from the template with `generateName` and a controller reference, surplus
    /// pods deleted in the order the controller ranks them; then the status counts.
    ///
    /// Pods are created through ``create(_:namespace:body:options:)``, so admission applies to them as to
    /// a client's; a refusal stops the round and is reported as the `ReplicaFailure` condition with
    /// reason `FailedCreate` and the refusal's message, as the controller reports it.
    mutating func reconcileReplicaSet(_ name: ObjectName) -> [StoreChange] {
        guard let stored = store.object(Self.replicaSets, name), let uid = ObjectView(stored).uid,
            let podResource = registry.resource(Self.pods)
        else { return [] }
        var changes: [StoreChange] = []
        var failure: (reason: String, message: String)?
        let desired = stored.int(atPath: "spec.replicas", fallback: 1)
        if ObjectView(stored).deletionTimestamp == nil {
            let active = activePods(of: uid, namespace: name.namespace)
            if active.count < desired {
                let body = Self.pod(from: stored)
                for _ in active.count..<desired {
                    do throws(APIError) {
                        changes += try create(podResource, namespace: name.namespace, body: body).changes
                    } catch {
                        failure = ("FailedCreate", error.message)
                        break
                    }
                }
            } else if active.count > desired {
                for pod in Self.rankedForDeletion(active).prefix(active.count - desired) {
                    do throws(APIError) {
                        changes += try delete(podResource, namespace: name.namespace, name: ObjectView(pod).name ?? "").changes
                    } catch {
                        failure = ("FailedDelete", error.message)
                        break
                    }
                }
            }
        }
        let status = replicaSetStatus(stored, pods: activePods(of: uid, namespace: name.namespace), failure: failure)
        var next = stored
        next[member: "status"] = status
        return changes + storeIfChanged(Self.replicaSets, name, next)
    }

    /// The pods a ReplicaSet controls that count: not finished and not being deleted
    /// (`controller.FilterActivePods`).
    private func activePods(of uid: String, namespace: String) -> [JSONValue] {
        controlled(Self.pods, namespace: namespace, by: uid).map(\.object).filter { pod in
            let phase = pod.value(atPath: "status.phase")?.stringValue
            return ObjectView(pod).deletionTimestamp == nil && phase != "Succeeded" && phase != "Failed"
        }
    }

    /// The status the controller computes (`calculateStatus`): counts of the active pods, and the
    /// `ReplicaFailure` condition set on a failure (kept while it lasts) and removed once a sync succeeds.
    private func replicaSetStatus(_ replicaSet: JSONValue, pods: [JSONValue], failure: (reason: String, message: String)?) -> JSONValue {
        let templateLabels = replicaSet.value(atPath: "spec.template.metadata.labels")?.stringMap ?? [:]
        var fullyLabeled = 0
        var ready = 0
        for pod in pods {
            let labels = ObjectView(pod).labels
            if templateLabels.allSatisfy({ labels[$0.key] == $0.value }) { fullyLabeled += 1 }
            // minReadySeconds is treated as 0: a ready pod is available.
            if Self.isReady(pod) { ready += 1 }
        }
        var status: JSONValue = ["replicas": .integer(Int64(pods.count))]
        if fullyLabeled > 0 { status[member: "fullyLabeledReplicas"] = .integer(Int64(fullyLabeled)) }
        if ready > 0 {
            status[member: "readyReplicas"] = .integer(Int64(ready))
            status[member: "availableReplicas"] = .integer(Int64(ready))
        }
        if let generation = ObjectView(replicaSet).generation { status[member: "observedGeneration"] = .integer(generation) }
        var conditions = replicaSet.value(atPath: "status.conditions")?.arrayElements ?? []
        let hasFailure = conditions.contains { $0[member: "type"]?.stringValue == "ReplicaFailure" }
        if let failure, !hasFailure {
            conditions.append([
                "type": "ReplicaFailure", "status": "True", "lastTransitionTime": .string(timestamp()),
                "reason": .string(failure.reason), "message": .string(failure.message),
            ])
        } else if failure == nil {
            conditions.removeAll { $0[member: "type"]?.stringValue == "ReplicaFailure" }
        }
        if !conditions.isEmpty { status[member: "conditions"] = .array(conditions) }
        return status
    }

    /// Whether a pod's `Ready` condition is `True` (`podutil.IsPodReady`).
    static func isReady(_ pod: JSONValue) -> Bool {
        (pod.value(atPath: "status.conditions")?.arrayElements ?? []).contains {
            $0[member: "type"]?.stringValue == "Ready" && $0[member: "status"]?.stringValue == "True"
        }
    }

    /// A new pod for a ReplicaSet (`controller.GetPodFromTemplate`): the template's labels, annotations,
    /// finalizers and spec, `generateName` `<replicaset>-`, and a controller reference to the ReplicaSet.
    static func pod(from replicaSet: JSONValue) -> JSONValue {
        let template = replicaSet.value(atPath: "spec.template") ?? .object([:])
        var metadata: JSONValue = [
            "generateName": .string((ObjectView(replicaSet).name ?? "") + "-"),
            "ownerReferences": [controllerReference(to: replicaSet)],
        ]
        for field in ["labels", "annotations", "finalizers"] {
            if let value = template.value(atPath: "metadata.\(field)") { metadata[member: field] = value }
        }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": template[member: "spec"] ?? .object([:])]
    }

    /// Pods in the order the controller deletes surplus ones (`controller.ActivePodsWithRanks`): not yet
    /// scheduled first, then Pending before Unknown before Running, not ready before ready, ready for
    /// less time before more, more restarts before fewer, newer before older.
    static func rankedForDeletion(_ pods: [JSONValue]) -> [JSONValue] {
        func phaseRank(_ pod: JSONValue) -> Int {
            switch pod.value(atPath: "status.phase")?.stringValue {
            case "Pending": 0
            case "Unknown": 1
            case "Running": 2
            default: 0
            }
        }
        func readySince(_ pod: JSONValue) -> String {
            (pod.value(atPath: "status.conditions")?.arrayElements ?? [])
                .first { $0[member: "type"]?.stringValue == "Ready" }?[member: "lastTransitionTime"]?.stringValue ?? ""
        }
        func restarts(_ pod: JSONValue) -> Int {
            (pod.value(atPath: "status.containerStatuses")?.arrayElements ?? []).map { $0.int(atPath: "restartCount") }.max() ?? 0
        }
        return pods.sorted { a, b in
            let assignedA = !(a.value(atPath: "spec.nodeName")?.stringValue?.isEmpty ?? true)
            let assignedB = !(b.value(atPath: "spec.nodeName")?.stringValue?.isEmpty ?? true)
            if assignedA != assignedB { return !assignedA }
            if phaseRank(a) != phaseRank(b) { return phaseRank(a) < phaseRank(b) }
            if isReady(a) != isReady(b) { return !isReady(a) }
            if isReady(a), readySince(a) != readySince(b) { return readySince(a) > readySince(b) }
            if restarts(a) != restarts(b) { return restarts(a) > restarts(b) }
            let createdA = ObjectView(a).creationTimestamp ?? ""
            let createdB = ObjectView(b).creationTimestamp ?? ""
            if createdA != createdB { return createdA > createdB }
            return (ObjectView(a).name ?? "") < (ObjectView(b).name ?? "")
        }
    }
}
