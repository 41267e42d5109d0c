import Foundation
import KubeClient
import KubeCore
import KubeTestSupport
import Testing

@testable import KubeSandbox

/// ServiceAccount tokens from the TokenRequest API and RBAC as the RBAC authorizer evaluates it,
/// including self access reviews. Runs against a real cluster too.
@Suite struct AuthorizationTests {
    static let serviceAccounts = ResourceDescriptor(group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true)
    static let roles = ResourceDescriptor(group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles", namespaced: true)
    static let roleBindings = ResourceDescriptor(
        group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings", namespaced: true)

    /// A client authenticated as a new ServiceAccount of the test's namespace.
    private func serviceAccountClient(_ cluster: TestCluster, name: String) async throws -> KubeClient {
        _ = try await cluster.client.create(
            Self.serviceAccounts, namespace: cluster.namespace,
            object: ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": .string(name)]])
        let request = KubeRequest(
            method: .post, path: "/api/v1/namespaces/\(cluster.namespace)/serviceaccounts/\(name)/token",
            headers: ["Accept": "application/json", "Content-Type": "application/json"],
            body: Data(#"{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":3600}}"#.utf8))
        let response = try await cluster.client.send(request, as: JSONValue.self)
        let token = try #require(response.value(atPath: "status.token")?.stringValue)
        var configuration = cluster.configuration
        configuration.credentials = .bearerToken(token)
        return try KubeClient(configuration: configuration)
    }

    private func canI(_ client: KubeClient, verb: String, resource: String, namespace: String) async throws -> Bool {
        let body = #"{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":{"namespace":"\#(namespace)","verb":"\#(verb)","resource":"\#(resource)"}}}"#
        let request = KubeRequest(
            method: .post, path: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
            headers: ["Accept": "application/json", "Content-Type": "application/json"], body: Data(body.utf8))
        return try await client.send(request, as: JSONValue.self).value(atPath: "status.allowed")?.boolValue ?? false
    }

    @Test func aServiceAccountMayDoWhatItsRoleGrantsAndNothingElse() async throws {
        try await TestCluster.run { cluster in
            _ = try await cluster.client.create(configMap("visible", namespace: cluster.namespace))
            let worker = try await serviceAccountClient(cluster, name: "worker")
            do {
                let before = await errorCode { _ = try await worker.list(ConfigMap.self, namespace: cluster.namespace) }
                #expect(before == .forbidden)
                #expect(try await canI(worker, verb: "list", resource: "configmaps", namespace: cluster.namespace) == false)

                _ = try await cluster.client.create(
                    Self.roles, namespace: cluster.namespace,
                    object: [
                        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": ["name": "read-configmaps"],
                        "rules": [["apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list", "watch"]]],
                    ])
                _ = try await cluster.client.create(
                    Self.roleBindings, namespace: cluster.namespace,
                    object: [
                        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": ["name": "worker-reads"],
                        "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "read-configmaps"],
                        "subjects": [["kind": "ServiceAccount", "name": "worker", "namespace": .string(cluster.namespace)]],
                    ])
                try await eventually { (try? await worker.list(ConfigMap.self, namespace: cluster.namespace)) != nil }
                let read = try await worker.get(ConfigMap.self, name: "visible", namespace: cluster.namespace)
                #expect(read.metadata.name == "visible")
                #expect(try await canI(worker, verb: "list", resource: "configmaps", namespace: cluster.namespace))
                #expect(try await canI(worker, verb: "delete", resource: "configmaps", namespace: cluster.namespace) == false)

                let write = await errorCode { _ = try await worker.create(configMap("mine", namespace: cluster.namespace)) }
                #expect(write == .forbidden)
                let elsewhere = await errorCode { _ = try await worker.list(ConfigMap.self, namespace: "default") }
                #expect(elsewhere == .forbidden)
                let secrets = await errorCode { _ = try await worker.list(Secret.self, namespace: cluster.namespace) }
                #expect(secrets == .forbidden)
            } catch {
                try? await worker.shutdown()
                throw error
            }
            try await worker.shutdown()
        }
    }

    @Test func aTokenForAMissingServiceAccountIsRefused() async throws {
        try await TestCluster.run { cluster in
            let request = KubeRequest(
                method: .post, path: "/api/v1/namespaces/\(cluster.namespace)/serviceaccounts/nobody/token",
                headers: ["Accept": "application/json", "Content-Type": "application/json"],
                body: Data(#"{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{}}"#.utf8))
            let code = await errorCode { _ = try await cluster.client.send(request, as: JSONValue.self) }
            #expect(code == .notFound)
        }
    }
}
