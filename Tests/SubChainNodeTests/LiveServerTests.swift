import Hummingbird
import HummingbirdTesting
import Testing
@testable import SubChainNode

@Suite("HTTP API over a real socket")
struct LiveServerTests {
    @Test("a live server commits an event, refuses an oversized body with 413 and a keyless write with 401")
    func live() async throws {
        let node = try APITestNode()
        let configuration = NodeAPIConfiguration(maxBodyBytes: 4_096, apiKeys: try APIKeySet(keys: ["live-key"]))
        try await node.withAPI(configuration, framework: .live) { client in
            let key: HTTPFields = [APIKeyMiddleware<BasicRequestContext>.headerName: "live-key"]
            let committed = try await client.send(.post, "/v1/events?wait=commit", json: #"{"entityId":"live","type":"t"}"#, headers: key)
            #expect(committed.status == .ok, "\(committed.text)")

            let big = #"{"entityId":"x","type":"t","details":{"k":"\#(String(repeating: "y", count: 8_000))"}}"#
            let tooLarge = try await client.send(.post, "/v1/events", json: big, headers: key)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(try tooLarge.apiError()["code"] as? String == "body_too_large")

            let keyless = try await client.send(.post, "/v1/events", json: #"{"entityId":"live","type":"t"}"#)
            #expect(keyless.status == .unauthorized)
        }
    }
}
