import Foundation
import KubeClient
import KubeCore
import KubeSandbox
import KubeTestSupport
import Synchronization
import Testing

/// Deployments, ReplicaSets and pods as the controller-manager, scheduler and kubelet run them. The
/// HTTP tests hold on a real cluster too (where pods really run, hence the pause image); the hook tests
/// are the sandbox's own.
@Suite struct WorkloadTests {
    static let replicaSets = ResourceDescriptor(group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", namespaced: true)

    private func deployment(_ name: String, in cluster: TestCluster, replicas: Int32, strategy: String? = nil) -> Deployment {
        Deployment(
            metadata: ObjectMeta(name: name, namespace: cluster.namespace),
            spec: DeploymentSpec(
                replicas: replicas, selector: LabelSelector(matchLabels: ["app": name]),
                template: PodTemplateSpec(
                    metadata: ObjectMeta(labels: ["app": name]),
                    spec: PodSpec(containers: [Container(name: "main", image: "registry.k8s.io/pause:3.9")], terminationGracePeriodSeconds: 1)),
                strategy: strategy.map { DeploymentStrategy(type: $0) }))
    }

    private func replicaSets(in cluster: TestCluster) async throws -> [JSONValue] {
        try await cluster.client.list(Self.replicaSets, namespace: cluster.namespace).items
    }

    /// The pods of a Deployment that are not being deleted.
    private func livePods(_ app: String, in cluster: TestCluster) async throws -> [Pod] {
        try await cluster.client.list(Pod.self, namespace: cluster.namespace, options: ListOptions(labelSelector: "app=\(app)")).items
            .filter { $0.metadata.deletionTimestamp == nil }
    }

    private func isReady(_ pod: Pod) -> Bool {
        pod.status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } == true
    }

    /// Waits until the Deployment has rolled out `replicas` ready pods of its current generation.
    private func waitForRollout(_ name: String, replicas: Int32, in cluster: TestCluster) async throws {
        try await eventually {
            guard let current = try? await cluster.client.get(Deployment.self, name: name, namespace: cluster.namespace) else { return false }
            let status = current.status
            return status?.observedGeneration == current.metadata.generation && (status?.readyReplicas ?? 0) == replicas
                && (status?.availableReplicas ?? 0) == replicas && (status?.updatedReplicas ?? 0) == replicas && (status?.replicas ?? 0) == replicas
        }
    }

    @Test func aDeploymentGetsAReplicaSetAndPodsAndBecomesAvailable() async throws {
        try await TestCluster.run { cluster in
            let created = try await cluster.client.create(deployment("web", in: cluster, replicas: 2))
            try await waitForRollout("web", replicas: 2, in: cluster)

            let sets = try await replicaSets(in: cluster)
            #expect(sets.count == 1)
            let set = try #require(sets.first)
            let hash = try #require(set["metadata"]?["labels"]?["pod-template-hash"]?.stringValue)
            #expect(set["metadata"]?["name"]?.stringValue == "web-\(hash)")
            #expect(set["spec"]?["selector"]?["matchLabels"]?["pod-template-hash"]?.stringValue == hash)
            #expect(set["metadata"]?["annotations"]?["deployment.kubernetes.io/revision"] == "1")
            let owner = try #require(set["metadata"]?["ownerReferences"]?[0])
            #expect(owner["uid"]?.stringValue == created.metadata.uid)
            #expect(owner["kind"] == "Deployment" && owner["controller"] == true && owner["blockOwnerDeletion"] == true)

            let pods = try await livePods("web", in: cluster)
            #expect(pods.count == 2)
            for pod in pods {
                #expect(pod.metadata.name?.hasPrefix("web-\(hash)-") == true)
                #expect(pod.metadata.name?.count == "web-\(hash)-".count + 5)
                #expect(pod.metadata.labels?["pod-template-hash"] == hash)
                #expect(pod.metadata.ownerReferences?.first?.uid == set["metadata"]?["uid"]?.stringValue)
                #expect(pod.metadata.ownerReferences?.first?.controller == true)
                #expect(pod.status?.phase == "Running" && isReady(pod))
                #expect(pod.spec?.nodeName?.isEmpty == false)
                #expect(pod.status?.podIP != nil && pod.status?.startTime != nil)
                #expect(pod.status?.containerStatuses?.first?.state?.running != nil)
            }

            let ready = try await cluster.client.get(Deployment.self, name: "web", namespace: cluster.namespace)
            let available = ready.status?.conditions?.first { $0.type == "Available" }
            #expect(available?.status == "True" && available?.reason == "MinimumReplicasAvailable")
            let progressing = ready.status?.conditions?.first { $0.type == "Progressing" }
            #expect(progressing?.status == "True" && progressing?.reason == "NewReplicaSetAvailable")
            #expect(progressing?.message == "ReplicaSet \"web-\(hash)\" has successfully progressed.")
            #expect(ready.metadata.annotations?["deployment.kubernetes.io/revision"] == "1")
        }
    }

