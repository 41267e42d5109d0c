import Foundation
import KubeClient
import KubeCore
import Synchronization

/// A fresh folder under the system temporary directory, removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("kubeclient-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// Writes `contents` to `path`, creating folders.
func write(_ contents: String, to path: String, executable: Bool = false) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try contents.write(to: url, atomically: true, encoding: .utf8)
    if executable {
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }
}

/// A configuration for `server` that trusts the test CA, with fast retries and no throttling.
func testConfiguration(for server: TestServer, pki: TestPKI) -> ClientConfiguration {
    ClientConfiguration(
        server: server.url, certificateAuthorityPEM: Data(pki.caPEM.utf8), credentials: .bearerToken("test-token"),
        userAgent: "kubeclient-tests/1.0", rateLimit: .unlimited,
        retryPolicy: RetryPolicy(maximumAttempts: 3, initialBackoff: .milliseconds(10), maximumBackoff: .seconds(2), jitter: 0),
        requestTimeout: .seconds(10))
}

/// Runs `body` with a client, shutting the client down however `body` ends.
func withClient<T>(_ configuration: ClientConfiguration, _ body: (KubeClient) async throws -> T) async throws -> T {
    let client = try KubeClient(configuration: configuration)
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}

/// Runs `body` with a started server, stopping it however `body` ends.
func withServer<T>(
    pki: TestPKI, identity: TestPKI.Identity? = nil, requireClientCertificate: Bool = false,
    http2MaxConcurrentStreams: Int? = nil, respond: @escaping TestServer.Responder, _ body: (TestServer) async throws -> T
) async throws -> T {
    let server = try await TestServer.start(
        pki: pki, identity: identity, requireClientCertificate: requireClientCertificate,
        http2MaxConcurrentStreams: http2MaxConcurrentStreams, respond: respond)
    do {
        let result = try await body(server)
        try await server.stop()
        return result
    } catch {
        try? await server.stop()
        throw error
    }
}

/// Base64 of a string, for kubeconfig `-data` fields.
func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

/// A ConfigMap JSON document.
func configMapJSON(_ name: String, namespace: String = "demo", resourceVersion: String = "1") -> String {
    #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)","namespace":"\#(namespace)","resourceVersion":"\#(resourceVersion)"},"data":{"k":"v"}}"#
}

/// Thread-safe counter for responders.
final class Counter: Sendable {
    private let value = Mutex(0)
    /// Increments and returns the new value.
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
    var current: Int { value.withLock { $0 } }
}
