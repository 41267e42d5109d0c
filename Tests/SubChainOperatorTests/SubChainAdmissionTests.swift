import Foundation
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

@testable import SubChainOperator

/// The CRD as an API server serves it (the sandbox, or the real cluster SUBCHAIN_E2E_KUBECONFIG names):
/// accepted as a structural schema, defaults applied to a bare SubChain, bad specs refused naming the field.
@Suite struct SubChainAdmissionTests {
    static let crd = ResourceDescriptor(
        group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", plural: "customresourcedefinitions", namespaced: false)

    /// Applies the CRD (server-side, so a real cluster that has it already keeps one copy) and waits until it
    /// is established.
    static func install(_ cluster: TestCluster) async throws {
        _ = try await cluster.client.patch(
            crd, name: SubChainDefinition.name, patch: .apply(SubChainDefinition.json),
            options: PatchOptions(fieldManager: "subchain-operator-tests", force: true))
        try await eventually {
            let object = try? await cluster.client.get(crd, name: SubChainDefinition.name)
            guard case .array(let conditions)? = object?["status"]?["conditions"] else { return false }
            return conditions.contains { $0["type"] == "Established" && $0["status"] == "True" }
        }
    }

    @Test func aBareSubChainGetsTheDefaults() async throws {
        try await TestCluster.run { cluster in
            try await Self.install(cluster)
            let name = "bare-\(cluster.namespace)"
            let created = try await cluster.client.create(SubChain(metadata: ObjectMeta(name: name), spec: nil))
            defer { Task { _ = try? await cluster.client.delete(SubChain.self, name: name) } }
            let spec = try #require(created.spec)
            #expect(spec.replicas == 4)
            #expect(spec.resources == NodeResources(requests: ResourceAmounts(cpu: "500m", memory: "512Mi"), limits: ResourceAmounts(cpu: "1000m", memory: "1Gi")))
            #expect(spec.ports == NodePorts(p2p: 5001, api: 2661))
            #expect(spec.consensus == ConsensusSettings(batchSize: 1000, maxBatchWaitMilliseconds: 0, viewChangeTimeoutMilliseconds: 1000, checkpointInterval: 16))
            #expect(spec.paused == false)
            #expect(spec.storage == nil && spec.image == nil && spec.apiKeysSecret == nil)
            _ = try await cluster.client.delete(SubChain.self, name: name)
        }
    }

    @Test func badSpecsAreRefusedNamingTheField() async throws {
        try await TestCluster.run { cluster in
            try await Self.install(cluster)
            let cases: [(SubChainSpec, String)] = [
                (SubChainSpec(replicas: 0), "spec.replicas"),
                (SubChainSpec(replicas: 32), "spec.replicas"),
                (SubChainSpec(resources: NodeResources(limits: ResourceAmounts(cpu: "lots"))), "spec.resources.limits.cpu"),
                (SubChainSpec(ports: NodePorts(p2p: 70_000)), "spec.ports.p2p"),
                (SubChainSpec(storage: NodeStorage(storageClassName: "fast")), "spec.storage.size"),
                (SubChainSpec(consensus: ConsensusSettings(batchSize: 0)), "spec.consensus.batchSize"),
                (SubChainSpec(apiKeysSecret: "Not_A_Name"), "spec.apiKeysSecret"),
            ]
            for (index, (spec, field)) in cases.enumerated() {
                let name = "bad-\(index)-\(cluster.namespace)"
                let error = await #expect(throws: KubeError.self) { _ = try await cluster.client.create(SubChain(metadata: ObjectMeta(name: name), spec: spec)) }
                #expect(error?.code == .invalid, "\(field): \(String(describing: error))")
                #expect(error?.causes.contains { $0.field == field } ?? false, "\(field): \(error?.causes ?? [])")
            }
        }
    }
}
