import Consensus
import ZeroMQ

/// Everything a ``PeerTransport`` needs: where to listen, whom to dial, keys and bounds.
///
/// The defaults suit a 4-to-16-validator sub-chain on a cluster network; tests shorten the timings.
public struct PeerTransportConfiguration: Sendable {
    /// This node's id; its DEALERs announce it as their routing id.
    public var selfID: ReplicaID
    /// The address the ROUTER binds: `0.0.0.0` in a pod, `127.0.0.1` in tests.
    public var bindHost: String
    /// `NODE_PORT`; 0 lets the system choose (read ``PeerTransport/boundEndpoint``).
    public var port: UInt16
    /// The validators to dial.
    public var peers: PeerList
    /// This node's CURVE key pair. When set, the ROUTER is a CURVE server with its secret key and every
    /// DEALER a CURVE client, so every peer address must carry the peer's public key.
    public var transportKeys: ZMQCurveKeyPair?
    /// The largest consensus frame sent or accepted, in bytes (see `MessageLimits.maxFrameBytes`); at
    /// least 1024.
    public var maxFrameBytes: Int
    /// Frames handed to ``PeerTransport/send(_:to:)`` but not yet taken by the I/O thread, per peer.
    public var outboxCapacity: Int
    /// Frames libzmq queues per peer connection (`ZMQ_SNDHWM` / `ZMQ_RCVHWM`).
    public var highWaterMark: Int
    /// Received frames buffered for a consumer that is behind; beyond it the oldest are dropped.
    public var inboxCapacity: Int
    /// The first wait before redialling a peer.
    public var reconnectInterval: Duration
    /// The cap of the exponential redial backoff.
    public var reconnectIntervalMax: Duration
    /// How often each DEALER pings its peer to learn whether the link works.
    public var heartbeatInterval: Duration
    /// How long after the last pong a peer still counts as connected.
    public var livenessTimeout: Duration

    /// Creates a configuration with the production defaults.
    public init(
        selfID: ReplicaID,
        bindHost: String = "0.0.0.0",
        port: UInt16 = 5001,
        peers: PeerList,
        transportKeys: ZMQCurveKeyPair? = nil,
        maxFrameBytes: Int = MessageLimits().maxFrameBytes,
        outboxCapacity: Int = 4_096,
        highWaterMark: Int = 1_000,
        inboxCapacity: Int = 8_192,
        reconnectInterval: Duration = .milliseconds(100),
        reconnectIntervalMax: Duration = .seconds(5),
        heartbeatInterval: Duration = .seconds(1),
        livenessTimeout: Duration = .seconds(3)
    ) {
        self.selfID = selfID
        self.bindHost = bindHost
        self.port = port
        self.peers = peers
        self.transportKeys = transportKeys
        self.maxFrameBytes = maxFrameBytes
        self.outboxCapacity = outboxCapacity
        self.highWaterMark = highWaterMark
        self.inboxCapacity = inboxCapacity
        self.reconnectInterval = reconnectInterval
        self.reconnectIntervalMax = reconnectIntervalMax
        self.heartbeatInterval = heartbeatInterval
        self.livenessTimeout = livenessTimeout
    }

    /// The ROUTER's endpoint, `tcp://bindHost:port`.
    public var bindEndpoint: String { "tcp://\(bindHost):\(port)" }

    /// Checks what libzmq would only report as a silent handshake failure.
    func validate() throws(PeerTransportError) {
        let keyed = peers.addresses.filter { $0.curveKey != nil }
        if transportKeys != nil, let missing = peers.addresses.first(where: { $0.curveKey == nil }) {
            throw .configuration(
                "transport keys are configured but peer \(missing.id) has no CURVE public key; "
                    + "write it as \(missing.id)@\(missing.host):\(missing.port):<40 Z85 characters>"
            )
        }
        if transportKeys == nil, let first = keyed.first {
            throw .configuration(
                "peer \(first.id) has a CURVE public key but this node has no transport key pair; "
                    + "configure the node's keys or drop the keys from PEERS"
            )
        }
        // libzmq applies the limit to handshake commands too; a CURVE handshake needs a few hundred bytes.
        guard maxFrameBytes >= 1024 else {
            throw .configuration("maxFrameBytes must be at least 1024 so that handshakes fit; got \(maxFrameBytes)")
        }
        guard outboxCapacity > 0, highWaterMark > 0, inboxCapacity > 0 else {
            throw .configuration("outboxCapacity, highWaterMark and inboxCapacity must be positive")
        }
    }
}
