import Foundation
import KubeClient
import KubeCore
import Testing

/// Watch streams from the real loopback server: chunking, bookmarks, errors and timeouts.
@Suite struct WatchTests {
    let pki: TestPKI

    init() throws {
        pki = try TestPKI()
    }

    static func event(_ type: String, _ name: String, resourceVersion: String, value: String = "v") -> String {
        #"{"type":"\#(type)","object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)","namespace":"demo","resourceVersion":"\#(resourceVersion)"},"data":{"k":"\#(value)"}}}"# + "\n"
    }

    static let bookmark = #"{"type":"BOOKMARK","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"12","annotations":{"k8s.io/initial-events-end":"true"}}}}"# + "\r\n"

    static let gone = #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 5 (10)","reason":"Expired","code":410}}"# + "\n"

    /// Splits `text` into pieces of `size` bytes (cutting through UTF-8 characters), paused apart.
    static func slowly(_ text: String, size: Int, pause: Int64 = 3) -> [StreamStep] {
        let bytes = Array(text.utf8)
        return stride(from: 0, to: bytes.count, by: size).flatMap { start -> [StreamStep] in
            let piece = bytes[start..<min(start + size, bytes.count)]
            return [.writeBytes(Array(piece)), .pause(milliseconds: pause)]
        }
    }

    private func collect<Object>(_ stream: WatchStream<Object>) async -> ([WatchEvent<Object>], KubeError?) {
        var events: [WatchEvent<Object>] = []
        do {
            for try await event in stream { events.append(event) }
            return (events, nil)
        } catch {
            return (events, error)
        }
    }

    private func names(_ events: [WatchEvent<ConfigMap>]) -> [String] {
        events.map { event in
            switch event {
            case .added(let object): "ADDED \(object.metadata.name ?? "") \(object.data?["k"] ?? "")"
            case .modified(let object): "MODIFIED \(object.metadata.name ?? "") \(object.data?["k"] ?? "")"
            case .deleted(let object): "DELETED \(object.metadata.name ?? "")"
            case .bookmark(let bookmark): "BOOKMARK \(bookmark.metadata.resourceVersion ?? "") \(bookmark.isInitialEventsEnd)"
            case .error(let status): "ERROR \(status.code ?? 0)"
            }
        }
    }

