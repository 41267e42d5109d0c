import Foundation
import Testing
import ZeroMQ

/// A client that is not a validator sends junk to a node's consensus port. Part of the serialized
/// ``ClusterProcessTests`` suite, so that it never runs beside another cluster.
extension ClusterProcessTests {
    @Test("junk frames on a node's ZeroMQ port are dropped and counted, and the chain carries on")
    func garbageIsIgnored() async throws {
        try await withRunningCluster { cluster, clients in
            _ = try await clients[0].commitRetrying(entity: "before-garbage")
            try sendGarbage(to: cluster, node: 1)

            // The transport counts what is not [routing id, header, payload] as malformed; a well-shaped
            // frame with a junk payload reaches the replica, which drops it as undecodable.
            try await waitUntil("node-1 counts malformed frames", timeout: .seconds(10)) {
                Self.counter(in: try await clients[1].metrics(), named: "subchain_transport_drops_total", label: #"reason="malformed""#) > 0
            }
            let metrics = try await clients[1].metrics()
            #expect(Self.counter(in: metrics, named: "subchain_consensus_drops_total", label: nil) > 0, "junk payloads should count as consensus drops")

            var highest: UInt64 = 0
            for round in 0..<4 { highest = max(highest, try await clients[round % 4].commitRetrying(entity: "after-garbage-\(round)").height) }
            try await waitUntilAgreed(clients, indices: [0, 1, 2, 3], atLeast: highest)
        }
    }

    /// Dials node `node` as a CURVE client with a throwaway key (CURVE without ZAP admits any client key,
    /// so only the server's public key from the genesis is needed) and sends junk multipart messages.
    private func sendGarbage(to cluster: TestCluster, node: Int) throws {
        let genesis = try JSONSerialization.jsonObject(with: Data(contentsOf: cluster.directory.appendingPathComponent("genesis.json"))) as? [String: Any]
        let validators = genesis?["validators"] as? [[String: Any]] ?? []
        let serverKey = try ZMQCurveKey(z85: validators[node]["transportKey"] as? String ?? "")
        let context = try ZMQContext()
        defer { context.close() }
        let socket = try ZMQSocket(
            context, type: .dealer,
            options: [.linger(.seconds(2)), .routingID(Array("intruder".utf8)), .curveClient(serverPublicKey: serverKey, keyPair: try ZMQCurveKeyPair.generate())])
        defer { socket.close() }
        try socket.connect("tcp://127.0.0.1:\(cluster.nodePortBase + node)")
        var junk = SystemRandomNumberGenerator()
        for round in 0..<20 {
            let noise = (0..<(16 + round * 7)).map { _ in UInt8.random(in: 0...255, using: &junk) }
            // Too many frames, an unknown header, and a data header with a payload that is not a message.
            _ = try socket.send([noise, noise, noise], timeout: .seconds(2))
            _ = try socket.send([[0x7f], noise], timeout: .seconds(2))
            _ = try socket.send([[0x01], noise], timeout: .seconds(2))
        }
    }

    /// The sum of a counter's samples whose labels contain `label`.
    fileprivate static func counter(in metrics: String, named name: String, label: String?) -> Double {
        metrics.split(separator: "\n").filter { line in
            line.hasPrefix(name) && (label.map { line.contains($0) } ?? true)
        }.reduce(0) { sum, line in sum + (Double(line.split(separator: " ").last ?? "") ?? 0) }
    }
}
