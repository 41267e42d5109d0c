import Foundation
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

/// Namespace deletion as the namespace lifecycle describes it: Terminating, no new content, contents
/// deleted (waiting for their finalizers), then gone. Runs against a real cluster too.
@Suite struct NamespaceLifecycleTests {
    @Test func aDeletedNamespaceTerminatesRefusesNewObjectsAndGoesWhenEmpty() async throws {
        try await TestCluster.run { cluster in
            let name = cluster.namespace + "-x"
            _ = try await cluster.client.create(Namespace(metadata: ObjectMeta(name: name)))
            _ = try await cluster.client.create(configMap("plain", namespace: name))
            var held = configMap("held", namespace: name)
            held.metadata.finalizers = ["example.com/hold"]
            _ = try await cluster.client.create(held)

            _ = try await cluster.client.delete(Namespace.self, name: name)
            let terminating = try await cluster.client.get(Namespace.self, name: name)
            #expect(terminating.metadata.deletionTimestamp != nil)
            #expect(terminating.status?.phase == "Terminating")
            let refused = await errorCode { _ = try await cluster.client.create(configMap("late", namespace: name)) }
            #expect(refused == .forbidden)

            // The plain object goes; the held one waits for its finalizer, and the namespace with it.
            try await eventually { await errorCode { _ = try await cluster.client.get(ConfigMap.self, name: "plain", namespace: name) } == .notFound }
            let waiting = try await cluster.client.get(ConfigMap.self, name: "held", namespace: name)
            #expect(waiting.metadata.deletionTimestamp != nil)
            var released = waiting
            released.metadata.finalizers = []
            _ = try await cluster.client.replace(released)
            try await eventually { await errorCode { _ = try await cluster.client.get(Namespace.self, name: name) } == .notFound }
        }
    }
}
