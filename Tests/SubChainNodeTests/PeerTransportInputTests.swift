import Consensus
import Foundation
import Testing
import ZeroMQ

@testable import SubChainNode

/// Hostile or broken input from a raw DEALER that speaks the wire format by hand.
@Suite("PeerTransport input bounds", .timeLimit(.minutes(1)))
struct PeerTransportInputTests {
    typealias Support = PeerTransportTestSupport

    /// Starts a transport that knows node-1, and a raw DEALER calling itself node-1 dialling it.
    private func rawPeer(maxFrameBytes: Int = 64 * 1024) async throws -> (PeerTransport, ZMQContext, ZMQSocket) {
        let ports = try (0..<2).map { _ in try Support.freePort() }
        let transport = try await PeerTransport.start(Support.configuration(
            0, port: ports[0], peers: [PeerAddress(id: ReplicaID(1), host: "127.0.0.1", port: ports[1])],
            maxFrameBytes: maxFrameBytes
        ))
        let context = try ZMQContext()
        let dealer = try ZMQSocket(context, type: .dealer, options: [
            .routingID(Array("node-1".utf8)), .reconnectInterval(.milliseconds(20)),
        ])
        try dealer.connect(transport.boundEndpoint)
        return (transport, context, dealer)
    }

    @Test func oversizeFrameIsDroppedAndTheLinkRecovers() async throws {
        let (transport, context, dealer) = try await rawPeer(maxFrameBytes: 1024)
        defer { transport.close(); dealer.close(); context.close() }
        let collector = FrameCollector(transport)

        try dealer.send([PeerWireFormat.dataHeader, [UInt8](repeating: 7, count: 4096)])
        // libzmq drops the connection carrying the oversize frame (and whatever followed it on that
        // connection); the DEALER redials, so keep sending until a frame gets through.
        var attempt = 0
        let recovered = try await Support.eventually {
            attempt += 1
            _ = try? dealer.trySend([PeerWireFormat.dataHeader, Array("after-\(attempt)".utf8)])
            return !collector.frames.isEmpty
        }
        #expect(recovered)
        #expect(collector.frames.allSatisfy { $0.payload.count < 1024 })
        #expect(collector.frames.first?.claimedSender == ReplicaID(1))

        // Our own oversize sends are refused before they can cost a peer its connection.
        transport.send([UInt8](repeating: 1, count: 1025), to: ReplicaID(1))
        #expect(transport.status().peers[ReplicaID(1)]?.dropped(.oversize) == 1)
    }

    @Test func malformedMultipartIsRejectedAndCounted() async throws {
        let (transport, context, dealer) = try await rawPeer()
        defer { transport.close(); dealer.close(); context.close() }
        let collector = FrameCollector(transport)

        try dealer.send([PeerWireFormat.dataHeader, Array("x".utf8), Array("extra".utf8)])
        try dealer.send([PeerWireFormat.dataHeader])
        try dealer.send([[0x09], Array("unknown header".utf8)])
        try dealer.send([PeerWireFormat.dataHeader, []])
        try dealer.send([PeerWireFormat.pingHeader, Array("ping with a body".utf8)])
        try dealer.send([PeerWireFormat.dataHeader, Array("valid".utf8)])

        #expect(try await Support.eventually { !collector.frames.isEmpty })
        #expect(try await Support.eventually { transport.status().dropped(.malformed) == 5 })
        try await Task.sleep(for: .milliseconds(100))
        #expect(collector.texts == ["valid"])
        #expect(transport.status().peers[ReplicaID(1)]?.dropped(.malformed) == 5)
        #expect(transport.status().peers[ReplicaID(1)]?.received == 1)
    }

    @Test func slowConsumerLosesTheOldestFramesAndTheyAreCounted() async throws {
        let ports = try (0..<2).map { _ in try Support.freePort() }
        var configuration = Support.configuration(
            0, port: ports[0], peers: [PeerAddress(id: ReplicaID(1), host: "127.0.0.1", port: ports[1])]
        )
        configuration.inboxCapacity = 10
        let transport = try await PeerTransport.start(configuration)
        defer { transport.close() }
        let context = try ZMQContext()
        let dealer = try ZMQSocket(context, type: .dealer, options: [.routingID(Array("node-1".utf8))])
        defer { dealer.close(); context.close() }
        try dealer.connect(transport.boundEndpoint)

        for index in 0..<50 { try dealer.send(PeerWireFormat.data(Array("f\(index)".utf8))) }
        #expect(try await Support.eventually { transport.status().peers[ReplicaID(1)]?.received == 50 })
        #expect(transport.status().peers[ReplicaID(1)]?.dropped(.inboxFull) == 40)
        // Nobody was reading: the newest ten are what is left.
        let collector = FrameCollector(transport)
        #expect(try await Support.eventually { collector.frames.count == 10 })
        #expect(collector.texts == (40..<50).map { "f\($0)" })
    }

    @Test func routerAnswersPingsWithPongs() async throws {
        let (transport, context, dealer) = try await rawPeer()
        defer { transport.close(); dealer.close(); context.close() }
        try dealer.send(PeerWireFormat.ping)
        let reply = try dealer.receive(timeout: .seconds(5))
        #expect(reply.map(PeerWireFormat.isPong) == true)
    }

    @Test func classifiesWireMessages() {
        let id = Array("node-3".utf8)
        #expect(PeerWireFormat.classify([id] + PeerWireFormat.data([1, 2])) == .data(routingID: id, payload: [1, 2]))
        #expect(PeerWireFormat.classify([id] + PeerWireFormat.ping) == .ping(routingID: id))
        #expect(PeerWireFormat.classify([id]) == .malformed(routingID: id))
        #expect(PeerWireFormat.classify([id, PeerWireFormat.pongHeader, []]) == .malformed(routingID: id))
    }
}
