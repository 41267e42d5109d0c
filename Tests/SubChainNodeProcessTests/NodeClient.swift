import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// JSON over HTTP to one node's API, every call bounded by a timeout.
struct NodeClient {
    let baseURL: String

    /// An event the node acknowledged as committed.
    struct Committed: Sendable {
        var id: String
        var height: UInt64
    }

    struct Reply {
        var status: Int
        var json: [String: Any]
        var text: String
    }

    /// Sends a request; network errors throw.
    func send(_ method: HTTPMethod, _ path: String, json body: String? = nil, timeout: Int64 = 15) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeout))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        let data = Data(bytes.readableBytesView)
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return Reply(status: Int(response.status.code), json: json, text: String(decoding: data, as: UTF8.self))
    }

    /// `GET /v1/status`.
    func status() async throws -> [String: Any] {
        let reply = try await send(.GET, "/v1/status", timeout: 5)
        guard reply.status == 200 else { throw ClusterError("status \(reply.status): \(reply.text)") }
        return reply.json
    }

    /// The node's height, from `/v1/status`.
    func height() async throws -> UInt64 {
        guard let height = try await status()["height"] as? NSNumber else { throw ClusterError("no height in status") }
        return height.uint64Value
    }

    /// `GET /v1/blocks/latest`'s height and hash; (0, "") before the first block.
    func latest() async throws -> (height: UInt64, hash: String) {
        let reply = try await send(.GET, "/v1/blocks/latest", timeout: 5)
        guard reply.status == 200 else { return (0, "") }
        return ((reply.json["height"] as? NSNumber)?.uint64Value ?? 0, reply.json["hash"] as? String ?? "")
    }

    /// Submits one event with `?wait=commit`.
    /// - Returns: the event id (hex) and the height it committed at.
    /// - Throws: when the node does not answer 200 with a committed event.
    func commit(entity: String, type: String = "shipped", nonce: String = UUID().uuidString) async throws -> Committed {
        let body = #"{"entityId":"\#(entity)","type":"\#(type)","details":{"by":"process-test"},"nonce":"\#(nonce)"}"#
        let reply = try await send(.POST, "/v1/events?wait=commit", json: body, timeout: 20)
        guard reply.status == 200, let events = reply.json["events"] as? [[String: Any]], let first = events.first,
            first["status"] as? String == "committed", let height = first["height"] as? NSNumber, let id = first["id"] as? String
        else { throw ClusterError("submit to \(baseURL) got \(reply.status): \(reply.text)") }
        return Committed(id: id, height: height.uint64Value)
    }

    /// Submits one event with `?wait=commit`, retrying (bounded) while the node answers 503/504 or is
    /// unreachable, as a client would during a view change.
    func commitRetrying(entity: String, attempts: Int = 4) async throws -> Committed {
        let nonce = UUID().uuidString
        var lastError: any Error = ClusterError("no attempt")
        for _ in 0..<attempts {
            do {
                // The same nonce makes a retry the same event, so it cannot commit twice.
                return try await commit(entity: entity, nonce: nonce)
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        throw lastError
    }

    /// Every block from height 1, paging through `/v1/blocks`, as (height, hash, previousHash).
    func chain() async throws -> [(height: UInt64, hash: String, previousHash: String)] {
        var result: [(UInt64, String, String)] = []
        var from: UInt64? = 1
        while let start = from {
            let reply = try await send(.GET, "/v1/blocks?from=\(start)&limit=100", timeout: 10)
            guard reply.status == 200, let blocks = reply.json["blocks"] as? [[String: Any]] else {
                throw ClusterError("blocks from \(baseURL) got \(reply.status): \(reply.text)")
            }
            for block in blocks {
                result.append(
                    ((block["height"] as? NSNumber)?.uint64Value ?? 0, block["hash"] as? String ?? "", block["previousHash"] as? String ?? ""))
            }
            from = (reply.json["next"] as? NSNumber)?.uint64Value
        }
        return result
    }

    /// Whether the event `id` (hex) is committed on this node.
    func isCommitted(_ id: String) async throws -> Bool {
        let reply = try await send(.GET, "/v1/events/\(id)", timeout: 5)
        return reply.status == 200 && reply.json["status"] as? String == "committed"
    }

    /// `/metrics` as text.
    func metrics() async throws -> String { try await send(.GET, "/metrics", timeout: 5).text }
}
