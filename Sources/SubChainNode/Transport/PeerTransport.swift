import Consensus
import Foundation
import Glibc
import Logging
import ServiceLifecycle
import Synchronization
import ZeroMQ

/// The node's ZeroMQ links to the other validators: a ROUTER that every peer's DEALER dials, and one
/// DEALER per peer, all owned by one dedicated I/O thread.
///
/// Expected flow: ``start(_:logger:)``; hand frames to ``send(_:to:)`` and ``broadcast(_:)`` from any
/// task; consume ``frames``; run it in a `ServiceGroup` (``run()``) or call ``close()``.
///
/// Guarantees:
/// - A dead or slow peer never delays the others: each peer has its own bounded outbox and libzmq queue,
///   sends never block, and what does not fit is dropped and counted (``PeerDropReason/queueFull``).
/// - Frames to one peer are delivered in order, at most once.
/// - Incoming frames are bounded in size (`ZMQ_MAXMSGSIZE`) and shape; others are counted, not delivered.
/// - Peer traffic is CURVE-encrypted when ``PeerTransportConfiguration/transportKeys`` is set.
///
/// Caveats:
/// - Delivery is best effort: frames queued for a peer are lost when its connection drops. PBFT's
///   retransmission, view change and state transfer cover this.
/// - The sender named by a frame is the peer's claim, not an authenticated identity.
public final class PeerTransport: Service, Sendable {
    /// Received consensus frames, in batches of what arrived since the consumer last asked. Single
    /// consumer; holds up to ``PeerTransportConfiguration/inboxCapacity`` frames and then drops the
    /// oldest (``PeerDropReason/inboxFull``), since stale consensus messages are the least useful.
    public let frames: InboundPeerFrames

    /// The configuration the transport was started with.
    public let configuration: PeerTransportConfiguration

    private let context: ZMQContext
    private let outbox: PeerOutbox
    private let board: PeerStatusBoard
    private let logger: Logger
    private let lifecycle = Mutex(Lifecycle())

    private struct Lifecycle {
        var boundEndpoint = ""
        var stopped = false
        var failure: PeerTransportError?
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private init(_ configuration: PeerTransportConfiguration, logger: Logger) throws(PeerTransportError) {
        self.configuration = configuration
        self.logger = logger
        let peers = configuration.peers.addresses
        do {
            context = try ZMQContext()
            outbox = try PeerOutbox(context: context, peers: peers.map(\.id), capacity: configuration.outboxCapacity)
        } catch {
            throw .socket("cannot create the ZeroMQ context", error)
        }
        board = PeerStatusBoard(peers: peers, livenessTimeout: configuration.livenessTimeout)
        frames = InboundPeerFrames(capacity: configuration.inboxCapacity)
    }

    /// Binds the ROUTER, dials every peer and starts the I/O thread.
    /// - Parameters:
    ///   - configuration: where to listen, whom to dial, keys and bounds.
    ///   - logger: receives link changes and malformed-input notices.
    /// - Returns: a running transport; read ``boundEndpoint`` for the port chosen for port 0.
    /// - Throws: ``PeerTransportError/bind`` naming the endpoint (for instance, address in use);
    ///   ``PeerTransportError/configuration`` for keys missing on either side.
    public static func start(
        _ configuration: PeerTransportConfiguration,
        logger: Logger = Logger(label: "subchain.peer-transport")
    ) async throws(PeerTransportError) -> PeerTransport {
        try configuration.validate()
        let transport = try PeerTransport(configuration, logger: logger)
        let started: Result<String, PeerTransportError> = await withCheckedContinuation { started in
            // A thread of its own, not a task: zmq_poll blocks, and cooperative threads must not.
            let thread = Thread {
                Self.nameCurrentThreadForTheKernel("peer-io")
                transport.runIOThread(reportingStartTo: started)
            }
            thread.name = "peer-transport-io"
            thread.start()
        }
        switch started {
        case .success(let endpoint):
            transport.lifecycle.withLock { $0.boundEndpoint = endpoint }
            logger.info("peer transport listening", metadata: [
                "endpoint": "\(endpoint)", "peers": "\(configuration.peers.description)",
                "curve": "\(configuration.transportKeys != nil)",
            ])
            return transport
        case .failure(let error):
            transport.close()
            throw error
        }
    }

