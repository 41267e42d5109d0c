import KubeCore

extension SandboxState {
    /// The deployment controller's sync of one Deployment (`sync.go`, `rolling.go`, `recreate.go`): the
    /// ReplicaSet for its current template found or made, old ReplicaSets scaled down and the new one up
    /// as the strategy allows, old revisions beyond `revisionHistoryLimit` deleted once the rollout is
    /// complete, and the status written when it changed. A paused Deployment only scales and reports.
    mutating func reconcileDeployment(_ name: ObjectName) -> [StoreChange] {
        guard let stored = store.object(Self.deployments, name), let uid = ObjectView(stored).uid,
            ObjectView(stored).deletionTimestamp == nil
        else { return [] }
        var deployment = stored
        var changes: [StoreChange] = []
        let spec = DeploymentSpecView(json: stored)
        var all = ownedReplicaSets(uid: uid, namespace: name.namespace)
        var newName = all.first { PodTemplateHash.equalIgnoringHash($0.json.value(atPath: "spec.template"), spec.template) }?.name

        // The ReplicaSets as they are after this sync's own writes.
        func refresh() { all = ownedReplicaSets(uid: uid, namespace: name.namespace) }
        func scale(_ replicaSet: OwnedReplicaSet, to replicas: Int) {
            changes += scaleReplicaSet(replicaSet, to: replicas, for: spec)
        }
        var old: [OwnedReplicaSet] { all.filter { $0.name != newName } }
        var newSet: OwnedReplicaSet? { all.first { $0.name == newName } }

        if spec.isPaused {
            // Scaling goes on while paused (when one ReplicaSet is active); rollouts do not.
            if let newSet, old.allSatisfy({ $0.replicas == 0 }), newSet.replicas != spec.desired { scale(newSet, to: spec.desired) }
        } else if spec.isRolling {
            if newName == nil {
                let replicas = RolloutArithmetic.newReplicaSetReplicas(
                    desired: spec.desired, surge: spec.surge, allReplicas: old.reduce(0) { $0 + $1.replicas }, newReplicas: 0)
                guard let created = createReplicaSet(for: &deployment, replicas: replicas, old: old, changes: &changes) else {
                    return changes + storeStatusIfChanged(deployment, name: name, all: all, newSet: nil)
                }
                newName = created
                refresh()
            }
            if let newSet {
                if newSet.replicas > spec.desired {
                    scale(newSet, to: spec.desired)
                } else {
                    let replicas = RolloutArithmetic.newReplicaSetReplicas(
                        desired: spec.desired, surge: spec.surge, allReplicas: all.reduce(0) { $0 + $1.replicas }, newReplicas: newSet.replicas)
                    if replicas != newSet.replicas { scale(newSet, to: replicas) }
                }
                refresh()
                for (replicaSet, replicas) in Self.oldScaleDowns(old, new: newSet, spec: spec, all: all) { scale(replicaSet, to: replicas) }
                refresh()
            }
        } else {
            // Recreate: every old pod goes before any new one starts.
            let active = old.filter { $0.replicas > 0 }
            for replicaSet in active { scale(replicaSet, to: 0) }
            let oldPodsRunning = old.contains { $0.statusReplicas > 0 } || old.contains { replicaSet in
                guard let rsUID = ObjectView(replicaSet.json).uid else { return false }
                return controlled(Self.pods, namespace: name.namespace, by: rsUID).contains {
                    let phase = $0.object.value(atPath: "status.phase")?.stringValue
                    return phase != "Succeeded" && phase != "Failed"
                }
            }
            if active.isEmpty, !oldPodsRunning {
                if newName == nil {
                    newName = createReplicaSet(for: &deployment, replicas: spec.desired, old: old, changes: &changes)
                } else if let newSet, newSet.replicas != spec.desired {
                    scale(newSet, to: spec.desired)
                }
            }
            refresh()
        }
        refresh()
        if let newSet { syncRevision(of: newSet, deployment: &deployment, old: old, changes: &changes) }
        refresh()
        var result = changes + storeStatusIfChanged(deployment, name: name, all: all, newSet: newSet)
        if !spec.isPaused, let current = store.object(Self.deployments, name), Self.isComplete(current) {
            result += cleanUpHistory(old, limit: spec.revisionHistoryLimit)
        }
        return result
    }

