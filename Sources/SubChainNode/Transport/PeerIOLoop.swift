import Consensus
import Logging
import ZeroMQ

/// The sockets of a ``PeerTransport`` and the loop that serves them, all on the transport's I/O thread.
///
/// Expected flow: created on the I/O thread (binds the ROUTER, dials every peer), ``run()`` until the
/// context is closed, ``close()``.
///
/// Guarantees:
/// - Never blocks on a peer: every send is non-blocking; a full queue drops the frame and counts it.
/// - Frames to one peer leave in the order they were handed over.
/// - Each readable socket is served at most `burst` messages per turn, so a chatty peer cannot starve
///   the outbox or the other sockets.
final class PeerIOLoop {
    private let configuration: PeerTransportConfiguration
    private let outbox: PeerOutbox
    private let board: PeerStatusBoard
    private let inbox: InboundPeerFrames
    private let logger: Logger

    private let wake: ZMQSocket
    private let router: ZMQSocket
    private let dealers: [ReplicaID: ZMQSocket]
    /// The dealers in poll order, after the wake-up socket and the ROUTER.
    private let dealerOrder: [ReplicaID]
    /// The ROUTER's endpoint, with the port the system chose for port 0.
    let boundEndpoint: String

    private static let burst = 256
    private let clock = ContinuousClock()

    init(
        context: ZMQContext,
        configuration: PeerTransportConfiguration,
        outbox: PeerOutbox,
        board: PeerStatusBoard,
        inbox: InboundPeerFrames,
        logger: Logger
    ) throws(PeerTransportError) {
        self.configuration = configuration
        self.outbox = outbox
        self.board = board
        self.inbox = inbox
        self.logger = logger

        do {
            wake = try ZMQSocket(context, type: .pair)
            try wake.connect(outbox.wakeEndpoint)
        } catch {
            throw .socket("cannot create the wake-up socket", error)
        }

        let endpoint = configuration.bindEndpoint
        do {
            router = try ZMQSocket(context, type: .router, options: Self.routerOptions(configuration))
        } catch {
            throw .socket("cannot configure the ROUTER for \(endpoint)", error)
        }
        do {
            try router.bind(endpoint)
            boundEndpoint = try router.lastEndpoint
        } catch {
            throw .bind(endpoint, error)
        }

        var dealers: [ReplicaID: ZMQSocket] = [:]
        for peer in configuration.peers.addresses {
            do {
                let dealer = try ZMQSocket(context, type: .dealer, options: Self.dealerOptions(configuration, peer))
                // Dialling never fails for a peer that is down: libzmq keeps retrying with backoff.
                try dealer.connect(peer.endpoint)
                dealers[peer.id] = dealer
            } catch {
                throw .socket("cannot dial \(peer.id) at \(peer.endpoint)", error)
            }
        }
        self.dealers = dealers
        self.dealerOrder = configuration.peers.addresses.map(\.id)
    }

    private static func routerOptions(_ configuration: PeerTransportConfiguration) -> [ZMQSocketOption] {
        var options: [ZMQSocketOption] = [
            // libzmq refuses a larger frame before allocating it and drops that connection.
            .maxMessageSize(configuration.maxFrameBytes),
            .receiveHighWaterMark(configuration.highWaterMark),
            .sendHighWaterMark(configuration.highWaterMark),
            // A peer that restarts after a hard crash (no FIN reached us) dials in again under its
            // routing id: the new connection takes the id over instead of being refused until TCP
            // keepalive buries the dead one. Routing ids are not trusted for identity anyway: every
            // consensus message is signed, and the claimed sender is only used for counting.
            .routerHandover(true),
            // Dead connections of peers that vanished without a FIN are found and closed.
            .tcpKeepAlive(idle: .seconds(10), interval: .seconds(5), probes: 3),
        ]
        if let keys = configuration.transportKeys {
            options.append(.curveServer(secretKey: keys.secretKey))
        }
        return options
    }