    @Test func scalingChangesThePodCountBothWays() async throws {
        try await TestCluster.run { cluster in
            _ = try await cluster.client.create(deployment("scaled", in: cluster, replicas: 1))
            try await waitForRollout("scaled", replicas: 1, in: cluster)

            var up = try await cluster.client.get(Deployment.self, name: "scaled", namespace: cluster.namespace)
            up.spec?.replicas = 3
            _ = try await cluster.client.replace(up)
            try await waitForRollout("scaled", replicas: 3, in: cluster)
            try await eventually { (try? await livePods("scaled", in: cluster).filter(isReady).count) == 3 }

            var down = try await cluster.client.get(Deployment.self, name: "scaled", namespace: cluster.namespace)
            down.spec?.replicas = 1
            _ = try await cluster.client.replace(down)
            try await waitForRollout("scaled", replicas: 1, in: cluster)
            try await eventually { (try? await livePods("scaled", in: cluster).count) == 1 }
            // Scaling keeps the one ReplicaSet: only a template change makes another.
            #expect(try await replicaSets(in: cluster).count == 1)
        }
    }

    @Test func aTemplateChangeRollsToANewReplicaSet() async throws {
        try await TestCluster.run { cluster in
            _ = try await cluster.client.create(deployment("rolled", in: cluster, replicas: 2))
            try await waitForRollout("rolled", replicas: 2, in: cluster)
            let first = try #require(try await replicaSets(in: cluster).first?["metadata"]?["name"]?.stringValue)

            var changed = try await cluster.client.get(Deployment.self, name: "rolled", namespace: cluster.namespace)
            changed.spec?.template?.metadata?.annotations = ["example.com/rollout": "2"]
            _ = try await cluster.client.replace(changed)
            try await waitForRollout("rolled", replicas: 2, in: cluster)
            try await eventually {
                guard let sets = try? await replicaSets(in: cluster), sets.count == 2 else { return false }
                let old = sets.first { $0["metadata"]?["name"]?.stringValue == first }
                let new = sets.first { $0["metadata"]?["name"]?.stringValue != first }
                return old?["spec"]?["replicas"] == 0 && new?["status"]?["readyReplicas"] == 2
                    && new?["metadata"]?["annotations"]?["deployment.kubernetes.io/revision"] == "2"
            }
            try await eventually {
                guard let pods = try? await livePods("rolled", in: cluster) else { return false }
                return pods.count == 2 && pods.allSatisfy { $0.metadata.annotations?["example.com/rollout"] == "2" }
            }
            let rolled = try await cluster.client.get(Deployment.self, name: "rolled", namespace: cluster.namespace)
            #expect(rolled.metadata.annotations?["deployment.kubernetes.io/revision"] == "2")
        }
    }

