import Consensus
import DequeModule
import Synchronization

/// Frames received from peers, handed to one consumer in batches: each `next()` returns every frame that
/// arrived since the consumer last asked, oldest first.
///
/// Why batches rather than an `AsyncStream` of frames: under load, dozens of frames arrive while the
/// consumer handles one batch. A stream resumes the consumer once per frame, and every resume is a
/// thread wake-up and a task hop; here the I/O thread rings the consumer only when the queue goes from
/// empty to non-empty, and the consumer drains what has gathered in one go (the replica driver then makes
/// the whole batch durable with one fsync).
///
/// Bounded: at ``capacity`` frames the oldest is dropped, since stale consensus messages are the least
/// useful; ``push(_:)`` tells the producer so that it can count the drop.
public final class InboundPeerFrames: AsyncSequence, Sendable {
    public typealias Element = [InboundPeerFrame]

    /// What ``push(_:)`` did with a frame.
    enum PushOutcome {
        case queued
        /// The queue was full: the frame was queued and the oldest one dropped.
        case droppedOldest(InboundPeerFrame)
        /// The sequence has finished; the frame was dropped.
        case finished
    }

    private struct State {
        var frames = Deque<InboundPeerFrame>()
        var finished = false
    }

    /// The most frames held before the oldest are dropped.
    public let capacity: Int
    private let state = Mutex(State())
    /// Rung when the queue becomes non-empty or the sequence finishes; holds at most one ring.
    private let doorbell: AsyncStream<Void>
    private let ring: AsyncStream<Void>.Continuation

    init(capacity: Int) {
        self.capacity = Swift.max(1, capacity)
        (doorbell, ring) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a frame; called from the transport's I/O thread.
    func push(_ frame: InboundPeerFrame) -> PushOutcome {
        let (outcome, wasEmpty) = state.withLock { state -> (PushOutcome, Bool) in
            guard !state.finished else { return (.finished, false) }
            let wasEmpty = state.frames.isEmpty
            state.frames.append(frame)
            guard state.frames.count > capacity else { return (.queued, wasEmpty) }
            return (.droppedOldest(state.frames.removeFirst()), wasEmpty)
        }
        // Only the first frame after the consumer emptied the queue needs to wake it: it takes every
        // frame queued by then.
        if wasEmpty { ring.yield() }
        return outcome
    }

    /// Ends the sequence: the consumer gets what is still queued, then `nil`.
    func finish() {
        state.withLock { $0.finished = true }
        ring.finish()
    }

    private func takeAll() -> (frames: [InboundPeerFrame], finished: Bool) {
        state.withLock { state in
            let frames = Array(state.frames)
            state.frames.removeAll(keepingCapacity: true)
            return (frames, state.finished)
        }
    }

    /// Iterates batches. One consumer only: a second iterator would share the doorbell.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(frames: self, doorbell: doorbell.makeAsyncIterator()) }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let frames: InboundPeerFrames
        var doorbell: AsyncStream<Void>.Iterator

        /// The frames that arrived since the last call, waiting for at least one; `nil` once the
        /// transport has stopped and everything queued was taken.
        public mutating func next() async -> [InboundPeerFrame]? {
            while true {
                let (batch, finished) = frames.takeAll()
                if !batch.isEmpty { return batch }
                if finished { return nil }
                // A ring that arrived before the frames were taken only costs one more empty look.
                guard await doorbell.next() != nil else {
                    let rest = frames.takeAll().frames
                    return rest.isEmpty ? nil : rest
                }
            }
        }
    }
}
