import Foundation
import KubeClient
import KubeCore
import KubeSandbox

/// The API server a test talks to: a fresh ``KubeSandbox/SandboxServer`` on 127.0.0.1, or, when
/// `SUBCHAIN_E2E_KUBECONFIG` names a kubeconfig (with admin rights), that real cluster. The same test then
/// checks the sandbox and the real thing alike.
///
/// Every test works in a namespace of its own, created for it and deleted after, so the suites can run
/// against a shared cluster. The client does not retry, so that every failure reaches the code under test.
public struct TestCluster: Sendable {
    public let client: KubeClient
    /// The sandbox when the test runs against one; `nil` against a real cluster.
    public let sandbox: SandboxServer?
    /// The test's own namespace.
    public let namespace: String
    /// The client's configuration, for tests that make clients of their own.
    public let configuration: ClientConfiguration

    /// Whether the suites run against a real cluster.
    public static var isRealCluster: Bool { realKubeconfig != nil }

    private static var realKubeconfig: String? {
        ProcessInfo.processInfo.environment["SUBCHAIN_E2E_KUBECONFIG"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Runs `body` against the cluster, in a new namespace, and cleans up after it, whether it throws or not.
    public static func run<T>(
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

    /// Deletes the namespace, then stops the sandbox before the client: the server ends any watch a
    /// cancelled informer left open (the sandbox reads nothing from a connection while it streams a
    /// response, so the client's TLS close would otherwise wait out its 5 s timeout).
    private func tearDown() async throws {
        _ = try? await client.delete(Namespace.self, name: namespace)
        await sandbox?.stop()
        try await client.shutdown()
    }

    /// The sandbox, or `nil` after printing why a sandbox-only test is skipped against a real cluster.
    public func sandboxOnly(_ reason: String) -> SandboxServer? {
        if sandbox == nil { print("skipped against a real cluster: \(reason)") }
        return sandbox
    }
}

/// The `KubeError` code a call fails with, or `nil` when it succeeds.
public func errorCode(_ body: () async throws -> Void) async -> KubeError.Code? {
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
public func configMap(
    _ name: String, namespace: String, labels: [String: String]? = nil, data: [String: String] = ["k": "v"]
) -> ConfigMap {
    ConfigMap(metadata: ObjectMeta(name: name, namespace: namespace, labels: labels), data: data)
}

/// A condition that did not come true in time.
public struct ConditionTimedOut: Error, CustomStringConvertible {
    public let seconds: Int
    public var description: String { "condition not met within \(seconds) s" }
}

/// Polls `condition` every 20 ms until it holds; throws ``ConditionTimedOut`` after `seconds`. Tests that
/// run against a real cluster wait for what its controllers do within a few seconds.
public func eventually(within seconds: Int = 60, _ condition: () async -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while !(await condition()) {
        guard ContinuousClock.now < deadline else { throw ConditionTimedOut(seconds: seconds) }
        try await Task.sleep(for: .milliseconds(20))
    }
}
