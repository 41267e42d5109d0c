import KubeCore

/// The numbers of a rolling update, as the deployment controller computes them
/// (`deploymentutil.ResolveFenceposts`, `NewRSNewReplicas`, and the scale-down of old ReplicaSets in
/// `rolling.go`). Pure functions of counts, so they are tested on their own.
enum RolloutArithmetic {
    /// An `IntOrString` (`3` or `"25%"`) as a number of pods out of `total`, percentages rounded up or
    /// down; `nil` or a malformed value counts as `fallback`.
    static func scaledValue(_ value: JSONValue?, total: Int, roundUp: Bool, fallback: String = "25%") -> Int {
        switch value {
        case .integer(let count)?: return Int(count)
        case .string(let text)?:
            if text.hasSuffix("%"), let percent = Int(text.dropLast()) {
                let exact = Double(percent) * Double(total) / 100
                return Int(roundUp ? exact.rounded(.up) : exact.rounded(.down))
            }
            if let count = Int(text) { return count }
            return scaledValue(.string(fallback), total: total, roundUp: roundUp, fallback: fallback)
        default:
            return scaledValue(.string(fallback), total: total, roundUp: roundUp, fallback: fallback)
        }
    }

    /// The surge (rounded up) and unavailability (rounded down) a rolling update may use; when both
    /// come to zero one pod may be unavailable, or the rollout could never move.
    static func fenceposts(maxSurge: JSONValue?, maxUnavailable: JSONValue?, desired: Int) -> (surge: Int, unavailable: Int) {
        let surge = scaledValue(maxSurge, total: desired, roundUp: true)
        let unavailable = scaledValue(maxUnavailable, total: desired, roundUp: false)
        if surge == 0, unavailable == 0 { return (0, 1) }
        return (surge, unavailable)
    }

    /// How many pods a Deployment may have unavailable: its resolved `maxUnavailable`, never more than
    /// its replicas, and zero for `Recreate` or zero replicas.
    static func maxUnavailable(rolling: Bool, maxSurge: JSONValue?, maxUnavailable: JSONValue?, desired: Int) -> Int {
        guard rolling, desired > 0 else { return 0 }
        return min(fenceposts(maxSurge: maxSurge, maxUnavailable: maxUnavailable, desired: desired).unavailable, desired)
    }

    /// The replicas the new ReplicaSet of a rolling update may have now: up to the desired count, as far
    /// as the surge allows over the pods all ReplicaSets want (`allReplicas`).
    static func newReplicaSetReplicas(desired: Int, surge: Int, allReplicas: Int, newReplicas: Int) -> Int {
        let maxTotal = desired + surge
        guard allReplicas < maxTotal else { return newReplicas }
        let scaleUp = min(maxTotal - allReplicas, desired - newReplicas)
        return newReplicas + max(0, scaleUp)
    }

    /// How many old pods may go now without the Deployment falling below `desired - maxUnavailable`
    /// available: the budget for removing unhealthy old pods, counting the new ReplicaSet's pods that
    /// are not available yet as unavailable.
    static func oldScaleDownBudget(desired: Int, maxUnavailable: Int, allReplicas: Int, newReplicas: Int, newAvailable: Int) -> Int {
        let minAvailable = desired - maxUnavailable
        let newUnavailable = newReplicas - newAvailable
        return allReplicas - minAvailable - newUnavailable
    }

    /// How many available old pods may go now: those above `desired - maxUnavailable` available.
    static func availableScaleDown(desired: Int, maxUnavailable: Int, available: Int) -> Int {
        max(0, available - (desired - maxUnavailable))
    }
}
