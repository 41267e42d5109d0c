import KubeCore

/// The parts of a Deployment's spec the controller reads, with the defaults the API server would have
/// filled in (the sandbox stores what the client sent): 1 replica, `RollingUpdate` with 25% surge and
/// 25% unavailable, 10 old ReplicaSets kept, a 600 s progress deadline.
struct DeploymentSpecView {
    var json: JSONValue

    var desired: Int { json.int(atPath: "spec.replicas", fallback: 1) }
    var template: JSONValue { json.value(atPath: "spec.template") ?? .object([:]) }
    var isRolling: Bool { json.value(atPath: "spec.strategy.type")?.stringValue != "Recreate" }
    var isPaused: Bool { json.value(atPath: "spec.paused")?.boolValue == true }
    var revisionHistoryLimit: Int { json.int(atPath: "spec.revisionHistoryLimit", fallback: 10) }
    var minReadySeconds: Int? { json.value(atPath: "spec.minReadySeconds")?.integerValue.map { Int($0) } }
    var collisionCount: Int64? { json.value(atPath: "status.collisionCount")?.integerValue }
    /// Whether the Progressing condition is kept (`progressDeadlineSeconds` is not MaxInt32).
    var hasProgressDeadline: Bool { json.int(atPath: "spec.progressDeadlineSeconds", fallback: 600) != Int(Int32.max) }

    /// The surge a rolling update may use (zero for `Recreate`).
    var surge: Int {
        guard isRolling else { return 0 }
        return RolloutArithmetic.fenceposts(maxSurge: rollingUpdate("maxSurge"), maxUnavailable: rollingUpdate("maxUnavailable"), desired: desired).surge
    }

    /// How many pods may be unavailable (`deploymentutil.MaxUnavailable`).
    var maxUnavailable: Int {
        RolloutArithmetic.maxUnavailable(
            rolling: isRolling, maxSurge: rollingUpdate("maxSurge"), maxUnavailable: rollingUpdate("maxUnavailable"), desired: desired)
    }

    private func rollingUpdate(_ field: String) -> JSONValue? { json.value(atPath: "spec.strategy.rollingUpdate.\(field)") }
}

/// A ReplicaSet a Deployment controls, with the numbers the deployment controller reads from it.
struct OwnedReplicaSet {
    static let revisionAnnotation = "deployment.kubernetes.io/revision"

    var name: ObjectName
    var json: JSONValue

    var replicas: Int { json.int(atPath: "spec.replicas", fallback: 1) }
    var statusReplicas: Int { json.int(atPath: "status.replicas") }
    var ready: Int { json.int(atPath: "status.readyReplicas") }
    var available: Int { json.int(atPath: "status.availableReplicas") }
    var revision: Int { Int(json.value(atPath: "metadata.annotations")?[member: Self.revisionAnnotation]?.stringValue ?? "") ?? 0 }
    var isDeleting: Bool { ObjectView(json).deletionTimestamp != nil }
}