    /// The ReplicaSets a Deployment controls, oldest first (`ReplicaSetsByCreationTimestamp`).
    private func ownedReplicaSets(uid: String, namespace: String) -> [OwnedReplicaSet] {
        controlled(Self.replicaSets, namespace: namespace, by: uid)
            .map { OwnedReplicaSet(name: $0.name, json: $0.object) }
            .sorted { (ObjectView($0.json).creationTimestamp ?? "", $0.name.name) < (ObjectView($1.json).creationTimestamp ?? "", $1.name.name) }
    }

    /// Scales old ReplicaSets down as far as `maxUnavailable` allows (`reconcileOldReplicaSets`): first
    /// the pods that are not available, then available ones above the minimum, oldest ReplicaSet first.
    /// - Returns: The old ReplicaSets to scale and their new replicas.
    static func oldScaleDowns(
        _ old: [OwnedReplicaSet], new: OwnedReplicaSet?, spec: DeploymentSpecView, all: [OwnedReplicaSet]
    ) -> [(OwnedReplicaSet, Int)] {
        let active = old.filter { $0.replicas > 0 }
        guard !active.isEmpty else { return [] }
        var budget = RolloutArithmetic.oldScaleDownBudget(
            desired: spec.desired, maxUnavailable: spec.maxUnavailable, allReplicas: all.reduce(0) { $0 + $1.replicas },
            newReplicas: new?.replicas ?? 0, newAvailable: new?.available ?? 0)
        guard budget > 0 else { return [] }
        var remaining: [String: Int] = [:]
        for replicaSet in active {
            let unhealthy = replicaSet.replicas - replicaSet.available
            let down = min(budget, max(0, unhealthy))
            remaining[replicaSet.name.name] = replicaSet.replicas - down
            budget -= down
        }
        var availableDown = RolloutArithmetic.availableScaleDown(
            desired: spec.desired, maxUnavailable: spec.maxUnavailable, available: all.reduce(0) { $0 + $1.available })
        var plan: [(OwnedReplicaSet, Int)] = []
        for replicaSet in active {
            var target = remaining[replicaSet.name.name] ?? replicaSet.replicas
            let down = min(target, availableDown)
            target -= down
            availableDown -= down
            if target != replicaSet.replicas { plan.append((replicaSet, target)) }
        }
        return plan
    }

