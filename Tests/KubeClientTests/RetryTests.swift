import Foundation
import KubeClient
import KubeCore
import Testing

/// Retries of idempotent requests, Retry-After, and requests that must not be repeated.
@Suite struct RetryTests {
    let pki: TestPKI

    init() throws {
        pki = try TestPKI()
    }

    static let unavailable = TestResponse.full(
        status: 503,
        body: #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"the server is currently unable to handle the request","reason":"ServiceUnavailable","code":503}"#)

    /// Fails the first `failures` requests with `failure`, then answers `success`.
    static func failing(_ failures: Int, with failure: TestResponse, then success: @escaping @Sendable (RecordedRequest) -> TestResponse) -> TestServer.Responder {
        let counter = Counter()
        return { request in counter.next() <= failures ? failure : success(request) }
    }

    @Test func getIsRetriedAfter503() async throws {
        try await withServer(pki: pki, respond: Self.failing(1, with: Self.unavailable) { _ in .json(configMapJSON("a")) }) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                let object = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                #expect(object.metadata.name == "a")
            }
            #expect(server.requests.map(\.method) == ["GET", "GET"])
            #expect(server.requests.map(\.uri) == Array(repeating: "/api/v1/namespaces/demo/configmaps/a", count: 2))
        }
    }

    @Test func attemptsAreBounded() async throws {
        try await withServer(pki: pki, respond: { _ in Self.unavailable }) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                let error = await #expect(throws: KubeError.self) {
                    _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                }
                #expect(error?.code == .serverError)
                #expect(error?.httpStatus == 503)
            }
            #expect(server.requests.count == 3)
        }
    }

    @Test func postIsNotRetriedAfter503() async throws {
        try await withServer(pki: pki, respond: Self.failing(1, with: Self.unavailable) { request in .full(status: 201, body: request.body) }) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                let error = await #expect(throws: KubeError.self) {
                    _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "a", namespace: "demo")))
                }
                #expect(error?.code == .serverError)
            }
            #expect(server.requests.map(\.method) == ["POST"])
        }
    }

    @Test func jsonPatchIsNotRetriedButMergePatchIs() async throws {
        try await withServer(pki: pki, respond: { _ in Self.unavailable }) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                _ = try? await client.patch(ConfigMap.self, name: "a", namespace: "demo", patch: .json([.remove("/data/k")]))
                #expect(server.requests.count == 1)
                _ = try? await client.patch(ConfigMap.self, name: "a", namespace: "demo", patch: .merge(["data": nil]))
                #expect(server.requests.count == 4)
            }
        }
    }

    @Test func brokenConnectionIsRetriedForGetButNotForPost() async throws {
        // The first answer breaks off after its head: the request's effect is unknown.
        let broken = TestResponse.stream(steps: [.write(#"{"kind":"#), .abort])
        try await withServer(pki: pki, respond: Self.failing(1, with: broken) { _ in .json(configMapJSON("a")) }) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
            }
            #expect(server.requests.count == 2)
        }
        try await withServer(pki: pki, respond: Self.failing(1, with: broken) { request in .full(status: 201, body: request.body) }) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                let error = await #expect(throws: KubeError.self) {
                    _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "a", namespace: "demo")))
                }
                #expect(error?.code == .transport)
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test func connectionRefusedIsATransportError() async throws {
        // Take a port that was just free on 127.0.0.1 and is now closed again.
        let server = try await TestServer.start(pki: pki) { _ in .json("{}") }
        var configuration = testConfiguration(for: server, pki: pki)
        try await server.stop()
        configuration.retryPolicy = RetryPolicy(maximumAttempts: 2, initialBackoff: .milliseconds(5), jitter: 0)
        try await withClient(configuration) { client in
            let error = await #expect(throws: KubeError.self) {
                _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
            }
            #expect(error?.code == .transport)
            #expect(error?.message.contains("reachable") == true)
        }
    }

    @Test func retryAfterIsHonouredOn429() async throws {
        let throttled = TestResponse.full(
            status: 429,
            body: #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Too many requests, please try again later.","reason":"TooManyRequests","code":429}"#,
            headers: [("Retry-After", "1")])
        try await withServer(pki: pki, respond: Self.failing(1, with: throttled) { request in .full(status: 201, body: request.body) }) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                let start = ContinuousClock.now
                // Even a create is repeated: 429 means the server did not process it.
                _ = try await client.create(ConfigMap(metadata: ObjectMeta(name: "a", namespace: "demo")))
                // The configured backoff is 10 ms; only Retry-After explains a wait of a second.
                #expect(ContinuousClock.now - start >= .milliseconds(990))
            }
            #expect(server.requests.map(\.method) == ["POST", "POST"])
        }
    }

    @Test func exhausted429ReportsRetryAfter() async throws {
        let throttled = TestResponse.full(status: 429, body: "slow down", headers: [("Retry-After", "0")])
        try await withServer(pki: pki, respond: { _ in throttled }) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                let error = await #expect(throws: KubeError.self) {
                    _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                }
                #expect(error?.code == .tooManyRequests)
                #expect(error?.retryAfter == .zero)
                #expect(error?.message.contains("slow down") == true)
            }
            #expect(server.requests.count == 3)
        }
    }

    @Test func backoffGrowsExponentiallyAndIsCapped() {
        let policy = RetryPolicy(maximumAttempts: 10, initialBackoff: .milliseconds(100), maximumBackoff: .seconds(1), jitter: 0)
        #expect((1...6).map { policy.delay(afterAttempt: $0) } == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1)])
        #expect(policy.delay(afterAttempt: 1, retryAfter: .milliseconds(700)) == .milliseconds(700))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(30)) == .seconds(1))
        let jittered = RetryPolicy(initialBackoff: .milliseconds(100), jitter: 0.5).delay(afterAttempt: 1)
        #expect(jittered >= .milliseconds(100) && jittered <= .milliseconds(150))
    }

    @Test func requestTimeoutCoversTheWholeResponse() async throws {
        // The head arrives, the body never completes.
        try await withServer(pki: pki, respond: { _ in .stream(steps: [.write("{")]) }) { server in
            var configuration = testConfiguration(for: server, pki: pki)
            configuration.requestTimeout = .milliseconds(300)
            configuration.retryPolicy = .none
            try await withClient(configuration) { client in
                let error = await #expect(throws: KubeError.self) {
                    _ = try await client.get(ConfigMap.self, name: "a", namespace: "demo")
                }
                #expect(error?.code == .timeout)
                #expect(error?.message.contains("requestTimeout") == true)
            }
        }
    }
}