    @Test(arguments: [1, 7, 64])
    func eventsSurviveArbitraryChunkBoundaries(chunkSize: Int) async throws {
        let body = Self.event("ADDED", "a", resourceVersion: "10", value: "grüße")
            + Self.event("MODIFIED", "a", resourceVersion: "11", value: "ünïcødé") + Self.bookmark
            + Self.event("DELETED", "a", resourceVersion: "13")
        let respond: TestServer.Responder = { _ in .stream(steps: Self.slowly(body, size: chunkSize, pause: chunkSize == 1 ? 0 : 3) + [.end]) }
        try await withServer(pki: pki, respond: respond) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                let stream = try await client.watch(
                    ConfigMap.self, namespace: "demo",
                    options: WatchOptions(resourceVersion: "5", timeoutSeconds: 30, allowWatchBookmarks: true))
                let (events, error) = await collect(stream)
                #expect(error == nil)
                #expect(names(events) == ["ADDED a grüße", "MODIFIED a ünïcødé", "BOOKMARK 12 true", "DELETED a"])
            }
            let request = try #require(server.requests.first)
            #expect(request.method == "GET")
            #expect(request.uri == "/api/v1/namespaces/demo/configmaps?watch=true&resourceVersion=5&timeoutSeconds=30&allowWatchBookmarks=true")
            #expect(request.header("Authorization") == "Bearer test-token")
            #expect(request.header("Accept") == "application/json")
        }
    }

    @Test func errorEventWith410IsGone() async throws {
        let respond: TestServer.Responder = { _ in
            .stream(steps: [.write(Self.event("ADDED", "a", resourceVersion: "10")), .pause(milliseconds: 20), .write(Self.gone), .end])
        }
        try await withServer(pki: pki, respond: respond) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                let (events, error) = await collect(try await client.watch(ConfigMap.self, namespace: "demo"))
                #expect(names(events) == ["ADDED a v"])
                #expect(error?.code == .gone)
                #expect(error?.status?.reason == "Expired")
                #expect(error?.message.contains("too old resource version") == true)
                #expect(error?.message.contains("list again") == true)
            }
        }
    }

    @Test func otherErrorEventsAreThrownWithTheirCode() async throws {
        let failure = #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"etcd unavailable","code":500}}"# + "\n"
        try await withServer(pki: pki, respond: { _ in .stream(steps: [.write(failure), .end]) }) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                let (events, error) = await collect(try await client.watch(ConfigMap.self, namespace: "demo"))
                #expect(events.isEmpty)
                #expect(error?.code == .serverError)
            }
        }
    }

    @Test func http410OnStartIsGone() async throws {
        let body = #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version","reason":"Expired","code":410}"#
        try await withServer(pki: pki, respond: { _ in .full(status: 410, body: body) }) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                let error = await #expect(throws: KubeError.self) {
                    _ = try await client.watch(ConfigMap.self, namespace: "demo", options: WatchOptions(resourceVersion: "1"))
                }
                #expect(error?.code == .gone)
            }
            // Watches are never retried by the client: the caller relists.
            #expect(server.requests.count == 1)
        }
    }

    @Test func midStreamDisconnectEndsWithATransportError() async throws {
        let respond: TestServer.Responder = { _ in
            .stream(steps: [
                .write(Self.event("ADDED", "a", resourceVersion: "10")), .write(#"{"type":"MODIFIED","obj"#),
                .pause(milliseconds: 20), .abort,
            ])
        }
        try await withServer(pki: pki, respond: respond) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                let (events, error) = await collect(try await client.watch(ConfigMap.self, namespace: "demo"))
                #expect(names(events) == ["ADDED a v"])
                #expect(error?.code == .transport)
                #expect(error?.message.contains("broke mid-stream") == true)
            }
        }
    }

    @Test func idleTimeoutEndsASilentConnection() async throws {
        // One event, then silence with the connection held open.
        let respond: TestServer.Responder = { _ in .stream(steps: [.write(Self.event("ADDED", "a", resourceVersion: "10"))]) }
        try await withServer(pki: pki, respond: respond) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                let stream = try await client.watch(ConfigMap.self, namespace: "demo", idleTimeout: .milliseconds(300))
                let (events, error) = await collect(stream)
                #expect(names(events) == ["ADDED a v"])
                #expect(error?.code == .idleTimeout)
            }
        }
    }

    @Test func timeoutSecondsEndsTheStreamEvenIfTheServerDoesNot() async throws {
        let respond: TestServer.Responder = { _ in .stream(steps: [.write(Self.event("ADDED", "a", resourceVersion: "10"))]) }
        try await withServer(pki: pki, respond: respond) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                let stream = try await client.watch(
                    ConfigMap.self, namespace: "demo", options: WatchOptions(timeoutSeconds: 1), idleTimeout: .seconds(30))
                let (events, error) = await collect(stream)
                #expect(names(events) == ["ADDED a v"])
                #expect(error == nil)
            }
            #expect(server.requests.first?.query == "watch=true&timeoutSeconds=1")
        }
    }

    @Test func untypedWatchYieldsJSON() async throws {
        let respond: TestServer.Responder = { _ in .stream(steps: [.write(Self.event("ADDED", "a", resourceVersion: "10")), .end]) }
        try await withServer(pki: pki, respond: respond) { server in
            try await withClient(testConfiguration(for: server, pki: pki)) { client in
                let (events, error) = await collect(try await client.watch(ConfigMap.resource, namespace: "demo"))
                #expect(error == nil)
                #expect(events.first?.object?["metadata"]?["resourceVersion"]?.stringValue == "10")
            }
        }
    }
}
