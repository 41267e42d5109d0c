import Foundation
import KubeCore
import Testing

@testable import KubeSandbox

/// The deployment controller's pure parts: the pod-template hash, the rolling-update arithmetic, the
/// pod ranking for scale-down, and one write of a Deployment through the state's controllers.
@Suite struct DeploymentControllerTests {
    private let template: JSONValue = [
        "metadata": ["labels": ["app": "web"]],
        "spec": ["containers": [["name": "main", "image": "registry.k8s.io/pause:3.9"]]],
    ]

    @Test func fnv32aMatchesItsPublishedVectors() {
        #expect(PodTemplateHash.fnv32a([]) == 0x811c_9dc5)
        #expect(PodTemplateHash.fnv32a(Array("a".utf8)) == 0xe40c_292c)
        #expect(PodTemplateHash.fnv32a(Array("foobar".utf8)) == 0xbf9c_f968)
    }

    @Test func safeEncodingMapsEachCharacterOntoTheNameAlphabet() {
        // '0' is 48, and 48 % 27 = 21, the alphabet's '4'; '9' is 57, 57 % 27 = 3, its 'f'.
        #expect(PodTemplateHash.safeEncode("0129") == "456f")
    }

    @Test func theHashDependsOnContentAndCollisionCountOnly() {
        let hash = PodTemplateHash.compute(template, collisionCount: nil)
        #expect(!hash.isEmpty && hash.count <= 10)
        #expect(hash.utf8.allSatisfy { PodTemplateHash.alphabet.contains($0) })
        // The same content written in another order is the same template.
        let reordered: JSONValue = [
            "spec": ["containers": [["image": "registry.k8s.io/pause:3.9", "name": "main"]]], "metadata": ["labels": ["app": "web"]],
        ]
        #expect(PodTemplateHash.compute(reordered, collisionCount: nil) == hash)
        #expect(PodTemplateHash.compute(template, collisionCount: 1) != hash)
        #expect(PodTemplateHash.compute(template, collisionCount: 1) != PodTemplateHash.compute(template, collisionCount: 2))
        let changed = template.setting("spec.containers", to: [["name": "main", "image": "registry.k8s.io/pause:3.8"]])
        #expect(PodTemplateHash.compute(changed, collisionCount: nil) != hash)
    }

    @Test func templatesAreComparedWithoutTheirHashLabel() {
        let labelled = template.setting("metadata.labels.pod-template-hash", to: "abc")
        #expect(PodTemplateHash.equalIgnoringHash(labelled, template))
        #expect(!PodTemplateHash.equalIgnoringHash(labelled.setting("metadata.labels.tier", to: "x"), template))
        let bare: JSONValue = ["spec": ["containers": [["name": "main"]]]]
        #expect(PodTemplateHash.equalIgnoringHash(bare.setting("metadata.labels.pod-template-hash", to: "abc"), bare))
        // An unset field written as null or empty is the same template, and hashes the same.
        let spelledOut = bare.setting("metadata.creationTimestamp", to: .null).setting("spec.containers", to: [["name": "main", "resources": [:]]])
        #expect(PodTemplateHash.equalIgnoringHash(spelledOut, bare))
        #expect(PodTemplateHash.compute(spelledOut, collisionCount: nil) == PodTemplateHash.compute(bare, collisionCount: nil))
    }

    @Test func surgeRoundsUpAndUnavailabilityRoundsDown() {
        #expect(RolloutArithmetic.fenceposts(maxSurge: nil, maxUnavailable: nil, desired: 3) == (1, 0))
        #expect(RolloutArithmetic.fenceposts(maxSurge: nil, maxUnavailable: nil, desired: 10) == (3, 2))
        #expect(RolloutArithmetic.fenceposts(maxSurge: 2, maxUnavailable: "50%", desired: 5) == (2, 2))
        // Both zero would let nothing move: one pod may be unavailable.
        #expect(RolloutArithmetic.fenceposts(maxSurge: 0, maxUnavailable: 0, desired: 4) == (0, 1))
        #expect(RolloutArithmetic.fenceposts(maxSurge: "0%", maxUnavailable: "10%", desired: 1) == (0, 1))
    }