    private static func dealerOptions(
        _ configuration: PeerTransportConfiguration,
        _ peer: PeerAddress
    ) -> [ZMQSocketOption] {
        var options: [ZMQSocketOption] = [
            .routingID(Array(configuration.selfID.description.utf8)),
            .sendHighWaterMark(configuration.highWaterMark),
            .receiveHighWaterMark(configuration.highWaterMark),
            .reconnectInterval(configuration.reconnectInterval),
            .reconnectIntervalMax(configuration.reconnectIntervalMax),
            // Only pongs come back on a DEALER, but the limit also applies to handshake commands, and a
            // CURVE WELCOME alone is 168 bytes.
            .maxMessageSize(4096),
            .handshakeInterval(.seconds(10)),
            .tcpKeepAlive(idle: .seconds(10), interval: .seconds(5), probes: 3),
        ]
        if let keys = configuration.transportKeys, let serverKey = peer.curveKey {
            options.append(.curveClient(serverPublicKey: serverKey, keyPair: keys))
        }
        return options
    }

    /// Serves the sockets until the context is closed.
    /// - Throws: ``ZMQError/contextTerminated`` when the transport is closed (the normal way out); any
    ///   other ``ZMQError`` is a failure.
    func run() throws(ZMQError) {
        let poller = ZMQPoller([wake, router] + dealerOrder.compactMap { dealers[$0] })
        var nextHeartbeat = clock.now
        while true {
            let now = clock.now
            if now >= nextHeartbeat {
                try heartbeat(at: now)
                nextHeartbeat = now + configuration.heartbeatInterval
            }
            let ready: [Int]
            do {
                ready = try poller.poll(timeout: nextHeartbeat - now)
            } catch .interrupted {
                continue
            }
            for index in ready {
                switch index {
                case 0: try drainWake()
                case 1: try receiveFromRouter()
                default: try receiveFromDealer(dealerOrder[index - 2])
                }
            }
            // Also on a timeout, as a safety net: the outbox is cheap to check.
            try flushOutbox()
        }
    }

    /// Closes every socket; the context terminates once the transport has closed its own.
    func close() {
        wake.close()
        router.close()
        for dealer in dealers.values { dealer.close() }
    }

    private func heartbeat(at now: ContinuousClock.Instant) throws(ZMQError) {
        for dealer in dealers.values {
            // A full queue means the peer is not reading; its missing pong says so already.
            _ = try dealer.trySend(PeerWireFormat.ping)
        }
        for (peer, state) in board.refreshStates(at: now) {
            logger.info("peer link changed", metadata: ["peer": "\(peer)", "state": "\(state)"])
        }
    }

    private func drainWake() throws(ZMQError) {
        while try wake.tryReceive() != nil {}
    }

    private func flushOutbox() throws(ZMQError) {
        for (peer, frames) in outbox.drain() {
            guard let dealer = dealers[peer] else { continue }
            var sent = 0
            var full = 0
            for frame in frames {
                if try dealer.trySend(PeerWireFormat.data(frame)) { sent += 1 } else { full += 1 }
            }
            board.recordSent(sent, queueFull: full, to: peer)
        }
    }

    private func receiveFromRouter() throws(ZMQError) {
        for _ in 0..<Self.burst {
            guard let frames = try router.tryReceive() else { return }
            switch PeerWireFormat.classify(frames) {
            case .data(let routingID, let payload):
                let sender = Self.replicaID(routingID)
                board.recordReceived(from: sender)
                if case .droppedOldest(let oldest) = inbox.push(InboundPeerFrame(payload: payload, claimedSender: sender)) {
                    board.recordDrop(.inboxFull, peer: oldest.claimedSender)
                }
            case .ping(let routingID):
                // Best effort: a missed pong only delays the peer's view of the link.
                _ = try router.trySend(PeerWireFormat.pong(to: routingID))
            case .malformed(let routingID):
                let sender = routingID.flatMap(Self.replicaID)
                board.recordDrop(.malformed, peer: sender)
                logger.debug("dropped malformed peer message", metadata: [
                    "claimedSender": "\(sender.map(\.description) ?? "unknown")", "frames": "\(frames.count)",
                ])
            }
        }
    }

    private func receiveFromDealer(_ peer: ReplicaID) throws(ZMQError) {
        guard let dealer = dealers[peer] else { return }
        for _ in 0..<Self.burst {
            guard let frames = try dealer.tryReceive() else { return }
            if PeerWireFormat.isPong(frames) {
                board.recordPong(from: peer, at: clock.now)
            } else {
                board.recordDrop(.malformed, peer: peer)
            }
        }
    }

    private static func replicaID(_ routingID: [UInt8]) -> ReplicaID? {
        ReplicaID(nodeName: String(decoding: routingID, as: UTF8.self))
    }
}
