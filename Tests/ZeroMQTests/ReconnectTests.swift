import Testing
import ZeroMQ

@Suite struct ReconnectTests {
    @Test func dealerConnectedBeforeRouterBindsDeliversOnceItDoes() throws {
        let context = try ZMQContext()
        defer { context.close() }
        let port = try freePort()
        let dealer = try ZMQSocket(context, type: .dealer, options: [
            .routingID(bytes("early")),
            .reconnectInterval(.milliseconds(50)),
            .reconnectIntervalMax(.milliseconds(200)),
        ])
        try dealer.connect("\(loopback):\(port)")
        try dealer.send([bytes("queued before bind")])
        // Let at least one connection attempt be refused.
        #expect(try dealer.receive(timeout: .milliseconds(200)) == nil)

        let router = try ZMQSocket(context, type: .router)
        try router.bind("\(loopback):\(port)")
        #expect(try router.receive(timeout: .seconds(5)) == [bytes("early"), bytes("queued before bind")])
        try router.send([bytes("early"), bytes("reply")])
        #expect(try dealer.receive(timeout: .seconds(5)) == [bytes("reply")])
    }
}