    @Test func maxUnavailableIsCappedAndZeroForRecreate() {
        #expect(RolloutArithmetic.maxUnavailable(rolling: true, maxSurge: 0, maxUnavailable: 5, desired: 2) == 2)
        #expect(RolloutArithmetic.maxUnavailable(rolling: false, maxSurge: nil, maxUnavailable: nil, desired: 8) == 0)
        #expect(RolloutArithmetic.maxUnavailable(rolling: true, maxSurge: nil, maxUnavailable: nil, desired: 0) == 0)
    }

    @Test func theNewReplicaSetGrowsWithinTheSurge() {
        // A first rollout: no old pods, straight to the desired count.
        #expect(RolloutArithmetic.newReplicaSetReplicas(desired: 3, surge: 1, allReplicas: 0, newReplicas: 0) == 3)
        // Three old pods and a surge of one: one new pod first.
        #expect(RolloutArithmetic.newReplicaSetReplicas(desired: 3, surge: 1, allReplicas: 3, newReplicas: 0) == 1)
        // At the ceiling already: no more.
        #expect(RolloutArithmetic.newReplicaSetReplicas(desired: 3, surge: 1, allReplicas: 4, newReplicas: 1) == 1)
        // Scaling up one ReplicaSet is a rollout with room to grow.
        #expect(RolloutArithmetic.newReplicaSetReplicas(desired: 5, surge: 2, allReplicas: 1, newReplicas: 1) == 5)
    }

    @Test func oldPodsGoOnlyAboveTheMinimumAvailable() {
        // desired 3, maxUnavailable 0: 4 pods wanted, new one not available yet, so no old pod may go.
        #expect(RolloutArithmetic.oldScaleDownBudget(desired: 3, maxUnavailable: 0, allReplicas: 4, newReplicas: 1, newAvailable: 0) == 0)
        #expect(RolloutArithmetic.oldScaleDownBudget(desired: 3, maxUnavailable: 0, allReplicas: 4, newReplicas: 1, newAvailable: 1) == 1)
        #expect(RolloutArithmetic.availableScaleDown(desired: 3, maxUnavailable: 0, available: 4) == 1)
        #expect(RolloutArithmetic.availableScaleDown(desired: 3, maxUnavailable: 1, available: 2) == 0)
    }

    @Test func surplusPodsAreRankedAsTheControllerRanksThem() {
        func pod(_ name: String, node: String?, phase: String, ready: Bool, restarts: Int64 = 0, created: String = "2024-01-01T00:00:00Z") -> JSONValue {
            [
                "metadata": ["name": .string(name), "creationTimestamp": .string(created)],
                "spec": node.map { ["nodeName": .string($0)] } ?? .object([:]),
                "status": [
                    "phase": .string(phase),
                    "conditions": [["type": "Ready", "status": ready ? "True" : "False", "lastTransitionTime": "2024-01-01T00:00:00Z"]],
                    "containerStatuses": [["name": "main", "restartCount": .integer(restarts)]],
                ],
            ]
        }
        let pods = [
            pod("old-ready", node: "n", phase: "Running", ready: true),
            pod("new-ready", node: "n", phase: "Running", ready: true, created: "2024-01-02T00:00:00Z"),
            pod("restarted", node: "n", phase: "Running", ready: true, restarts: 3),
            pod("unready", node: "n", phase: "Running", ready: false),
            pod("pending", node: "n", phase: "Pending", ready: false),
            pod("unscheduled", node: nil, phase: "Pending", ready: false),
        ]
        let order = SandboxState.rankedForDeletion(pods).compactMap { ObjectView($0).name }
        #expect(order == ["unscheduled", "pending", "unready", "restarted", "new-ready", "old-ready"])
    }

