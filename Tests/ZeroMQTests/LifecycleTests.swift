import Dispatch
import Foundation
import Testing
import ZeroMQ

@Suite struct LifecycleTests {
    @Test func closingTwiceIsHarmless() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context, type: .dealer)
        #expect(!socket.isClosed)
        socket.close()
        socket.close()
        #expect(socket.isClosed)
        context.close()
        context.close()
        #expect(context.isClosed)
    }

    @Test func operationsAfterCloseThrowSocketClosed() throws {
        let context = try ZMQContext()
        defer { context.close() }
        let socket = try ZMQSocket(context, type: .router)
        socket.close()
        #expect(throws: ZMQError.socketClosed) { try socket.bind("\(loopback):0") }
        #expect(throws: ZMQError.socketClosed) { try socket.connect("\(loopback):1") }
        #expect(throws: ZMQError.socketClosed) { try socket.setOption(.linger(.zero)) }
        #expect(throws: ZMQError.socketClosed) { try socket.send([[1]]) }
        #expect(throws: ZMQError.socketClosed) { _ = try socket.tryReceive() }
        #expect(throws: ZMQError.socketClosed) { _ = try socket.lastEndpoint }
        #expect(throws: ZMQError.socketClosed) { _ = try ZMQPoller([socket]).poll(timeout: .zero) }
        do {
            try socket.send([[1]])
        } catch {
            #expect(error.message.contains("closed"))
            #expect(error.description.contains("zmq_send"))
        }
    }

    @Test func invalidOptionOrEndpointThrows() throws {
        let context = try ZMQContext()
        defer { context.close() }
        #expect(throws: ZMQError.invalidArgument) {
            _ = try ZMQSocket(context, type: .dealer, options: [.routingID([])])
        }
        let socket = try ZMQSocket(context, type: .dealer)
        #expect(throws: ZMQError.self) { try socket.connect("not-an-endpoint") }
        #expect(throws: ZMQError.endpointNotFound) { try socket.disconnect("\(loopback):1") }
    }

    @Test func unbindAndDisconnect() throws {
        let context = try ZMQContext()
        defer { context.close() }
        let router = try ZMQSocket(context, type: .router)
        try router.bind("\(loopback):0")
        let endpoint = try router.lastEndpoint
        let dealer = try ZMQSocket(context, type: .dealer)
        try dealer.connect(endpoint)
        try dealer.disconnect(endpoint)
        try router.unbind(endpoint)
        #expect(throws: ZMQError.endpointNotFound) { try router.unbind(endpoint) }
    }

    @Test func closingContextWithOpenSocketsDoesNotHang() throws {
        let outcome = Shared<[ZMQError?]>([])
        let run = BackgroundRun {
            do {
                let context = try ZMQContext()
                let router = try ZMQSocket(context, type: .router, options: [.linger(.zero)])
                try router.bind("\(loopback):0")
                let dealer = try ZMQSocket(context, type: .dealer, options: [.linger(.zero)])
                try dealer.connect("\(loopback):\(try freePort())")
                _ = try dealer.trySend([bytes("queued for nobody")])

                context.close()
                let errors = [
                    thrownError { _ = try dealer.trySend([[1]]) },
                    thrownError { _ = try router.tryReceive() },
                    thrownError { _ = try ZMQSocket(context, type: .dealer) },
                ]
                dealer.close()
                router.close()
                outcome.set(errors)
            } catch {
                outcome.set([error as? ZMQError])
            }
        }
        #expect(run.finished(withinSeconds: 10))
        #expect(outcome.get() == [.contextTerminated, .contextTerminated, .contextTerminated])
    }

    @Test func closingContextWakesBlockedReceiveOnAnotherThread() throws {
        let context = try ZMQContext()
        let outcome = Shared<ZMQError?>(nil)
        let started = DispatchSemaphore(value: 0)
        let run = BackgroundRun {
            outcome.set(thrownError {
                let socket = try ZMQSocket(context, type: .dealer)
                started.signal()
                _ = try socket.receive()
            })
        }
        #expect(started.wait(timeout: .now() + 5) == .success)
        Thread.sleep(forTimeInterval: 0.1)  // most likely blocked in zmq_msg_recv by now
        context.close()
        #expect(run.finished(withinSeconds: 5))
        #expect(outcome.get() == .contextTerminated)
    }
}
