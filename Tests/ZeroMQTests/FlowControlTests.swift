import Testing
import ZeroMQ

@Suite struct FlowControlTests {
    @Test func sendToAbsentPeerWouldBlockOnceHighWaterMarkIsReached() throws {
        let context = try ZMQContext()
        defer { context.close() }
        let dealer = try ZMQSocket(context, type: .dealer, options: [.sendHighWaterMark(10)])
        try dealer.connect("\(loopback):\(try freePort())")

        var accepted = 0
        var wouldBlock = false
        for _ in 0..<1_000 {
            guard try dealer.trySend([bytes("vote")]) else {
                wouldBlock = true
                break
            }
            accepted += 1
        }
        #expect(wouldBlock)
        #expect(accepted == 10)
        // A bounded blocking send gives up too, and leaves the socket's own send timeout as it was.
        #expect(try dealer.send([bytes("vote")], timeout: .milliseconds(50)) == false)
        #expect(try dealer.trySend([bytes("vote")]) == false)
    }

    @Test func immediateDealerWithoutPeerWouldBlockAtOnce() throws {
        let context = try ZMQContext()
        defer { context.close() }
        let dealer = try ZMQSocket(context, type: .dealer, options: [.immediate(true)])
        try dealer.connect("\(loopback):\(try freePort())")
        #expect(try dealer.trySend([bytes("vote")]) == false)
    }

    @Test func sendTimeoutOptionBoundsBlockingSend() throws {
        let context = try ZMQContext()
        defer { context.close() }
        let dealer = try ZMQSocket(context, type: .dealer, options: [
            .immediate(true), .sendTimeout(.milliseconds(50)),
        ])
        try dealer.connect("\(loopback):\(try freePort())")
        #expect(throws: ZMQError.wouldBlock) { try dealer.send([bytes("vote")]) }
    }

    @Test func frameOverMaxMessageSizeIsDropped() throws {
        let context = try ZMQContext()
        defer { context.close() }
        let router = try ZMQSocket(context, type: .router, options: [.maxMessageSize(1024)])
        try router.bind("\(loopback):0")
        let dealer = try ZMQSocket(context, type: .dealer, options: [
            .routingID(bytes("peer")), .reconnectInterval(.milliseconds(50)),
        ])
        try dealer.connect(router.lastEndpoint)

        try dealer.send([[UInt8](repeating: 1, count: 1024)])
        #expect(try router.receive(timeout: .seconds(5)) == [bytes("peer"), [UInt8](repeating: 1, count: 1024)])

        try dealer.send([[UInt8](repeating: 2, count: 1025)])
        #expect(try router.receive(timeout: .seconds(1)) == nil)

        // The router dropped that connection; the dealer reconnects and small frames flow again.
        try dealer.send([bytes("small")])
        #expect(try router.receive(timeout: .seconds(5)) == [bytes("peer"), bytes("small")])
    }
}
