import Foundation
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

@testable import KubeSandbox

/// Deleting a CustomResourceDefinition as apiextensions-apiserver does it: the CRD turns Terminating
/// behind its cleanup finalizer, its objects are deleted (each waiting for its own finalizers), no new
/// object may be created meanwhile, and the resource goes once they are gone. Runs against a real
/// cluster too.
@Suite struct CustomResourceCleanupTests {
    @Test func aCRDWaitsForItsObjectsFinalizersThenGoesWithItsResource() async throws {
        try await TestCluster.run { cluster in
            let group = "\(cluster.namespace).cleanup.example.com"
            let crdName = "widgets.\(group)"
            _ = try await cluster.client.create(CustomResourceTests.crds, object: CustomResourceTests.definition(group: group))
            let widgets = ResourceDescriptor(group: group, version: "v1", kind: "Widget", plural: "widgets", namespaced: true)
            do {
                var held = CustomResourceTests.widget("held", spec: ["size": "small"], group: group)
                held[member: "metadata"]?[member: "finalizers"] = ["example.com/hold"]
                try await eventually {
                    (try? await cluster.client.create(widgets, namespace: cluster.namespace, object: held)) != nil
                }
                _ = try await cluster.client.create(
                    widgets, namespace: cluster.namespace, object: CustomResourceTests.widget("plain", spec: ["size": "large"], group: group))

                _ = try await cluster.client.delete(CustomResourceTests.crds, name: crdName)
                let terminating = try await cluster.client.get(CustomResourceTests.crds, name: crdName)
                #expect(terminating.value(atPath: "metadata.deletionTimestamp") != nil)
                #expect(terminating.value(atPath: "metadata.finalizers")?.arrayElements?.contains("customresourcecleanup.apiextensions.k8s.io") == true)

                // The plain object goes; the held one waits with a deletionTimestamp, and so does the CRD.
                try await eventually {
                    await errorCode { _ = try await cluster.client.get(widgets, name: "plain", namespace: cluster.namespace) } == .notFound
                }
                let waiting = try await cluster.client.get(widgets, name: "held", namespace: cluster.namespace)
                #expect(waiting.value(atPath: "metadata.deletionTimestamp") != nil)
                let refused = await errorCode {
                    _ = try await cluster.client.create(
                        widgets, namespace: cluster.namespace, object: CustomResourceTests.widget("late", spec: ["size": "small"], group: group))
                }
                #expect(refused != nil)

                var released = waiting
                released[member: "metadata"]?[member: "finalizers"] = nil
                _ = try await cluster.client.replace(widgets, name: "held", namespace: cluster.namespace, object: released)
                try await eventually {
                    await errorCode { _ = try await cluster.client.get(CustomResourceTests.crds, name: crdName) } == .notFound
                }
                let unserved = await errorCode { _ = try await cluster.client.list(widgets, namespace: cluster.namespace) }
                #expect(unserved == .notFound)
            } catch {
                // Let the CRD go even when the test failed half-way.
                if var held = try? await cluster.client.get(widgets, name: "held", namespace: cluster.namespace) {
                    held[member: "metadata"]?[member: "finalizers"] = nil
                    _ = try? await cluster.client.replace(widgets, name: "held", namespace: cluster.namespace, object: held)
                }
                _ = try? await cluster.client.delete(CustomResourceTests.crds, name: crdName)
                throw error
            }
        }
    }
}
