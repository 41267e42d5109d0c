import Foundation
import KubeCore
import NIOHTTP1
import Testing

@testable import KubeClient

/// `Retry-After` in both of its forms, spread by jitter so throttled clients do not return in step,
/// and plain-text error bodies.
@Suite struct RetryAfterTests {
    let pki: TestPKI

    init() throws {
        pki = try TestPKI()
    }

    @Test func retryAfterMayBeAnHTTPDate() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)  // Tue, 14 Nov 2023 22:13:20 GMT
        func parsed(_ value: String) -> Duration? {
            KubeClient.retryAfter(HTTPHeaders([("Retry-After", value)]), now: now)
        }
        #expect(parsed("Tue, 14 Nov 2023 22:13:25 GMT") == .seconds(5))
        #expect(parsed("Tuesday, 14-Nov-23 22:13:22 GMT") == .seconds(2))
        #expect(parsed("Tue Nov 14 22:13:30 2023") == .seconds(10))
        #expect(parsed("Tue, 14 Nov 2023 22:00:00 GMT") == .zero)
        #expect(parsed("7") == .seconds(7))
        #expect(parsed("-1") == nil)
        #expect(parsed("soon") == nil)
    }

    @Test func retryAfterIsSpreadByJitter() {
        let policy = RetryPolicy(maximumBackoff: .seconds(10), jitter: 0.2)
        let delays = (0..<50).map { _ in policy.delay(afterAttempt: 1, retryAfter: .seconds(1)) }
        #expect(delays.allSatisfy { $0 >= .seconds(1) && $0 <= .milliseconds(1200) })
        #expect(Set(delays).count > 1)
        // Capped first, then spread: a long Retry-After does not put every client at exactly the cap.
        let capped = (0..<20).map { _ in policy.delay(afterAttempt: 1, retryAfter: .seconds(60)) }
        #expect(capped.allSatisfy { $0 >= .seconds(10) && $0 <= .seconds(12) })
        #expect(Set(capped).count > 1)
    }

    @Test func aPlainTextErrorBodyIsTrimmed() async throws {
        let unavailable = TestResponse.full(status: 503, body: "service unavailable\n")
        try await withServer(pki: pki, respond: { _ in unavailable }) { server in
            var configuration = testConfiguration(for: server, pki: pki)
            configuration.retryPolicy = .none
            try await withClient(configuration) { client in
                let error = await #expect(throws: KubeError.self) {
                    _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                }
                #expect(error?.code == .serverError)
                #expect(error?.message.contains("HTTP 503: service unavailable. The API server failed") == true)
            }
        }
    }
}