    /// The ROUTER's endpoint, such as `tcp://127.0.0.1:41234`, with the port chosen for port 0.
    public var boundEndpoint: String { lifecycle.withLock { $0.boundEndpoint } }

    /// Queues a consensus frame for one peer. Never blocks; drops and counts the frame if it is too
    /// large, the peer's outbox is full, or `peer` is not configured.
    public func send(_ frame: [UInt8], to peer: ReplicaID) {
        guard frame.count <= configuration.maxFrameBytes, !frame.isEmpty else {
            board.recordDrop(frame.isEmpty ? .malformed : .oversize, peer: peer)
            return
        }
        switch outbox.enqueue(frame, to: peer) {
        case .queued, .closed: break
        case .full: board.recordDrop(.queueFull, peer: peer)
        case .unknownPeer: board.recordDrop(.unknownPeer, peer: nil)
        }
    }

    /// Queues a consensus frame for every peer, as ``send(_:to:)`` does for each.
    public func broadcast(_ frame: [UInt8]) {
        // Arrays are copy-on-write: every peer's queue shares the one buffer.
        for peer in configuration.peers.addresses { send(frame, to: peer.id) }
    }

    /// The links' states and counters now.
    public func status() -> PeerTransportStatus { board.snapshot() }

    /// Stops the transport: refuses new frames, wakes the I/O thread, which closes every socket, and
    /// ends ``frames``. Never blocks; idempotent. Await ``waitUntilStopped()`` to know the sockets are
    /// closed.
    public func close() {
        outbox.close()
        // Makes the I/O thread's poll fail at once with ETERM, wherever it is.
        context.close()
    }

    /// Returns once the I/O thread has closed its sockets (after ``close()`` or a failure).
    public func waitUntilStopped() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let stopped = lifecycle.withLock { state in
                if !state.stopped { state.waiters.append(waiter) }
                return state.stopped
            }
            if stopped { waiter.resume() }
        }
    }

    /// Runs until the task is cancelled or graceful shutdown starts, then closes the transport.
    /// - Throws: ``PeerTransportError/socket`` if the I/O thread failed on its own.
    public func run() async throws {
        await withTaskCancellationOrGracefulShutdownHandler {
            await self.waitUntilStopped()
        } onCancelOrGracefulShutdown: {
            self.close()
        }
        if let failure = lifecycle.withLock({ $0.failure }) { throw failure }
    }

    /// Gives the calling thread the name `top -H`, `ps -L` and perf show (at most 15 bytes).
    ///
    /// Foundation on Linux keeps `Thread.name` to itself, and Swift's Glibc module does not import
    /// `pthread_setname_np`; writing `/proc/thread-self/comm` is what that function does. Best effort: a
    /// missing `/proc` only leaves the inherited name.
    static func nameCurrentThreadForTheKernel(_ name: String) {
        let descriptor = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = name.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
        Glibc.close(descriptor)
    }

    /// The I/O thread's body: set up, report, serve, tear down.
    private func runIOThread(reportingStartTo started: CheckedContinuation<Result<String, PeerTransportError>, Never>) {
        let loop: PeerIOLoop
        do {
            loop = try PeerIOLoop(
                context: context, configuration: configuration, outbox: outbox, board: board, inbox: frames,
                logger: logger
            )
        } catch {
            started.resume(returning: .failure(error))
            finish(failure: nil)
            return
        }
        started.resume(returning: .success(loop.boundEndpoint))

        var failure: PeerTransportError?
        do {
            try loop.run()
        } catch .contextTerminated {
            // close() was called: the normal way out.
        } catch {
            failure = .socket("the I/O loop failed", error)
            logger.error("peer transport stopped", metadata: ["error": "\(error)"])
        }
        loop.close()
        finish(failure: failure)
    }

    private func finish(failure: PeerTransportError?) {
        close()
        frames.finish()
        let waiters = lifecycle.withLock { state in
            state.stopped = true
            state.failure = failure
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

extension PeerTransport: FrameTransport {}
