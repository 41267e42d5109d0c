import Consensus
import Synchronization
import ZeroMQ

/// The hand-off from any thread or task to the I/O thread: one bounded FIFO per peer, plus an
/// `inproc://` PAIR that wakes the I/O thread's poll.
///
/// Why per peer: with one shared queue, a flood for a dead peer would fill it and crowd out frames for
/// live peers; here a peer's backlog only ever costs that peer's frames.
///
/// Why a wake-up socket rather than a short poll interval: the I/O thread sleeps in `zmq_poll`, and
/// only a ZeroMQ socket can interrupt that. A fixed poll interval would add up to one interval of
/// latency to every consensus message and wake the thread constantly when idle. Wake-ups are
/// coalesced: only the enqueue that finds no wake-up pending sends one, so at most one is in flight.
/// The PAIR is used under the lock, since libzmq sockets must not be used by two threads at once.
final class PeerOutbox: Sendable {
    private struct State {
        var queues: [ReplicaID: [[UInt8]]]
        var wakePending = false
        var waker: ZMQSocket?
    }

    /// What happened to a frame handed to ``enqueue(_:to:)``.
    enum EnqueueResult: Equatable {
        case queued, full, unknownPeer, closed
    }

    /// The `inproc://` endpoint the I/O thread's PAIR connects to.
    let wakeEndpoint: String
    private let capacity: Int
    private let state: Mutex<State>

    private static let instances = Atomic<Int>(0)

    /// Creates the queues and binds the waking end of the PAIR.
    init(context: ZMQContext, peers: [ReplicaID], capacity: Int) throws(ZMQError) {
        let number = Self.instances.add(1, ordering: .relaxed).newValue
        let wakeEndpoint = "inproc://subchain-peer-transport-wake-\(number)"
        let waker = try ZMQSocket(context, type: .pair, options: [.sendHighWaterMark(16)])
        try waker.bind(wakeEndpoint)
        self.wakeEndpoint = wakeEndpoint
        self.capacity = capacity
        self.state = Mutex(State(queues: Dictionary(uniqueKeysWithValues: peers.map { ($0, []) }), waker: waker))
    }

    /// Queues `frame` for `peer` and wakes the I/O thread if it may be asleep.
    func enqueue(_ frame: [UInt8], to peer: ReplicaID) -> EnqueueResult {
        state.withLock { state in
            guard let waker = state.waker else { return .closed }
            guard let count = state.queues[peer]?.count else { return .unknownPeer }
            guard count < capacity else { return .full }
            state.queues[peer]?.append(frame)
            if !state.wakePending {
                state.wakePending = true
                // A failure means the context is closing; the I/O thread is stopping anyway.
                _ = try? waker.trySend([[0]])
            }
            return .queued
        }
    }

    /// Takes every queued frame. The I/O thread calls it after draining its wake-up socket, so a frame
    /// queued after this call always comes with a fresh wake-up.
    func drain() -> [(ReplicaID, [[UInt8]])] {
        state.withLock { state in
            state.wakePending = false
            var taken: [(ReplicaID, [[UInt8]])] = []
            for (peer, frames) in state.queues where !frames.isEmpty {
                taken.append((peer, frames))
                state.queues[peer] = []
            }
            return taken
        }
    }

    /// Closes the waking socket and refuses further frames. Idempotent.
    func close() {
        state.withLock { state in
            state.waker?.close()
            state.waker = nil
            state.queues = state.queues.mapValues { _ in [] }
        }
    }
}
