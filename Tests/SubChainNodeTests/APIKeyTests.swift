import Hummingbird
import HummingbirdTesting
@testable import SubChainNode
import Testing

@Suite("HTTP API: API keys")
struct APIKeyTests {
    @Test("a keys file: one key a line, comments and blank lines ignored")
    func parse() throws {
        let keys = try APIKeySet(parsing: "# ops team\nalpha-key\n\n  beta-key  \n#gamma\n")
        #expect(keys.count == 2)
        #expect(keys.contains("alpha-key") && keys.contains("beta-key"))
        #expect(!keys.contains("gamma") && !keys.contains("alpha") && !keys.contains("") && !keys.contains("# ops team"))
        #expect(throws: APIKeySetError.self) { try APIKeySet(parsing: "# nothing\n\n") }
    }

    @Test("with keys configured, writes need a valid X-API-Key (401 otherwise) and reads stay open")
    func writesNeedKey() async throws {
        let node = try APITestNode()
        let configuration = NodeAPIConfiguration(apiKeys: try APIKeySet(parsing: "s3cret\n"))
        try await node.withAPI(configuration) { client in
            let event = #"{"entityId":"k","type":"t"}"#
            let missing = try await client.send(.post, "/v1/events", json: event)
            #expect(missing.status == .unauthorized)
            #expect(try missing.apiError()["code"] as? String == "missing_api_key")

            let wrong = try await client.send(.post, "/v1/events", json: event, headers: [APIKeyMiddleware<BasicRequestContext>.headerName: "guess"])
            #expect(wrong.status == .unauthorized)
            #expect(try wrong.apiError()["code"] as? String == "invalid_api_key")

            let right = try await client.send(.post, "/v1/events", json: event, headers: [APIKeyMiddleware<BasicRequestContext>.headerName: "s3cret"])
            #expect(right.status == .accepted)

            #expect(try await client.send(.get, "/v1/status").status == .ok)
            #expect(try await client.send(.get, "/v1/blocks").status == .ok)
        }
    }

    @Test("without keys configured, writes are open")
    func openWrites() async throws {
        let node = try APITestNode()
        try await node.withAPI { client in
            let response = try await client.send(.post, "/v1/events", json: #"{"entityId":"o","type":"t"}"#)
            #expect(response.status == .accepted)
        }
    }
}