    @Test func aRecreateRolloutReplacesEveryPod() async throws {
        try await TestCluster.run { cluster in
            _ = try await cluster.client.create(deployment("recreated", in: cluster, replicas: 2, strategy: "Recreate"))
            try await waitForRollout("recreated", replicas: 2, in: cluster)
            let before = Set(try await livePods("recreated", in: cluster).compactMap(\.metadata.name))

            var changed = try await cluster.client.get(Deployment.self, name: "recreated", namespace: cluster.namespace)
            changed.spec?.template?.metadata?.annotations = ["example.com/rollout": "2"]
            _ = try await cluster.client.replace(changed)
            try await waitForRollout("recreated", replicas: 2, in: cluster)
            try await eventually {
                guard let pods = try? await livePods("recreated", in: cluster) else { return false }
                return pods.count == 2 && Set(pods.compactMap(\.metadata.name)).isDisjoint(with: before)
            }
        }
    }

    @Test func deletingADeploymentRemovesItsReplicaSetsAndPods() async throws {
        try await TestCluster.run { cluster in
            _ = try await cluster.client.create(deployment("doomed", in: cluster, replicas: 2))
            try await waitForRollout("doomed", replicas: 2, in: cluster)
            _ = try await cluster.client.delete(Deployment.self, name: "doomed", namespace: cluster.namespace)
            try await eventually { (try? await replicaSets(in: cluster).isEmpty) == true }
            try await eventually {
                (try? await cluster.client.list(Pod.self, namespace: cluster.namespace, options: ListOptions(labelSelector: "app=doomed")).items.isEmpty)
                    == true
            }
        }
    }

    @Test func aDeletedPodIsReplacedByItsReplicaSet() async throws {
        try await TestCluster.run { cluster in
            _ = try await cluster.client.create(deployment("healing", in: cluster, replicas: 1))
            try await waitForRollout("healing", replicas: 1, in: cluster)
            let victim = try #require(try await livePods("healing", in: cluster).first)
            _ = try await cluster.client.delete(victim)
            try await eventually {
                guard let pods = try? await livePods("healing", in: cluster) else { return false }
                return pods.count == 1 && pods[0].metadata.uid != victim.metadata.uid && isReady(pods[0])
            }
        }
    }

    // MARK: - The sandbox's own

    @Test func aPodDeletionIsGracefulUntilTheRuntimeConfirms() async throws {
        let runtime = RecordingPodRuntime()
        var configuration = Sandbox.Configuration()
        configuration.podRuntime = runtime
        try await TestCluster.run(sandboxConfiguration: configuration) { cluster in
            guard let server = cluster.sandboxOnly("the pod runtime is the sandbox's own") else { return }
            _ = try await cluster.client.create(deployment("held", in: cluster, replicas: 1))
            try await eventually { runtime.started.count == 1 }
            let pod = try #require(runtime.started.first)
            // A runtime that has not reported leaves the pod scheduled but Pending.
            let pending = try await cluster.client.get(Pod.self, name: pod.name, namespace: pod.namespace)
            #expect(pending.status?.phase == "Pending" && pending.spec?.nodeName == "sandbox-node")

            _ = try await cluster.client.delete(Pod.self, name: pod.name, namespace: pod.namespace)
            try await eventually { runtime.stopped == [pod] }
            let terminating = try await cluster.client.get(Pod.self, name: pod.name, namespace: pod.namespace)
            #expect(terminating.metadata.deletionTimestamp != nil && terminating.metadata.deletionGracePeriodSeconds == 1)

            server.sandbox.confirmPodTermination(pod)
            #expect(await errorCode { _ = try await cluster.client.get(Pod.self, name: pod.name, namespace: pod.namespace) } == .notFound)
        }
    }

