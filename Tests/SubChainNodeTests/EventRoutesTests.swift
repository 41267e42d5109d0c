import Consensus
import Hummingbird
import HummingbirdTesting
import Ledger
@testable import SubChainNode
import Testing

@Suite("HTTP API: events")
struct EventRoutesTests {
    static let shipped = #"{"entityId":"lot-7","type":"shipped","details":{"carrier":"acme","to":"Lyon"},"nonce":"1"}"#

    @Test("one event gets 202 with its content id, then reads back as committed with its block and content")
    func submitOne() async throws {
        let node = try APITestNode()
        try await node.withAPI { client in
            let response = try await client.send(.post, "/v1/events", json: Self.shipped)
            #expect(response.status == .accepted)
            let expectedID = ClientEvent(entityId: "lot-7", type: "shipped", details: ["carrier": "acme", "to": "Lyon"], nonce: "1").id.hex
            let events = try #require(try response.jsonObject()["events"] as? [[String: Any]])
            #expect(events.count == 1 && events[0]["id"] as? String == expectedID && events[0]["status"] as? String == "accepted")

            let found = try await client.waitUntilCommitted(expectedID)
            #expect(found["status"] as? String == "committed")
            let block = try #require(found["block"] as? [String: Any])
            #expect(block["height"] as? Int == 1 && block["position"] as? Int == 0)
            let event = try #require(found["event"] as? [String: Any])
            #expect(event["entityId"] as? String == "lot-7" && (event["details"] as? [String: String])?["to"] == "Lyon")
        }
    }

    @Test("a batch with ?wait=commit answers 200 once committed, with each event's height")
    func waitForCommit() async throws {
        let node = try APITestNode()
        let metrics = NodeMetrics()
        try await node.withAPI(metrics: metrics) { client in
            let batch = #"{"events":[{"entityId":"a","type":"t"},{"entityId":"b","type":"t","clientId":"c-1"}]}"#
            let response = try await client.send(.post, "/v1/events?wait=commit", json: batch)
            #expect(response.status == .ok, "\(response.text)")
            let events = try #require(try response.jsonObject()["events"] as? [[String: Any]])
            #expect(events.count == 2)
            #expect(events.allSatisfy { $0["status"] as? String == "committed" && ($0["height"] as? Int ?? 0) >= 1 })
            #expect(events[0]["id"] as? String == ClientEvent(entityId: "a", type: "t").id.hex)
        }
        #expect(String(decoding: metrics.registry.emitToBuffer(), as: UTF8.self).contains("subchain_commit_latency_seconds_count 1"))
    }

    @Test("?wait=commit answers 504 with the ids still pending when nothing can commit")
    func commitTimeout() async throws {
        // Four validators with only this one running: no quorum, so nothing commits.
        let node = try APITestNode(validators: 4)
        try await node.withAPI(NodeAPIConfiguration(commitWaitTimeout: .milliseconds(200))) { client in
            let response = try await client.send(.post, "/v1/events?wait=commit", json: Self.shipped)
            #expect(response.status == .gatewayTimeout)
            let object = try response.jsonObject()
            #expect((object["error"] as? [String: Any])?["code"] as? String == "commit_timeout")
            let events = try #require(object["events"] as? [[String: Any]])
            #expect(events.count == 1 && events[0]["status"] as? String == "pending")

            let id = try #require(events[0]["id"] as? String)
            let lookup = try await client.send(.get, "/v1/events/\(id)")
            #expect(lookup.status == .ok)
            #expect(try lookup.jsonObject()["status"] as? String == "pending")
        }
    }

    @Test("a submission after the driver stopped gets 503 node_stopped, and the event is not held")
    func submitAfterStop() async throws {
        let node = try APITestNode()
        try await node.withAPI { client in
            await node.driver.shutdown()
            let response = try await client.send(.post, "/v1/events", json: Self.shipped)
            #expect(response.status == .serviceUnavailable)
            let error = try #require(try response.jsonObject()["error"] as? [String: Any])
            #expect(error["code"] as? String == "node_stopped")
            #expect((error["message"] as? String)?.contains("shutting down") == true)
            let id = ClientEvent(entityId: "lot-7", type: "shipped", details: ["carrier": "acme", "to": "Lyon"], nonce: "1").id.hex
            #expect(try await client.send(.get, "/v1/events/\(id)").status == .notFound)
        }
    }