    /// Creates the ReplicaSet for the Deployment's template (`getNewReplicaSet`): named
    /// `<deployment>-<pod-template-hash>`, the hash in its labels, selector and template, a controller
    /// reference, the next revision. A name taken by a ReplicaSet with another template bumps the
    /// Deployment's `collisionCount` instead, and the next round tries the next name.
    /// - Returns: The new ReplicaSet's name, or `nil` when none was made.
    private mutating func createReplicaSet(
        for deployment: inout JSONValue, replicas: Int, old: [OwnedReplicaSet], changes: inout [StoreChange]
    ) -> ObjectName? {
        let spec = DeploymentSpecView(json: deployment)
        guard let resource = registry.resource(Self.replicaSets), let deploymentName = ObjectView(deployment).name,
            let namespace = ObjectView(deployment).namespace
        else { return nil }
        let hash = PodTemplateHash.compute(spec.template, collisionCount: spec.collisionCount)
        let name = ObjectName(namespace: namespace, name: "\(deploymentName)-\(hash)")
        if store.object(Self.replicaSets, name) != nil {
            deployment = deployment.setting("status.collisionCount", to: .integer((spec.collisionCount ?? 0) + 1))
            return nil
        }
        let template = spec.template.setting("metadata.labels.\(PodTemplateHash.label)", to: .string(hash))
        let selector = (deployment.value(atPath: "spec.selector") ?? .object([:])).setting("matchLabels.\(PodTemplateHash.label)", to: .string(hash))
        var annotations = Self.copiedAnnotations(deployment)
        annotations[member: OwnedReplicaSet.revisionAnnotation] = .string(String((old.map(\.revision).max() ?? 0) + 1))
        annotations[member: "deployment.kubernetes.io/desired-replicas"] = .string(String(spec.desired))
        annotations[member: "deployment.kubernetes.io/max-replicas"] = .string(String(spec.desired + spec.surge))
        var rsSpec: JSONValue = ["replicas": .integer(Int64(replicas)), "selector": selector, "template": template]
        if let minReady = spec.minReadySeconds { rsSpec[member: "minReadySeconds"] = .integer(Int64(minReady)) }
        let body: JSONValue = [
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": [
                "name": .string(name.name), "labels": template.value(atPath: "metadata.labels") ?? .object([:]),
                "annotations": annotations, "ownerReferences": [Self.controllerReference(to: deployment)],
            ],
            "spec": rsSpec,
        ]
        do throws(APIError) {
            changes += try create(resource, namespace: namespace, body: body).changes
        } catch {
            return nil
        }
        if spec.hasProgressDeadline {
            var conditions = deployment.value(atPath: "status.conditions")?.arrayElements ?? []
            DeploymentStatus.set(
                &conditions, type: "Progressing", status: "True", reason: "NewReplicaSetCreated",
                message: "Created new replica set \"\(name.name)\"", now: timestamp())
            deployment = deployment.setting("status.conditions", to: .array(conditions))
        }
        return name
    }

    /// The Deployment's annotations a new ReplicaSet gets: all but kubectl's last-applied configuration
    /// and the controller's own bookkeeping.
    private static func copiedAnnotations(_ deployment: JSONValue) -> JSONValue {
        let skipped: Set<String> = [
            "kubectl.kubernetes.io/last-applied-configuration", OwnedReplicaSet.revisionAnnotation, "deployment.kubernetes.io/revision-history",
            "deployment.kubernetes.io/desired-replicas", "deployment.kubernetes.io/max-replicas", "deprecated.deployment.rollback.to",
        ]
        let kept = (deployment.value(atPath: "metadata.annotations")?.objectMembers ?? [:]).filter { !skipped.contains($0.key) }
        return .object(kept)
    }

    /// Keeps the revision annotations in step: a ReplicaSet that runs the template again (a rollback)
    /// gets the next revision, and the Deployment carries its ReplicaSet's revision. Also notes an
    /// existing ReplicaSet in the Progressing condition when there is none yet (`FoundNewReplicaSet`).
    private mutating func syncRevision(of newSet: OwnedReplicaSet, deployment: inout JSONValue, old: [OwnedReplicaSet], changes: inout [StoreChange]) {
        let next = (old.map(\.revision).max() ?? 0) + 1
        var revision = newSet.revision
        if revision < next {
            revision = next
            changes += storeIfChanged(
                Self.replicaSets, newSet.name, newSet.json.settingAnnotation(OwnedReplicaSet.revisionAnnotation, to: String(next)))
        }
        deployment = deployment.settingAnnotation(OwnedReplicaSet.revisionAnnotation, to: String(revision))
        let spec = DeploymentSpecView(json: deployment)
        var conditions = deployment.value(atPath: "status.conditions")?.arrayElements ?? []
        if spec.hasProgressDeadline, !conditions.contains(where: { $0[member: "type"]?.stringValue == "Progressing" }) {
            DeploymentStatus.set(
                &conditions, type: "Progressing", status: "True", reason: "FoundNewReplicaSet",
                message: "Found new replica set \"\(newSet.name.name)\"", now: timestamp())
            deployment = deployment.setting("status.conditions", to: .array(conditions))
        }
    }

    /// Sets a ReplicaSet's replicas with the annotations the controller keeps on it (`SetReplicasAnnotations`).
    private mutating func scaleReplicaSet(_ replicaSet: OwnedReplicaSet, to replicas: Int, for spec: DeploymentSpecView) -> [StoreChange] {
        guard let current = store.object(Self.replicaSets, replicaSet.name) else { return [] }
        let scaled = current.setting("spec.replicas", to: .integer(Int64(replicas)))
        var annotations = current.value(atPath: "metadata.annotations") ?? .object([:])
        annotations[member: "deployment.kubernetes.io/desired-replicas"] = .string(String(spec.desired))
        annotations[member: "deployment.kubernetes.io/max-replicas"] = .string(String(spec.desired + spec.surge))
        var next = scaled
        var metadata = next[member: "metadata"] ?? .object([:])
        metadata[member: "annotations"] = annotations
        next[member: "metadata"] = metadata
        return storeIfChanged(Self.replicaSets, replicaSet.name, next)
    }

    /// Writes the Deployment's status (and the revision annotation beside it) when either changed;
    /// a status write never bumps the generation.
    private mutating func storeStatusIfChanged(_ deployment: JSONValue, name: ObjectName, all: [OwnedReplicaSet], newSet: OwnedReplicaSet?) -> [StoreChange] {
        var next = deployment
        let spec = DeploymentSpecView(json: deployment)
        var conditions = deployment.value(atPath: "status.conditions")?.arrayElements ?? []
        let progressing = conditions.first { $0[member: "type"]?.stringValue == "Progressing" }?[member: "reason"]?.stringValue
        if spec.isPaused, progressing != "DeploymentPaused" {
            DeploymentStatus.set(&conditions, type: "Progressing", status: "Unknown", reason: "DeploymentPaused", message: "Deployment is paused", now: timestamp())
        } else if !spec.isPaused, progressing == "DeploymentPaused" {
            DeploymentStatus.set(&conditions, type: "Progressing", status: "Unknown", reason: "DeploymentResumed", message: "Deployment is resumed", now: timestamp())
        }
        next = next.setting("status.conditions", to: .array(conditions))
        next[member: "status"] = DeploymentStatus.compute(next, replicaSets: all, newReplicaSet: newSet, now: timestamp())
        guard let stored = store.object(Self.deployments, name), stored != next else { return [] }
        var view = ObjectView(next)
        view.generation = ObjectView(stored).generation
        return [store.put(Self.deployments, name, view.json)]
    }

    /// Whether a Deployment's rollout is done (`deploymentutil.DeploymentComplete`).
    static func isComplete(_ deployment: JSONValue) -> Bool {
        let desired = DeploymentSpecView(json: deployment).desired
        let status = deployment[member: "status"] ?? .object([:])
        return status.int(atPath: "updatedReplicas") == desired && status.int(atPath: "replicas") == desired
            && status.int(atPath: "availableReplicas") == desired
            && status.int(atPath: "observedGeneration") >= Int(ObjectView(deployment).generation ?? 0)
    }

    /// Deletes the oldest scaled-down ReplicaSets beyond the history limit (`cleanupDeployment`).
    private mutating func cleanUpHistory(_ old: [OwnedReplicaSet], limit: Int) -> [StoreChange] {
        let cleanable = old.filter { !$0.isDeleting }.sorted { ($0.revision, $0.name.name) < ($1.revision, $1.name.name) }
        guard cleanable.count > limit, let resource = registry.resource(Self.replicaSets) else { return [] }
        var changes: [StoreChange] = []
        for replicaSet in cleanable.prefix(cleanable.count - limit) {
            guard let current = store.object(Self.replicaSets, replicaSet.name) else { continue }
            let settled = current.int(atPath: "spec.replicas", fallback: 1) == 0 && current.int(atPath: "status.replicas") == 0
                && current.int(atPath: "status.observedGeneration") == Int(ObjectView(current).generation ?? 0)
            guard settled else { continue }
            if let made = try? delete(resource, namespace: replicaSet.name.namespace, name: replicaSet.name.name).changes { changes += made }
        }
        return changes
    }
}