    @Test func anUnreadyPodLowersReadyReplicas() async throws {
        try await TestCluster.run { cluster in
            guard let server = cluster.sandboxOnly("readiness hooks are the sandbox's own") else { return }
            _ = try await cluster.client.create(deployment("flaky", in: cluster, replicas: 2))
            try await waitForRollout("flaky", replicas: 2, in: cluster)
            let pod = try #require(try await livePods("flaky", in: cluster).first?.metadata.name)

            #expect(server.sandbox.makePodUnready(namespace: cluster.namespace, name: pod))
            let unready = try await cluster.client.get(Deployment.self, name: "flaky", namespace: cluster.namespace)
            #expect(unready.status?.readyReplicas == 1 && unready.status?.availableReplicas == 1 && unready.status?.unavailableReplicas == 1)
            let available = unready.status?.conditions?.first { $0.type == "Available" }
            #expect(available?.status == "False" && available?.reason == "MinimumReplicasUnavailable")
            let stillRunning = try await cluster.client.get(Pod.self, name: pod, namespace: cluster.namespace)
            #expect(stillRunning.status?.phase == "Running" && !isReady(stillRunning))

            #expect(server.sandbox.makePodReady(namespace: cluster.namespace, name: pod))
            let recovered = try await cluster.client.get(Deployment.self, name: "flaky", namespace: cluster.namespace)
            #expect(recovered.status?.readyReplicas == 2)
            #expect(recovered.status?.conditions?.first { $0.type == "Available" }?.status == "True")
        }
    }

    @Test func aCrashShowsCrashLoopBackOffAndARestart() async throws {
        try await TestCluster.run { cluster in
            guard let server = cluster.sandboxOnly("crash hooks are the sandbox's own") else { return }
            _ = try await cluster.client.create(deployment("crashy", in: cluster, replicas: 1))
            try await waitForRollout("crashy", replicas: 1, in: cluster)
            let name = try #require(try await livePods("crashy", in: cluster).first?.metadata.name)

            #expect(server.sandbox.crashPod(namespace: cluster.namespace, name: name))
            #expect(server.sandbox.crashPod(namespace: cluster.namespace, name: name))
            let pod = try await cluster.client.get(Pod.self, name: name, namespace: cluster.namespace)
            let container = try #require(pod.status?.containerStatuses?.first)
            #expect(container.restartCount == 2 && container.ready == false)
            #expect(container.state?.waiting?.reason == "CrashLoopBackOff")
            #expect(container.state?.waiting?.message?.hasPrefix("back-off 20s restarting failed container=main pod=\(name)_") == true)
            #expect(container.lastState?.terminated?.exitCode == 1)
            #expect(pod.status?.phase == "Running" && !isReady(pod))
            let deployment = try await cluster.client.get(Deployment.self, name: "crashy", namespace: cluster.namespace)
            #expect((deployment.status?.readyReplicas ?? 0) == 0)
        }
    }

    @Test func withoutWorkloadsADeploymentJustSits() async throws {
        var configuration = Sandbox.Configuration()
        configuration.workloads = false
        try await TestCluster.run(sandboxConfiguration: configuration) { cluster in
            guard cluster.sandboxOnly("a real cluster always runs its controllers") != nil else { return }
            _ = try await cluster.client.create(deployment("idle", in: cluster, replicas: 2))
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await replicaSets(in: cluster).isEmpty)
            let idle = try await cluster.client.get(Deployment.self, name: "idle", namespace: cluster.namespace)
            #expect(idle.status?.observedGeneration == nil)
        }
    }
}

/// A pod runtime that only records what it is told, so a test decides when pods stop.
final class RecordingPodRuntime: PodRuntime {
    private let events = Mutex<[PodRuntimeEvent]>([])

    func handle(_ events: [PodRuntimeEvent], from sandbox: Sandbox) {
        self.events.withLock { $0 += events }
    }

    var started: [PodReference] { events.withLock { $0.filter { $0.kind == .run }.map(\.pod) } }
    var stopped: [PodReference] {
        events.withLock { $0.filter { if case .stop = $0.kind { true } else { false } }.map(\.pod) }
    }
}
