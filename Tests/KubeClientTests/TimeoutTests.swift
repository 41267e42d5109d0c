import Foundation
import KubeClient
import KubeCore
import Testing

/// A server that never answers gives a timeout, never a transport error, whichever timer fires first.
@Suite struct TimeoutTests {
    let pki: TestPKI

    init() throws {
        pki = try TestPKI()
    }

    private func silentServerConfiguration(_ server: TestServer) -> ClientConfiguration {
        var configuration = testConfiguration(for: server, pki: pki)
        configuration.requestTimeout = .milliseconds(200)
        configuration.retryPolicy = .none
        return configuration
    }

    @Test func aRequestWithoutAnswerTimesOut() async throws {
        try await withServer(pki: pki, respond: { _ in .silence }) { server in
            try await withClient(silentServerConfiguration(server)) { client in
                // Repeated, because the two deadlines race differently from one run to the next.
                for _ in 0..<15 {
                    let error = await #expect(throws: KubeError.self) {
                        _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                    }
                    #expect(error?.code == .timeout)
                    #expect(error?.message.contains("did not complete within") == true)
                }
            }
        }
    }

    @Test func aWatchWithoutAnswerTimesOut() async throws {
        try await withServer(pki: pki, respond: { _ in .silence }) { server in
            try await withClient(silentServerConfiguration(server)) { client in
                for _ in 0..<5 {
                    let error = await #expect(throws: KubeError.self) {
                        _ = try await client.watch(ConfigMap.self, namespace: "demo")
                    }
                    #expect(error?.code == .timeout)
                }
            }
        }
    }

    @Test func retriesAfterATimeoutEndWithATimeout() async throws {
        try await withServer(pki: pki, respond: { _ in .silence }) { server in
            var configuration = silentServerConfiguration(server)
            configuration.retryPolicy = RetryPolicy(maximumAttempts: 2, initialBackoff: .milliseconds(10), jitter: 0)
            try await withClient(configuration) { client in
                let error = await #expect(throws: KubeError.self) {
                    _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                }
                #expect(error?.code == .timeout)
            }
            #expect(server.requests.count == 2)
        }
    }
}