    @Test func oneWriteMakesTheReplicaSetAndItsScheduledPods() throws {
        var state = SandboxState()
        let namespaces = try #require(state.registry.resource(group: "", version: "v1", plural: "namespaces"))
        let deployments = try #require(state.registry.resource(group: "apps", version: "v1", plural: "deployments"))
        _ = try state.create(namespaces, namespace: nil, body: ["metadata": ["name": "ns"]])
        let body: JSONValue = [
            "metadata": ["name": "web"],
            "spec": ["replicas": 3, "selector": ["matchLabels": ["app": "web"]], "template": template],
        ]
        let (_, made) = try state.create(deployments, namespace: "ns", body: body)
        let changes = made + state.runControllers(after: made, workloads: true)

        let sets = state.store.objects(SandboxState.replicaSets, namespace: "ns")
        #expect(sets.count == 1)
        let hash = PodTemplateHash.compute(template, collisionCount: nil)
        #expect(sets.first?.name.name == "web-\(hash)")
        let pods = state.store.objects(SandboxState.pods, namespace: "ns").map(\.object)
        #expect(pods.count == 3)
        #expect(pods.allSatisfy { $0.value(atPath: "spec.nodeName")?.stringValue == SandboxState.nodeName })
        #expect(pods.allSatisfy { $0.value(atPath: "status.phase")?.stringValue == "Pending" })
        let events = PodRuntimeEvent.events(in: changes)
        #expect(events.count == 3 && events.allSatisfy { $0.kind == .run })

        let deployment = try #require(state.store.object(SandboxState.deployments, ObjectName(namespace: "ns", name: "web")))
        #expect(deployment.value(atPath: "metadata.generation") == 1)
        #expect(deployment.value(atPath: "status.observedGeneration") == 1)
        #expect(deployment.value(atPath: "status.replicas") == 3)
        #expect(deployment.value(atPath: "status.readyReplicas") == nil)
        // Converged: the controllers shown every change again have nothing left to write.
        #expect(state.reconcileWorkloads(after: changes).isEmpty)
    }

    @Test func selectorsAreWrittenAsLabelsSelectorStringWritesThem() {
        let selector: JSONValue = [
            "matchLabels": ["tier": "front", "app": "web"],
            "matchExpressions": [
                ["key": "env", "operator": "In", "values": ["prod", "dev"]], ["key": "legacy", "operator": "DoesNotExist"],
                ["key": "zone", "operator": "Exists"],
            ],
        ]
        #expect(SandboxState.selectorText(selector) == "app=web,env in (dev,prod),!legacy,tier=front,zone")
    }

    @Test func theScaleSubresourceReadsAndSetsReplicas() throws {
        var state = SandboxState()
        let namespaces = try #require(state.registry.resource(group: "", version: "v1", plural: "namespaces"))
        let deployments = try #require(state.registry.resource(group: "apps", version: "v1", plural: "deployments"))
        _ = try state.create(namespaces, namespace: nil, body: ["metadata": ["name": "ns"]])
        let body: JSONValue = ["metadata": ["name": "web"], "spec": ["replicas": 2, "selector": ["matchLabels": ["app": "web"]], "template": template]]
        let created = try state.create(deployments, namespace: "ns", body: body).object

        let scale = try state.scale(deployments, namespace: "ns", name: "web")
        #expect(scale["kind"] == "Scale" && scale["apiVersion"] == "autoscaling/v1")
        #expect(scale["metadata"]?["uid"] == created["metadata"]?["uid"])
        #expect(scale["spec"]?["replicas"] == 2 && scale["status"]?["selector"] == "app=web")

        let put = try state.updateScale(deployments, namespace: "ns", name: "web", body: ["spec": ["replicas": 5]])
        #expect(put.object["spec"]?["replicas"] == 5)
        #expect(state.store.object(SandboxState.deployments, ObjectName(namespace: "ns", name: "web"))?.value(atPath: "metadata.generation") == 2)

        let patched = try state.patchScale(
            deployments, namespace: "ns", name: "web", patch: PatchRequest(format: .merge, body: ["spec": ["replicas": 1]]))
        #expect(patched.object["spec"]?["replicas"] == 1)

        #expect(throws: APIError.self) { try state.updateScale(deployments, namespace: "ns", name: "web", body: ["spec": ["replicas": -1]]) }
        do {
            _ = try state.updateScale(deployments, namespace: "ns", name: "web", body: ["metadata": ["resourceVersion": "1"], "spec": ["replicas": 3]])
            Issue.record("a stale resourceVersion must conflict")
        } catch {
            #expect(error.code == 409)
        }
    }
}
