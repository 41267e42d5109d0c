import Consensus
import Hummingbird
import HummingbirdTesting
import Ledger
@testable import SubChainNode
import Testing

@Suite("HTTP API: blocks")
struct BlockRoutesTests {
    @Test("blocks read back by height, as the latest and in pages, with events, hashes and certificate")
    func readBlocks() async throws {
        let node = try APITestNode()
        try await node.withAPI { client in
            let empty = try await client.send(.get, "/v1/blocks/latest")
            #expect(empty.status == .notFound)

            for index in 0..<3 {
                let response = try await client.send(.post, "/v1/events?wait=commit", json: "{\"entityId\":\"lot-\(index)\",\"type\":\"made\"}")
                #expect(response.status == .ok)
            }
            let latest = try await client.send(.get, "/v1/blocks/latest")
            #expect(latest.status == .ok)
            let head = try latest.jsonObject()
            let height = try #require(head["height"] as? Int)
            #expect(height >= 3)
            let certificate = try #require(head["certificate"] as? [String: Any])
            #expect(certificate["signers"] as? [String] == ["node-0"])
            #expect((head["hash"] as? String)?.count == 64 && (head["digest"] as? String)?.count == 64)
            #expect(head["duplicateEventIds"] as? [String] == [])
            let events = try #require(head["events"] as? [[String: Any]])
            #expect((events.first?["event"] as? [String: Any])?["entityId"] as? String == "lot-2")
            #expect(events.first?["id"] as? String == ClientEvent(entityId: "lot-2", type: "made").id.hex)

            let byHeight = try await client.send(.get, "/v1/blocks/\(height)")
            #expect(try byHeight.jsonObject()["hash"] as? String == head["hash"] as? String)

            let first = try await client.send(.get, "/v1/blocks/1")
            let second = try await client.send(.get, "/v1/blocks/2")
            #expect(try second.jsonObject()["previousHash"] as? String == first.jsonObject()["hash"] as? String)

            let page = try await client.send(.get, "/v1/blocks?from=1&limit=2")
            let pageObject = try page.jsonObject()
            #expect((pageObject["blocks"] as? [[String: Any]])?.compactMap { $0["height"] as? Int } == [1, 2])
            #expect(pageObject["next"] as? Int == 3)
            let rest = try await client.send(.get, "/v1/blocks?from=\(height)")
            #expect(try rest.jsonObject()["next"] == nil)
        }
    }

    @Test(
        "bad heights and page parameters get 400, missing blocks 404",
        arguments: [
            ("/v1/blocks/abc", 400), ("/v1/blocks/0", 400), ("/v1/blocks/-1", 400), ("/v1/blocks/999", 404),
            ("/v1/blocks?limit=101", 400), ("/v1/blocks?limit=0", 400), ("/v1/blocks?from=x", 400), ("/v1/blocks?from=0", 400),
        ])
    func badRequests(uri: String, status: Int) async throws {
        let node = try APITestNode()
        try await node.withAPI { client in
            let response = try await client.send(.get, uri)
            #expect(response.status.code == status, "\(response.text)")
            #expect(try response.apiError()["code"] is String)
        }
    }

    @Test("an empty chain has an empty first page")
    func emptyPage() async throws {
        let node = try APITestNode()
        try await node.withAPI { client in
            let response = try await client.send(.get, "/v1/blocks")
            #expect(response.status == .ok)
            #expect((try response.jsonObject()["blocks"] as? [Any])?.isEmpty == true)
        }
    }
}
