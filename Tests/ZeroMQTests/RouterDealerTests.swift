import Testing
import ZeroMQ

@Suite struct RouterDealerTests {
    @Test func routerSeesRoutingIDsAndRoutesReplies() throws {
        let context = try ZMQContext()
        defer { context.close() }
        let router = try ZMQSocket(context, type: .router, options: [.routerMandatory(true)])
        try router.bind("\(loopback):0")
        let endpoint = try router.lastEndpoint
        #expect(endpoint.hasPrefix("\(loopback):"))
        #expect(try port(of: endpoint) > 0)

        let idA = bytes("node-a"), idB = bytes("node-b")
        let dealerA = try ZMQSocket(context, type: .dealer, options: [.routingID(idA)])
        let dealerB = try ZMQSocket(context, type: .dealer, options: [.routingID(idB)])
        try dealerA.connect(endpoint)
        try dealerB.connect(endpoint)

        try dealerA.send([bytes("prepare"), [1, 2, 3]])
        try dealerB.send([bytes("commit"), [], [0xFF]])
        var received: [[UInt8]: [[UInt8]]] = [:]
        for _ in 0..<2 {
            let message = try #require(try router.receive(timeout: .seconds(5)))
            received[message[0]] = Array(message.dropFirst())
        }
        #expect(received[idA] == [bytes("prepare"), [1, 2, 3]])
        #expect(received[idB] == [bytes("commit"), [], [0xFF]])

        try router.send([idB, bytes("to-b")])
        try router.send([idA, bytes("to-a"), [9]])
        #expect(try dealerA.receive(timeout: .seconds(5)) == [bytes("to-a"), [9]])
        #expect(try dealerB.receive(timeout: .seconds(5)) == [bytes("to-b")])
        #expect(try dealerA.tryReceive() == nil)
        #expect(try dealerB.tryReceive() == nil)
    }

    @Test func mandatoryRouterRejectsUnknownRoutingID() throws {
        let context = try ZMQContext()
        defer { context.close() }
        let router = try ZMQSocket(context, type: .router, options: [.routerMandatory(true)])
        try router.bind("\(loopback):0")
        #expect(throws: ZMQError.hostUnreachable) { try router.send([bytes("nobody"), [1]]) }
        #expect(throws: ZMQError.hostUnreachable) { _ = try router.trySend([bytes("nobody"), [1]]) }
    }

    /// A peer that restarts after a hard crash dials in again under its routing id while the ROUTER
    /// still holds the dead connection: with hand-over the new connection gets the id (and the replies),
    /// without it the newcomer is shut out.
    @Test(arguments: [true, false]) func reconnectUnderARoutingIDInUse(handover: Bool) throws {
        let context = try ZMQContext()
        defer { context.close() }
        let router = try ZMQSocket(context, type: .router, options: [.routerHandover(handover)])
        try router.bind("\(loopback):0")
        let endpoint = try router.lastEndpoint
        let id = bytes("node-a")

        let stale = try ZMQSocket(context, type: .dealer, options: [.routingID(id)])
        try stale.connect(endpoint)
        try stale.send([bytes("before")])
        #expect(try router.receive(timeout: .seconds(5)) == [id, bytes("before")])

        let fresh = try ZMQSocket(context, type: .dealer, options: [.routingID(id)])
        try fresh.connect(endpoint)
        try fresh.send([bytes("after")])
        if handover {
            #expect(try router.receive(timeout: .seconds(5)) == [id, bytes("after")])
            try router.send([id, bytes("reply")])
            #expect(try fresh.receive(timeout: .seconds(5)) == [bytes("reply")])
            #expect(try stale.tryReceive() == nil)
        } else {
            #expect(try router.receive(timeout: .milliseconds(500)) == nil)
            try router.send([id, bytes("reply")])
            #expect(try stale.receive(timeout: .seconds(5)) == [bytes("reply")])
        }
    }

    @Test func emptyMessageIsRejected() throws {
        let context = try ZMQContext()
        defer { context.close() }
        let dealer = try ZMQSocket(context, type: .dealer)
        #expect(throws: ZMQError.invalidArgument) { try dealer.send([]) }
    }
}
