import Foundation
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

@testable import KubeSandbox

/// A custom resource's `/scale` subresource reads and writes the paths its CRD names, as
/// `kubectl scale` and autoscalers use it. Runs against a real cluster too.
@Suite struct CustomResourceScaleTests {
    @Test func theScaleOfACustomResourceFollowsItsCRDsPaths() async throws {
        try await TestCluster.run { cluster in
            let group = "\(cluster.namespace).scale.example.com"
            var definition = CustomResourceTests.definition(group: group)
            var version = definition.value(atPath: "spec.versions")?[0] ?? [:]
            version[member: "subresources"] = [
                "status": [:],
                "scale": ["specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas", "labelSelectorPath": ".status.selector"],
            ]
            version[member: "schema"]?[member: "openAPIV3Schema"]?[member: "properties"]?[member: "status"] = [
                "type": "object", "properties": ["replicas": ["type": "integer"], "selector": ["type": "string"]],
            ]
            definition[member: "spec"]?[member: "versions"] = [version]
            _ = try await cluster.client.create(CustomResourceTests.crds, object: definition)
            let widgets = ResourceDescriptor(group: group, version: "v1", kind: "Widget", plural: "widgets", namespaced: true)
            do {
                try await eventually {
                    (try? await cluster.client.create(
                        widgets, namespace: cluster.namespace,
                        object: CustomResourceTests.widget("w", spec: ["size": "small", "replicas": 2], group: group))) != nil
                }
                let path = "/apis/\(group)/v1/namespaces/\(cluster.namespace)/widgets/w/scale"
                let read = try JSONDecoder().decode(JSONValue.self, from: try await cluster.client.send(KubeRequest(method: .get, path: path)))
                #expect(read[member: "kind"] == "Scale")
                #expect(read.value(atPath: "spec.replicas") == 2)

                let scaled: JSONValue = ["apiVersion": "autoscaling/v1", "kind": "Scale", "metadata": ["name": "w"], "spec": ["replicas": 5]]
                _ = try await cluster.client.send(
                    KubeRequest(method: .put, path: path, headers: ["Content-Type": "application/json"], body: try JSONEncoder().encode(scaled)))
                let widget = try await cluster.client.get(widgets, name: "w", namespace: cluster.namespace)
                #expect(widget.value(atPath: "spec.replicas") == 5)
            } catch {
                _ = try? await cluster.client.delete(CustomResourceTests.crds, name: "widgets.\(group)")
                throw error
            }
            _ = try await cluster.client.delete(CustomResourceTests.crds, name: "widgets.\(group)")
        }
    }
}
