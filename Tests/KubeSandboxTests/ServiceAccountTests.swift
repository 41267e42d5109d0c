import Foundation
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

@testable import KubeSandbox

/// The service account controller: every active namespace has its `default` ServiceAccount, made with
/// the namespace and made again when deleted. Runs against a real cluster too.
@Suite struct ServiceAccountTests {
    private static let serviceAccounts = ResourceDescriptor(
        group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true)

    @Test func aNamespacesDefaultServiceAccountExistsAndComesBackWhenDeleted() async throws {
        try await TestCluster.run { cluster in
            try await eventually {
                (try? await cluster.client.get(Self.serviceAccounts, name: "default", namespace: cluster.namespace)) != nil
            }
            let first = try await cluster.client.get(Self.serviceAccounts, name: "default", namespace: cluster.namespace)
            _ = try await cluster.client.delete(Self.serviceAccounts, name: "default", namespace: cluster.namespace)
            try await eventually {
                let again = try? await cluster.client.get(Self.serviceAccounts, name: "default", namespace: cluster.namespace)
                return again != nil && again?.value(atPath: "metadata.uid") != first.value(atPath: "metadata.uid")
            }
        }
    }
}
