import KubeClient
import KubeCore
import KubeSandbox
import Testing

/// A fresh KubeSandbox on 127.0.0.1 and an admin client that does not retry, so that every failure the
/// sandbox injects reaches the code under test.
struct SandboxConnection {
    let server: SandboxServer
    let client: KubeClient

    static func start() async throws -> SandboxConnection {
        let server = try await SandboxServer.start(sandbox: Sandbox())
        var configuration = try ClientConfiguration(kubeConfig: try KubeConfig.parse(server.kubeconfig()))
        configuration.retryPolicy = .none
        return SandboxConnection(server: server, client: try KubeClient(configuration: configuration))
    }

    /// Stops the server, then the client: the server ends the watch a cancelled informer left open (the
    /// sandbox reads nothing from a connection while it streams a response, so the client's TLS close
    /// would otherwise wait out its 5 s timeout).
    func stop() async {
        await server.stop()
        try? await client.shutdown()
    }
}
