import Foundation
import Testing
import ZeroMQ

@Suite struct PollerTests {
    @Test func reportsReadySocketsAndTimesOutEmpty() throws {
        let context = try ZMQContext()
        defer { context.close() }
        let first = try ZMQSocket(context, type: .router)
        let second = try ZMQSocket(context, type: .router)
        try first.bind("\(loopback):0")
        try second.bind("\(loopback):0")
        let toFirst = try ZMQSocket(context, type: .dealer)
        let toSecond = try ZMQSocket(context, type: .dealer)
        try toFirst.connect(first.lastEndpoint)
        try toSecond.connect(second.lastEndpoint)
        let poller = ZMQPoller([first, second])

        #expect(try poller.poll(timeout: .milliseconds(100)) == [])
        #expect(try poller.poll(timeout: .zero) == [])

        try toSecond.send([bytes("x")])
        #expect(try poller.poll(timeout: .seconds(5)) == [1])

        try toFirst.send([bytes("y")])
        var ready: [Int] = []
        for _ in 0..<50 where ready != [0, 1] {
            // `second` is still readable, so a poll returns at once: pace the loop instead.
            Thread.sleep(forTimeInterval: 0.1)
            ready = try poller.poll(timeout: .zero)
        }
        #expect(ready == [0, 1])

        #expect(try first.tryReceive()?.last == bytes("y"))
        #expect(try second.tryReceive()?.last == bytes("x"))
        #expect(try poller.poll(timeout: .milliseconds(50)) == [])
    }

    @Test func pairOverInprocWakesThePoller() throws {
        let context = try ZMQContext()
        defer { context.close() }
        let router = try ZMQSocket(context, type: .router)
        try router.bind("\(loopback):0")
        let wakeReceiver = try ZMQSocket(context, type: .pair)
        try wakeReceiver.bind("inproc://wake")
        let wakeSender = try ZMQSocket(context, type: .pair)
        try wakeSender.connect("inproc://wake")
        let poller = ZMQPoller([router, wakeReceiver])

        try wakeSender.send([[]])
        #expect(try poller.poll(timeout: .seconds(5)) == [1])
        #expect(try wakeReceiver.tryReceive() == [[]])
    }
}
