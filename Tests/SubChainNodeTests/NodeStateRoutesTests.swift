import Hummingbird
import HummingbirdTesting
@testable import SubChainNode
import Testing

@Suite("HTTP API: status, probes and metrics")
struct NodeStateRoutesTests {
    @Test("status names the node, chain, leader and height")
    func status() async throws {
        let node = try APITestNode()
        try await node.withAPI { client in
            _ = try await client.send(.post, "/v1/events?wait=commit", json: #"{"entityId":"s","type":"t"}"#)
            let object = try await client.send(.get, "/v1/status").jsonObject()
            #expect(object["nodeId"] as? String == "node-0")
            #expect(object["chainId"] as? String == "api-test")
            #expect(object["leader"] as? String == "node-0")
            #expect((object["height"] as? Int ?? 0) >= 1)
            #expect((object["headHash"] as? String)?.count == 64)
            #expect(object["changingView"] as? Bool == false && object["catchingUp"] as? Bool == false)
            #expect(object["validators"] as? Int == 1)
            #expect((object["peers"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("a lone validator is alive and ready")
    func probesReady() async throws {
        let node = try APITestNode()
        try await node.withAPI { client in
            #expect(try await client.send(.get, "/healthz").status == .ok)
            let ready = try await client.send(.get, "/readyz")
            #expect(ready.status == .ok)
            #expect(try ready.jsonObject()["status"] as? String == "ready")
        }
    }

    @Test("a validator of four without peers is alive but not ready, and lists its peers as connecting")
    func probesNotReady() async throws {
        let node = try APITestNode(validators: 4)
        try await node.withAPI { client in
            #expect(try await client.send(.get, "/healthz").status == .ok)
            let ready = try await client.send(.get, "/readyz")
            #expect(ready.status == .serviceUnavailable)
            let reasons = try #require(try ready.jsonObject()["reasons"] as? [String])
            #expect(reasons.contains { $0.contains("connected to 0 peers") })
            let peers = try #require(try await client.send(.get, "/v1/status").jsonObject()["peers"] as? [[String: Any]])
            #expect(peers.compactMap { $0["id"] as? String } == ["node-1", "node-2", "node-3"])
            #expect(peers.allSatisfy { $0["state"] as? String == "connecting" })
        }
    }

    @Test("metrics expose commits, view changes, messages, drops, latency and peers")
    func metrics() async throws {
        let node = try APITestNode()
        try await node.withAPI { client in
            _ = try await client.send(.post, "/v1/events?wait=commit", json: #"{"entityId":"m","type":"t"}"#)
            // A frame that does not decode is dropped and counted.
            await node.driver.receive([0xff, 0x00, 0x01])
            let response = try await client.send(.get, "/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = response.text
            for expected in [
                "# TYPE subchain_blocks_committed_total counter", "subchain_events_committed_total 1",
                "subchain_view_changes_started_total 0", "subchain_views_installed_total",
                "subchain_consensus_drops_total{reason=\"malformed\"} 1", "subchain_transport_drops_total{reason=\"queueFull\"} 0",
                "# TYPE subchain_commit_latency_seconds histogram", "subchain_commit_latency_seconds_count 1",
                "subchain_peers_connected 0", "subchain_height ",
            ] {
                #expect(text.contains(expected), "missing \(expected) in\n\(text)")
            }
            // A second scrape does not count commits twice.
            let again = try await client.send(.get, "/metrics").text
            #expect(again.contains("subchain_events_committed_total 1"))
        }
    }

    @Test(
        "readiness needs quorum − 1 peers and no view change or catch-up",
        arguments: [
            (1, 0, false, false, true), (4, 1, false, false, false), (4, 2, false, false, true), (4, 3, true, false, false),
            (4, 3, false, true, false), (7, 3, false, false, false), (7, 4, false, false, true),
        ])
    func readiness(validators: Int, connected: Int, catchingUp: Bool, changingView: Bool, ready: Bool) {
        let readiness = NodeReadiness(
            validators: validators, connectedPeers: connected, isCatchingUp: catchingUp, isChangingView: changingView, failure: nil)
        #expect(readiness.isReady == ready)
        #expect(readiness.reasons.isEmpty == ready)
    }

    @Test("a storage failure makes the node not ready")
    func failureNotReady() {
        let readiness = NodeReadiness(validators: 1, connectedPeers: 0, isCatchingUp: false, isChangingView: false, failure: "disk full")
        #expect(!readiness.isReady && readiness.reasons.first?.contains("disk full") == true)
    }
}
