import Foundation
import KubeClient
import KubeCore
import KubeSandbox
import Testing

/// The API server a test talks to: a fresh ``SandboxServer`` on 127.0.0.1, or, when
/// `SUBCHAIN_E2E_KUBECONFIG` names a kubeconfig (with admin rights), that real cluster.
///
/// Every test works in a namespace of its own, created for it and deleted after, so the suite can run
/// against a shared cluster.
struct TestCluster {
    let client: KubeClient
    /// The sandbox when the test runs against one; `nil` against a real cluster.
    let sandbox: SandboxServer?
    let namespace: String
    let configuration: ClientConfiguration

    /// Whether the suite runs against a real cluster.
    static var isRealCluster: Bool { realKubeconfig != nil }

    private static var realKubeconfig: String? {
        ProcessInfo.processInfo.environment["SUBCHAIN_E2E_KUBECONFIG"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Runs `body` against the cluster, in a new namespace.
    static func run<T>(
        sandboxConfiguration: Sandbox.Configuration = Sandbox.Configuration(), _ body: (TestCluster) async throws -> T
    ) async throws -> T {
        let server: SandboxServer?
        var configuration: ClientConfiguration
        if let path = realKubeconfig {
            server = nil
            configuration = try ClientConfiguration(kubeConfig: try KubeConfig.load(path: path))
        } else {
            let started = try await SandboxServer.start(sandbox: Sandbox(configuration: sandboxConfiguration))
            server = started
            configuration = try ClientConfiguration(kubeConfig: try KubeConfig.parse(started.kubeconfig()))
        }
        configuration.retryPolicy = .none
        let client = try KubeClient(configuration: configuration)
        let namespace = "sbt-\(UUID().uuidString.prefix(8).lowercased())"
        let cluster = TestCluster(client: client, sandbox: server, namespace: namespace, configuration: configuration)
        do {
            _ = try await client.create(Namespace(metadata: ObjectMeta(name: namespace)))
            let result = try await body(cluster)
            try await cluster.tearDown()
            return result
        } catch {
            try? await cluster.tearDown()
            throw error
        }
    }

    private func tearDown() async throws {
        _ = try? await client.delete(Namespace.self, name: namespace)
        try await client.shutdown()
        await sandbox?.stop()
    }

    /// The sandbox, or `nil` after printing why a sandbox-only test is skipped against a real cluster.
    func sandboxOnly(_ reason: String) -> SandboxServer? {
        if sandbox == nil { print("skipped against a real cluster: \(reason)") }
        return sandbox
    }
}

/// The `KubeError` code a call fails with, or `nil` when it succeeds.
func errorCode(_ body: () async throws -> Void) async -> KubeError.Code? {
    do {
        try await body()
        return nil
    } catch let error as KubeError {
        return error.code
    } catch {
        return nil
    }
}

/// A ConfigMap in a namespace.
func configMap(_ name: String, namespace: String, labels: [String: String]? = nil, data: [String: String] = ["k": "v"]) -> ConfigMap {
    ConfigMap(metadata: ObjectMeta(name: name, namespace: namespace, labels: labels), data: data)
}
