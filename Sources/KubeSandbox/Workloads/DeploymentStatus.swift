import KubeCore

/// The status the deployment controller writes (`calculateStatus` in sync.go and `syncRolloutStatus` in
/// progress.go): counts summed over the Deployment's ReplicaSets, the `Available` condition, and the
/// `Progressing` condition moved on as the rollout advances. Pure: the time comes in as `now`.
enum DeploymentStatus {
    /// The new status for `deployment`, given all its ReplicaSets and the one running its template.
    static func compute(
        _ deployment: JSONValue, replicaSets: [OwnedReplicaSet], newReplicaSet: OwnedReplicaSet?, now: String
    ) -> JSONValue {
        let spec = DeploymentSpecView(json: deployment)
        let old = deployment[member: "status"] ?? .object([:])
        let replicas = replicaSets.reduce(0) { $0 + $1.statusReplicas }
        let available = replicaSets.reduce(0) { $0 + $1.available }
        let updated = newReplicaSet?.statusReplicas ?? 0
        let ready = replicaSets.reduce(0) { $0 + $1.ready }
        let wanted = replicaSets.reduce(0) { $0 + $1.replicas }
        var status: JSONValue = .object([:])
        // The fields are `omitempty`: a zero count is left out, as the real server's JSON leaves it.
        func put(_ field: String, _ value: Int64?) {
            if let value, value != 0 { status[member: field] = .integer(value) }
        }
        put("observedGeneration", ObjectView(deployment).generation)
        put("replicas", Int64(replicas))
        put("updatedReplicas", Int64(updated))
        put("readyReplicas", Int64(ready))
        put("availableReplicas", Int64(available))
        put("unavailableReplicas", Int64(max(0, wanted - available)))
        put("collisionCount", spec.collisionCount)
        var conditions = old[member: "conditions"]?.arrayElements ?? []
        if available >= spec.desired - spec.maxUnavailable {
            set(&conditions, type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability.", now: now)
        } else {
            set(&conditions, type: "Available", status: "False", reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability.", now: now)
        }
        if !spec.hasProgressDeadline {
            conditions.removeAll { $0[member: "type"]?.stringValue == "Progressing" }
        } else if !spec.isPaused, let newReplicaSet {
            let current = conditions.first { $0[member: "type"]?.stringValue == "Progressing" }
            let complete = updated == replicas && current?[member: "reason"]?.stringValue == "NewReplicaSetAvailable"
            let oldReplicas = replicas - updated
            let oldStatusOld = old.int(atPath: "replicas") - old.int(atPath: "updatedReplicas")
            if complete {
                // Done: the condition stays as it was.
            } else if updated == spec.desired, replicas == spec.desired, available == spec.desired {
                set(
                    &conditions, type: "Progressing", status: "True", reason: "NewReplicaSetAvailable",
                    message: "ReplicaSet \"\(newReplicaSet.name.name)\" has successfully progressed.", now: now)
            } else if updated > old.int(atPath: "updatedReplicas") || oldReplicas < oldStatusOld || ready > old.int(atPath: "readyReplicas")
                || available > old.int(atPath: "availableReplicas")
            {
                // Progress refreshes the condition's update time every time, keeping its transition time
                // while it stays True.
                var condition = condition(
                    type: "Progressing", status: "True", reason: "ReplicaSetUpdated",
                    message: "ReplicaSet \"\(newReplicaSet.name.name)\" is progressing.", now: now)
                if let current, current[member: "status"]?.stringValue == "True" {
                    condition[member: "lastTransitionTime"] = current[member: "lastTransitionTime"]
                }
                conditions.removeAll { $0[member: "type"]?.stringValue == "Progressing" }
                conditions.append(condition)
            }
        }
        if let failure = replicaSets.lazy.compactMap({ replicaFailure(of: $0) }).first {
            set(&conditions, type: "ReplicaFailure", status: "True", reason: failure.reason, message: failure.message, now: now)
        } else {
            conditions.removeAll { $0[member: "type"]?.stringValue == "ReplicaFailure" }
        }
        if !conditions.isEmpty { status[member: "conditions"] = .array(conditions) }
        return status
    }

    /// A condition as `NewDeploymentCondition` makes it: both times now.
    static func condition(type: String, status: String, reason: String, message: String, now: String) -> JSONValue {
        [
            "type": .string(type), "status": .string(status), "lastUpdateTime": .string(now), "lastTransitionTime": .string(now),
            "reason": .string(reason), "message": .string(message),
        ]
    }

    /// Sets a condition as `SetDeploymentCondition` does: nothing when its status and reason are
    /// unchanged; otherwise it replaces the old one (moving to the end), keeping the transition time when
    /// the status did not change.
    static func set(_ conditions: inout [JSONValue], type: String, status: String, reason: String, message: String, now: String) {
        let current = conditions.first { $0[member: "type"]?.stringValue == type }
        if let current, current[member: "status"]?.stringValue == status, current[member: "reason"]?.stringValue == reason { return }
        var new = condition(type: type, status: status, reason: reason, message: message, now: now)
        if let current, current[member: "status"]?.stringValue == status { new[member: "lastTransitionTime"] = current[member: "lastTransitionTime"] }
        conditions.removeAll { $0[member: "type"]?.stringValue == type }
        conditions.append(new)
    }

    /// A ReplicaSet's `ReplicaFailure` condition, which the Deployment reports as its own.
    private static func replicaFailure(of replicaSet: OwnedReplicaSet) -> (reason: String, message: String)? {
        guard
            let failure = (replicaSet.json.value(atPath: "status.conditions")?.arrayElements ?? []).first(where: {
                $0[member: "type"]?.stringValue == "ReplicaFailure" && $0[member: "status"]?.stringValue == "True"
            })
        else { return nil }
        return (failure[member: "reason"]?.stringValue ?? "", failure[member: "message"]?.stringValue ?? "")
    }
}
