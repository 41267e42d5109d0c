import Foundation
import KubeClient
import KubeCore
import Testing

/// Open watches never hold up other requests, however many there are.
@Suite struct ConnectionPoolTests {
    let pki: TestPKI

    init() throws {
        pki = try TestPKI()
    }

    /// More watches than one connection pool would give connections or streams to: AsyncHTTPClient opens
    /// 8 HTTP/1.1 connections per host, and an HTTP/2 connection has a stream limit (250 on a
    /// kube-apiserver, 4 here). Every watch holds its response open for the whole test.
    @Test(arguments: [nil, 4] as [Int?])
    func requestsAreAnsweredWhileManyWatchesAreOpen(http2MaxConcurrentStreams: Int?) async throws {
        let watches = http2MaxConcurrentStreams == nil ? 40 : 12
        let respond: TestServer.Responder = { request in
            if request.query?.contains("watch=true") == true {
                return .stream(steps: [.write(WatchTests.event("ADDED", "w", resourceVersion: "1")), .pause(milliseconds: 30_000), .end])
            }
            return .json(configMapJSON("a"))
        }
        try await withServer(pki: pki, http2MaxConcurrentStreams: http2MaxConcurrentStreams, respond: respond) { server in
            var configuration = testConfiguration(for: server, pki: pki)
            configuration.requestTimeout = .seconds(20)
            configuration.retryPolicy = .none
            try await withClient(configuration) { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    let opened = Counter()
                    for _ in 0..<watches {
                        group.addTask {
                            let stream = try await client.watch(ConfigMap.self, namespace: "demo")
                            var iterator = stream.makeAsyncIterator()
                            _ = try await iterator.next()
                            _ = opened.next()
                            // Hold the watch open until the test cancels it.
                            _ = try? await iterator.next()
                        }
                    }
                    // Every watch has its first event, so each holds a connection of its own right now.
                    let deadline = ContinuousClock.now + .seconds(20)
                    while opened.current < watches, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    #expect(opened.current == watches)
                    for name in ["a", "b", "c"] {
                        let object = try await client.get(ConfigMap.self, name: name, namespace: "demo")
                        #expect(object.metadata.name == "a")
                    }
                    group.cancelAll()
                }
            }
            let watchRequests = server.requests.filter { $0.query?.contains("watch=true") == true }
            let otherRequests = server.requests.filter { $0.query?.contains("watch=true") != true }
            #expect(watchRequests.count == watches)
            #expect(otherRequests.count == 3)
            // Watches keep to HTTP/1.1 connections of their own; other requests use HTTP/2 where offered.
            #expect(watchRequests.allSatisfy { $0.httpMajorVersion == 1 })
            #expect(otherRequests.allSatisfy { $0.httpMajorVersion == (http2MaxConcurrentStreams == nil ? 1 : 2) })
        }
    }
}
