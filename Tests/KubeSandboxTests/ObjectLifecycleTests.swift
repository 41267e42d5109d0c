import Foundation
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

/// Create, read, replace and delete as the API Concepts document describes them: typed errors,
/// optimistic concurrency, generation, finalizers. Runs against a real cluster too.
@Suite struct ObjectLifecycleTests {
    @Test func createGetAndTheErrorsOfEach() async throws {
        try await TestCluster.run { cluster in
            let created = try await cluster.client.create(configMap("a", namespace: cluster.namespace))
            #expect(created.metadata.uid?.isEmpty == false)
            #expect(created.metadata.resourceVersion?.isEmpty == false)
            #expect(created.metadata.creationTimestamp != nil)
            let read = try await cluster.client.get(ConfigMap.self, name: "a", namespace: cluster.namespace)
            #expect(read.data == ["k": "v"] && read.metadata.uid == created.metadata.uid)

            let again = await errorCode { _ = try await cluster.client.create(configMap("a", namespace: cluster.namespace)) }
            #expect(again == .alreadyExists)
            let missing = await errorCode { _ = try await cluster.client.get(ConfigMap.self, name: "nope", namespace: cluster.namespace) }
            #expect(missing == .notFound)
            let noNamespace = await errorCode { _ = try await cluster.client.create(configMap("a", namespace: "no-such-namespace-sbt")) }
            #expect(noNamespace == .notFound)
            let badName = await errorCode { _ = try await cluster.client.create(configMap("Not_A_Name", namespace: cluster.namespace)) }
            #expect(badName == .invalid)
        }
    }

    @Test func aStaleResourceVersionConflictsAndANoOpWriteKeepsTheVersion() async throws {
        try await TestCluster.run { cluster in
            let created = try await cluster.client.create(configMap("a", namespace: cluster.namespace))
            var first = created
            first.data = ["k": "1"]
            let updated = try await cluster.client.replace(first)
            #expect(updated.metadata.resourceVersion != created.metadata.resourceVersion)

            var stale = created
            stale.data = ["k": "2"]
            let conflict = await errorCode { _ = try await cluster.client.replace(stale) }
            #expect(conflict == .conflict)

            let unchanged = try await cluster.client.replace(updated)
            #expect(unchanged.metadata.resourceVersion == updated.metadata.resourceVersion)
        }
    }

    @Test func generationCountsSpecChangesOnly() async throws {
        try await TestCluster.run { cluster in
            let deployment = Deployment(
                metadata: ObjectMeta(name: "web", namespace: cluster.namespace),
                spec: DeploymentSpec(
                    replicas: 0, selector: LabelSelector(matchLabels: ["app": "web"]),
                    template: PodTemplateSpec(
                        metadata: ObjectMeta(labels: ["app": "web"]),
                        spec: PodSpec(containers: [Container(name: "web", image: "example.invalid/web:1")]))))
            let created = try await cluster.client.create(deployment)
            #expect(created.metadata.generation == 1)

            var labelled = created
            labelled.metadata.labels = ["tier": "front"]
            let afterLabel = try await cluster.client.replace(labelled)
            #expect(afterLabel.metadata.generation == 1)

            var scaled = afterLabel
            scaled.spec?.replicas = 0
            scaled.spec?.template?.spec?.containers?[0].image = "example.invalid/web:2"
            let afterSpec = try await cluster.client.replace(scaled)
            #expect(afterSpec.metadata.generation == 2)
        }
    }

    @Test func finalizersHoldADeletedObjectUntilTheyAreRemoved() async throws {
        try await TestCluster.run { cluster in
            var map = configMap("held", namespace: cluster.namespace)
            map.metadata.finalizers = ["example.com/cleanup"]
            _ = try await cluster.client.create(map)

            let result = try await cluster.client.delete(ConfigMap.self, name: "held", namespace: cluster.namespace)
            guard case .accepted(let deleting) = result else {
                Issue.record("a delete with a finalizer left must return the object, got \(result)")
                return
            }
            #expect(deleting.metadata.deletionTimestamp != nil)
            #expect(deleting.metadata.finalizers == ["example.com/cleanup"])

            var more = deleting
            more.metadata.finalizers = ["example.com/cleanup", "example.com/another"]
            let refused = await errorCode { _ = try await cluster.client.replace(more) }
            #expect(refused == .invalid)

            var released = deleting
            released.metadata.finalizers = []
            _ = try await cluster.client.replace(released)
            let gone = await errorCode { _ = try await cluster.client.get(ConfigMap.self, name: "held", namespace: cluster.namespace) }
            #expect(gone == .notFound)
        }
    }

    @Test func aDeleteWithoutFinalizersRemovesAtOnce() async throws {
        try await TestCluster.run { cluster in
            let created = try await cluster.client.create(configMap("a", namespace: cluster.namespace))
            let options = KubeCore.DeleteOptions(preconditionUID: "not-the-uid")
            let wrongUID = await errorCode { _ = try await cluster.client.delete(ConfigMap.self, name: "a", namespace: cluster.namespace, options: options) }
            #expect(wrongUID == .conflict)

            let result = try await cluster.client.delete(ConfigMap.self, name: "a", namespace: cluster.namespace)
            guard case .deleted(let status) = result else {
                Issue.record("a ConfigMap without finalizers is removed at once, with a Status, got \(result)")
                return
            }
            #expect(status.details?.uid == created.metadata.uid)
            let gone = await errorCode { _ = try await cluster.client.get(ConfigMap.self, name: "a", namespace: cluster.namespace) }
            #expect(gone == .notFound)
        }
    }

    @Test func aBadTokenIsUnauthorized() async throws {
        try await TestCluster.run { cluster in
            var configuration = cluster.configuration
            configuration.credentials = .bearerToken("not-a-valid-token")
            let client = try KubeClient(configuration: configuration)
            let code = await errorCode { _ = try await client.get(ConfigMap.self, name: "a", namespace: cluster.namespace) }
            try await client.shutdown()
            #expect(code == .unauthorized)
        }
    }
}
