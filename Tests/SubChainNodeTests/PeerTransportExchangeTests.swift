import Consensus
import Foundation
import Testing
import ZeroMQ

@testable import SubChainNode

/// Real transports over loopback TCP. Every wait is bounded.
@Suite("PeerTransport exchange", .timeLimit(.minutes(1)))
struct PeerTransportExchangeTests {
    typealias Support = PeerTransportTestSupport

    @Test func fourNodesSendAndBroadcast() async throws {
        let transports = try await Support.cluster(4)
        defer { for transport in transports { transport.close() } }
        let collectors = transports.map(FrameCollector.init)

        for round in 0..<20 {
            for (index, transport) in transports.enumerated() {
                transport.broadcast(Array("b\(index)-\(round)".utf8))
            }
            transports[0].send(Array("s0-\(round)".utf8), to: ReplicaID(2))
        }

        // Node 2 gets 3 × 20 broadcasts and 20 sends; the others 3 × 20 broadcasts.
        let expected = [60, 60, 80, 60]
        let arrived = try await Support.eventually {
            zip(collectors, expected).allSatisfy { $0.frames.count >= $1 }
        }
        #expect(arrived)
        // No duplicates trail in.
        try await Task.sleep(for: .milliseconds(200))
        for (index, collector) in collectors.enumerated() {
            #expect(collector.frames.count == expected[index])
            for sender in 0..<4 where sender != index {
                var wanted = (0..<20).map { "b\(sender)-\($0)" }
                if sender == 0, index == 2 {
                    // Order is kept per sender, so sends and broadcasts interleave as they were queued.
                    wanted = (0..<20).flatMap { ["b0-\($0)", "s0-\($0)"] }
                }
                #expect(collector.texts(from: UInt32(sender)) == wanted, "node-\(index) from node-\(sender)")
            }
        }
        let status = transports[0].status()
        #expect(status.peers[ReplicaID(2)]?.sent == 40)
        #expect(status.peers[ReplicaID(1)]?.received == 20)
        #expect(try await Support.eventually { transports[0].status().connectedCount == 3 })
    }

    @Test func curveEncryptedNodesExchangeAndWrongServerKeyNeverDelivers() async throws {
        let keys = try (0..<3).map { _ in try ZMQCurveKeyPair.generate() }
        let ports = try (0..<3).map { _ in try Support.freePort() }
        func address(_ index: Int, key: ZMQCurveKey) -> PeerAddress {
            PeerAddress(id: ReplicaID(UInt32(index)), host: "127.0.0.1", port: ports[index], curveKey: key)
        }
        let node0 = try await PeerTransport.start(Support.configuration(
            0, port: ports[0], peers: [address(1, key: keys[1].publicKey), address(2, key: keys[2].publicKey)],
            keys: keys[0]
        ))
        defer { node0.close() }
        let node1 = try await PeerTransport.start(Support.configuration(
            1, port: ports[1], peers: [address(0, key: keys[0].publicKey)], keys: keys[1]
        ))
        defer { node1.close() }
        // node-2 believes node-0's server key is someone else's.
        let wrongKey = try ZMQCurveKeyPair.generate().publicKey
        let node2 = try await PeerTransport.start(Support.configuration(
            2, port: ports[2], peers: [address(0, key: wrongKey)], keys: keys[2]
        ))
        defer { node2.close() }
        let collector = FrameCollector(node0)

        node1.send(Array("hello from 1".utf8), to: ReplicaID(0))
        node2.send(Array("hello from 2".utf8), to: ReplicaID(0))

        #expect(try await Support.eventually { collector.texts == ["hello from 1"] })
        try await Task.sleep(for: .seconds(1))
        #expect(collector.texts == ["hello from 1"])
        #expect(node2.status().peers[ReplicaID(0)]?.state == .connecting)
        #expect(node1.status().peers[ReplicaID(0)]?.state == .connected)
    }

    @Test func deadPeerDoesNotBlockLivePeer() async throws {
        let ports = try (0..<3).map { _ in try Support.freePort() }
        let live = try await PeerTransport.start(Support.configuration(
            1, port: ports[1], peers: [PeerAddress(id: ReplicaID(0), host: "127.0.0.1", port: ports[0])]
        ))
        defer { live.close() }
        let node0 = try await PeerTransport.start(Support.configuration(0, port: ports[0], peers: [
            PeerAddress(id: ReplicaID(1), host: "127.0.0.1", port: ports[1]),
            // Configured, never started.
            PeerAddress(id: ReplicaID(2), host: "127.0.0.1", port: ports[2]),
        ]))
        defer { node0.close() }
        let collector = FrameCollector(live)

        let started = ContinuousClock.now
        for index in 0..<10_000 { node0.send(Array("dead-\(index)".utf8), to: ReplicaID(2)) }
        for index in 0..<100 { node0.send(Array("live-\(index)".utf8), to: ReplicaID(1)) }
        #expect(ContinuousClock.now - started < .seconds(2), "sending must never block")

        #expect(try await Support.eventually { collector.frames.count >= 100 })
        #expect(collector.texts == (0..<100).map { "live-\($0)" })
        let dead = try #require(node0.status().peers[ReplicaID(2)])
        #expect(dead.dropped(.queueFull) > 0)
        #expect(try await Support.eventually {
            let dead = node0.status().peers[ReplicaID(2)]
            return dead.map { $0.sent + $0.dropped(.queueFull) } == 10_000
        })
        #expect(dead.state == .connecting)
        #expect(node0.status().peers[ReplicaID(1)]?.dropped(.queueFull) == 0)
    }

    @Test func latePeerIsReachedOnceItBinds() async throws {
        let ports = try (0..<2).map { _ in try Support.freePort() }
        let node0 = try await PeerTransport.start(Support.configuration(
            0, port: ports[0], peers: [PeerAddress(id: ReplicaID(1), host: "127.0.0.1", port: ports[1])]
        ))
        defer { node0.close() }
        for index in 0..<5 { node0.send(Array("early-\(index)".utf8), to: ReplicaID(1)) }
        // Long enough for several refused dials and backoff.
        try await Task.sleep(for: .milliseconds(400))
        #expect(node0.status().peers[ReplicaID(1)]?.state == .connecting)

        let node1 = try await PeerTransport.start(Support.configuration(
            1, port: ports[1], peers: [PeerAddress(id: ReplicaID(0), host: "127.0.0.1", port: ports[0])]
        ))
        defer { node1.close() }
        let collector = FrameCollector(node1)
        node0.send(Array("late".utf8), to: ReplicaID(1))

        // Frames queued while the peer was down are kept (up to the high-water mark) and flushed on connect.
        #expect(try await Support.eventually { collector.frames.count >= 6 })
        #expect(collector.texts == (0..<5).map { "early-\($0)" } + ["late"])
        #expect(try await Support.eventually { node0.status().peers[ReplicaID(1)]?.state == .connected })
    }
}