    @Test("events the node refuses as overload get 503 with Retry-After and each event's state")
    func overload() async throws {
        let node = try APITestNode(maxBatchEvents: 2, maxPendingEvents: 2)
        try await node.withAPI(NodeAPIConfiguration(overloadRetryAfterSeconds: 3)) { client in
            let batch = "{\"events\":[" + (0..<5).map { "{\"entityId\":\"e-\($0)\",\"type\":\"t\"}" }.joined(separator: ",") + "]}"
            let response = try await client.send(.post, "/v1/events", json: batch)
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "3")
            let object = try response.jsonObject()
            #expect((object["error"] as? [String: Any])?["code"] as? String == "overloaded")
            let states = try #require(object["events"] as? [[String: Any]]).compactMap { $0["status"] as? String }
            #expect(states == ["accepted", "accepted", "overloaded", "overloaded", "overloaded"])
        }
    }

    @Test(
        "bad input gets 400 naming the problem and the field",
        arguments: [
            ("{\"entityId\":", "malformed_json", nil),
            ("[1,2]", "wrong_type", nil),
            (#"{"entityId":5,"type":"t"}"#, "wrong_type", "entityId"),
            (#"{"entityId":"x"}"#, "missing_field", "type"),
            (#"{"entityId":"x","type":"t","details":{"color":3}}"#, "wrong_type", "details.color"),
            (#"{"entityId":"","type":"t"}"#, "invalid_event", "entityId"),
            (#"{"events":[{"entityId":"a","type":"t"},{"entityId":"b"}]}"#, "missing_field", "events[1].type"),
            (#"{"events":[{"entityId":"a","type":"t"},{"entityId":"b","type":""}]}"#, "invalid_event", "events[1].type"),
            (#"{"events":[]}"#, "empty_batch", "events"),
            (#"{"events":{"entityId":"a"}}"#, "wrong_type", "events"),
            ("", "empty_body", nil),
        ] as [(String, String, String?)])
    func badInput(body: String, code: String, field: String?) async throws {
        let node = try APITestNode()
        try await node.withAPI { client in
            let response = try await client.send(.post, "/v1/events", json: body)
            #expect(response.status == .badRequest, "\(response.text)")
            let error = try response.apiError()
            #expect(error["code"] as? String == code, "\(response.text)")
            #expect(error["field"] as? String == field, "\(response.text)")
            #expect((error["message"] as? String)?.isEmpty == false)
        }
    }

    @Test("a batch with one invalid event submits none of it")
    func noHalfBatch() async throws {
        let node = try APITestNode()
        try await node.withAPI { client in
            let detail = String(repeating: "x", count: 5_000)
            let batch = #"{"events":[{"entityId":"ok","type":"t"},{"entityId":"big","type":"t","details":{"k":"\#(detail)"}}]}"#
            let response = try await client.send(.post, "/v1/events", json: batch)
            #expect(response.status == .badRequest)
            #expect(try response.apiError()["field"] as? String == "events[1].details.k")
            let lookup = try await client.send(.get, "/v1/events/\(ClientEvent(entityId: "ok", type: "t").id.hex)")
            #expect(lookup.status == .notFound)
            #expect(await node.driver.status.pendingEvents == 0)
            #expect(await node.driver.status.height == 0)
        }
    }

    @Test("batches over the event limit get 400, bodies over the byte limit 413, an unknown wait 400")
    func limits() async throws {
        let node = try APITestNode()
        try await node.withAPI(NodeAPIConfiguration(maxBodyBytes: 300, maxBatchEvents: 2)) { client in
            let three = "{\"events\":[" + (0..<3).map { "{\"entityId\":\"\($0)\",\"type\":\"t\"}" }.joined(separator: ",") + "]}"
            let tooMany = try await client.send(.post, "/v1/events", json: three)
            #expect(tooMany.status == .badRequest)
            #expect(try tooMany.apiError()["code"] as? String == "batch_too_large")

            let big = #"{"entityId":"x","type":"t","details":{"k":"\#(String(repeating: "y", count: 400))"}}"#
            let tooLarge = try await client.send(.post, "/v1/events", json: big)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(try tooLarge.apiError()["code"] as? String == "body_too_large")

            let wait = try await client.send(.post, "/v1/events?wait=forever", json: Self.shipped)
            #expect(wait.status == .badRequest)
            #expect(try wait.apiError()["field"] as? String == "wait")
        }
    }

    @Test("event lookup: 400 for a malformed id, 404 for an unknown one")
    func lookupErrors() async throws {
        let node = try APITestNode()
        try await node.withAPI { client in
            let malformed = try await client.send(.get, "/v1/events/not-a-hash")
            #expect(malformed.status == .badRequest)
            #expect(try malformed.apiError()["code"] as? String == "invalid_id")
            let unknown = try await client.send(.get, "/v1/events/\(String(repeating: "ab", count: 32))")
            #expect(unknown.status == .notFound)
            #expect(try unknown.apiError()["code"] as? String == "not_found")
        }
    }
}
