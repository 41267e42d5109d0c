import Testing
import ZeroMQ

@Suite struct CurveTests {
    @Test func clientWithServerKeyTalksAndWrongKeyNeverDelivers() throws {
        let context = try ZMQContext()
        defer { context.close() }
        let serverKeys = try ZMQCurveKeyPair.generate()
        let router = try ZMQSocket(context, type: .router, options: [.curveServer(secretKey: serverKeys.secretKey)])
        try router.bind("\(loopback):0")
        let endpoint = try router.lastEndpoint

        let client = try ZMQSocket(context, type: .dealer, options: [
            .routingID(bytes("client")),
            .curveClient(serverPublicKey: serverKeys.publicKey, keyPair: ZMQCurveKeyPair.generate()),
        ])
        try client.connect(endpoint)
        try client.send([bytes("hello")])
        #expect(try router.receive(timeout: .seconds(5)) == [bytes("client"), bytes("hello")])
        try router.send([bytes("client"), bytes("welcome")])
        #expect(try client.receive(timeout: .seconds(5)) == [bytes("welcome")])

        let intruder = try ZMQSocket(context, type: .dealer, options: [
            .routingID(bytes("intruder")),
            .curveClient(serverPublicKey: ZMQCurveKeyPair.generate().publicKey, keyPair: ZMQCurveKeyPair.generate()),
            .handshakeInterval(.milliseconds(500)),
        ])
        try intruder.connect(endpoint)
        try intruder.send([bytes("let me in")])
        #expect(try router.receive(timeout: .seconds(2)) == nil)

        let plaintext = try ZMQSocket(context, type: .dealer, options: [.routingID(bytes("plain"))])
        try plaintext.connect(endpoint)
        try plaintext.send([bytes("no keys")])
        #expect(try router.receive(timeout: .milliseconds(500)) == nil)

        // The server still serves the legitimate client.
        try client.send([bytes("again")])
        #expect(try router.receive(timeout: .seconds(5)) == [bytes("client"), bytes("again")])
    }
}
