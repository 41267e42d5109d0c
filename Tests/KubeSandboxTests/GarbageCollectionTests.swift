import Foundation
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

/// Garbage collection through ownerReferences, with the three propagation policies the
/// garbage-collection document describes. Runs against a real cluster too (where it takes seconds).
@Suite struct GarbageCollectionTests {
    private func dependent(_ name: String, of owner: ConfigMap, in cluster: TestCluster, blocking: Bool = false) -> ConfigMap {
        var map = configMap(name, namespace: cluster.namespace)
        map.metadata.ownerReferences = [
            OwnerReference(
                apiVersion: "v1", kind: "ConfigMap", name: owner.metadata.name, uid: owner.metadata.uid,
                blockOwnerDeletion: blocking ? true : nil)
        ]
        return map
    }

    private func isGone(_ name: String, in cluster: TestCluster) async -> Bool {
        await errorCode { _ = try await cluster.client.get(ConfigMap.self, name: name, namespace: cluster.namespace) } == .notFound
    }

    @Test func backgroundDeletionRemovesDependentsAfterTheirOwner() async throws {
        try await TestCluster.run { cluster in
            let owner = try await cluster.client.create(configMap("owner", namespace: cluster.namespace))
            let other = try await cluster.client.create(configMap("other-owner", namespace: cluster.namespace))
            _ = try await cluster.client.create(dependent("child", of: owner, in: cluster))
            var shared = dependent("shared", of: owner, in: cluster)
            shared.metadata.ownerReferences?.append(OwnerReference(apiVersion: "v1", kind: "ConfigMap", name: "other-owner", uid: other.metadata.uid))
            _ = try await cluster.client.create(shared)

            _ = try await cluster.client.delete(ConfigMap.self, name: "owner", namespace: cluster.namespace)
            try await eventually { await isGone("child", in: cluster) }
            // A dependent with another owner alive stays, without the reference to the one that went.
            try await eventually {
                let kept = try? await cluster.client.get(ConfigMap.self, name: "shared", namespace: cluster.namespace)
                return kept?.metadata.ownerReferences?.map(\.uid) == [other.metadata.uid]
            }
        }
    }

    @Test func orphanDeletionKeepsDependentsAndDropsTheirReference() async throws {
        try await TestCluster.run { cluster in
            let owner = try await cluster.client.create(configMap("owner", namespace: cluster.namespace))
            _ = try await cluster.client.create(dependent("child", of: owner, in: cluster))
            _ = try await cluster.client.delete(
                ConfigMap.self, name: "owner", namespace: cluster.namespace, options: KubeCore.DeleteOptions(propagationPolicy: .orphan))
            try await eventually { await isGone("owner", in: cluster) }
            let child = try await cluster.client.get(ConfigMap.self, name: "child", namespace: cluster.namespace)
            #expect(child.metadata.ownerReferences?.isEmpty ?? true)
        }
    }

    @Test func foregroundDeletionWaitsForBlockingDependents() async throws {
        try await TestCluster.run { cluster in
            let owner = try await cluster.client.create(configMap("owner", namespace: cluster.namespace))
            var held = dependent("held", of: owner, in: cluster, blocking: true)
            held.metadata.finalizers = ["example.com/hold"]
            _ = try await cluster.client.create(held)

            _ = try await cluster.client.delete(
                ConfigMap.self, name: "owner", namespace: cluster.namespace, options: KubeCore.DeleteOptions(propagationPolicy: .foreground))
            try await eventually {
                let child = try? await cluster.client.get(ConfigMap.self, name: "held", namespace: cluster.namespace)
                return child?.metadata.deletionTimestamp != nil
            }
            let waiting = try await cluster.client.get(ConfigMap.self, name: "owner", namespace: cluster.namespace)
            #expect(waiting.metadata.deletionTimestamp != nil)
            #expect(waiting.metadata.finalizers?.contains("foregroundDeletion") == true)

            var release = try await cluster.client.get(ConfigMap.self, name: "held", namespace: cluster.namespace)
            release.metadata.finalizers = []
            _ = try await cluster.client.replace(release)
            try await eventually { await isGone("held", in: cluster) }
            try await eventually { await isGone("owner", in: cluster) }
        }
    }
}
