import Consensus
import Foundation
@testable import SubChainNode
import Testing

@Suite("Inbound frames: batches, order, bound, end")
struct InboundPeerFramesTests {
    private func frame(_ number: Int, from sender: UInt32 = 1) -> InboundPeerFrame {
        InboundPeerFrame(payload: Array("f\(number)".utf8), claimedSender: ReplicaID(sender))
    }

    private func numbers(_ batch: [InboundPeerFrame]?) -> [Int] {
        (batch ?? []).map { Int(String(decoding: $0.payload.dropFirst(), as: UTF8.self))! }
    }

    @Test func deliversWhatGatheredAsOneBatchInOrder() async {
        let frames = InboundPeerFrames(capacity: 100)
        for number in 0..<5 { _ = frames.push(frame(number)) }
        var iterator = frames.makeAsyncIterator()
        #expect(numbers(await iterator.next()) == [0, 1, 2, 3, 4])
        _ = frames.push(frame(5))
        #expect(numbers(await iterator.next()) == [5])
    }

    @Test func dropsTheOldestAtCapacityAndSaysWhich() async {
        let frames = InboundPeerFrames(capacity: 3)
        for number in 0..<3 {
            guard case .queued = frames.push(frame(number)) else { Issue.record("frame \(number) not queued"); return }
        }
        guard case .droppedOldest(let dropped) = frames.push(frame(3, from: 2)) else {
            Issue.record("a full queue must drop its oldest frame")
            return
        }
        #expect(dropped == frame(0))
        var iterator = frames.makeAsyncIterator()
        #expect(numbers(await iterator.next()) == [1, 2, 3])
    }

    @Test func endsAfterTheQueuedFramesOnceFinished() async {
        let frames = InboundPeerFrames(capacity: 10)
        _ = frames.push(frame(1))
        frames.finish()
        guard case .finished = frames.push(frame(2)) else {
            Issue.record("a finished sequence must refuse frames")
            return
        }
        var iterator = frames.makeAsyncIterator()
        #expect(numbers(await iterator.next()) == [1])
        #expect(await iterator.next() == nil)
    }

    @Test func aWaitingConsumerWakesForEveryFrameFromAnotherThread() async {
        // The producer is a plain thread, as the transport's I/O thread is; the consumer must see every
        // frame, in order, however the pushes and its waits interleave.
        let frames = InboundPeerFrames(capacity: 100_000)
        let count = 20_000
        let producer = Thread {
            for number in 0..<count {
                _ = frames.push(InboundPeerFrame(payload: Array("f\(number)".utf8), claimedSender: nil))
                if number % 1_000 == 0 { usleep(200) }
            }
            frames.finish()
        }
        producer.start()
        var received: [Int] = []
        var batches = 0
        for await batch in frames {
            received += numbers(batch)
            batches += 1
        }
        #expect(received == Array(0..<count))
        #expect(batches >= 1)
    }
}
