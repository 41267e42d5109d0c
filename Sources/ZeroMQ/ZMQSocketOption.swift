import CZeroMQ

/// A socket option to apply with ``ZMQSocket/setOption(_:)`` or at creation.
///
/// Most options only affect later `bind`/`connect` calls (high-water marks, routing id, CURVE, maximum
/// message size, keepalive): set them before connecting.
public struct ZMQSocketOption: Sendable {
    enum Value: Sendable {
        case int32(Int32, Int32)
        case int64(Int32, Int64)
        case bytes(Int32, [UInt8])
    }

    /// The `zmq_setsockopt` calls that apply this option, in order.
    let values: [Value]
    let name: String

    private init(_ name: String, _ values: [Value]) {
        self.name = name
        self.values = values
    }

    /// How long `close` keeps unsent messages for a peer (`ZMQ_LINGER`); `nil` waits forever.
    /// Sockets of a ``ZMQContext`` default to zero.
    public static func linger(_ period: Duration?) -> ZMQSocketOption {
        .init("linger", [.int32(ZMQ_LINGER, milliseconds(period))])
    }

    /// The most messages queued per peer for sending (`ZMQ_SNDHWM`); 0 means no limit.
    public static func sendHighWaterMark(_ messages: Int) -> ZMQSocketOption {
        .init("sendHighWaterMark", [.int32(ZMQ_SNDHWM, clamped(messages))])
    }

    /// The most messages queued per peer for receiving (`ZMQ_RCVHWM`); 0 means no limit.
    public static func receiveHighWaterMark(_ messages: Int) -> ZMQSocketOption {
        .init("receiveHighWaterMark", [.int32(ZMQ_RCVHWM, clamped(messages))])
    }

    /// The id a ROUTER peer sees for this socket (`ZMQ_ROUTING_ID`): 1 to 255 bytes, not starting
    /// with a zero byte.
    public static func routingID(_ id: [UInt8]) -> ZMQSocketOption {
        .init("routingID", [.bytes(ZMQ_ROUTING_ID, id)])
    }

    /// Whether a ROUTER fails with ``ZMQError/hostUnreachable`` for an unknown routing id instead of
    /// silently dropping the message (`ZMQ_ROUTER_MANDATORY`).
    public static func routerMandatory(_ enabled: Bool) -> ZMQSocketOption {
        .init("routerMandatory", [.int32(ZMQ_ROUTER_MANDATORY, enabled ? 1 : 0)])
    }

    /// Whether a ROUTER hands a routing id over to a new connection that claims it, disconnecting the
    /// old one (`ZMQ_ROUTER_HANDOVER`). Off, a ROUTER refuses the newcomer for as long as the old
    /// connection lives, which after a peer's hard crash is until TCP keepalive gives up on it.
    public static func routerHandover(_ enabled: Bool) -> ZMQSocketOption {
        .init("routerHandover", [.int32(ZMQ_ROUTER_HANDOVER, enabled ? 1 : 0)])
    }

    /// The first wait before reconnecting a dropped or refused connection (`ZMQ_RECONNECT_IVL`).
    public static func reconnectInterval(_ interval: Duration) -> ZMQSocketOption {
        .init("reconnectInterval", [.int32(ZMQ_RECONNECT_IVL, milliseconds(interval))])
    }

    /// The cap of the exponential reconnect backoff (`ZMQ_RECONNECT_IVL_MAX`); `nil` disables backoff
    /// (every retry waits ``reconnectInterval(_:)``).
    public static func reconnectIntervalMax(_ interval: Duration?) -> ZMQSocketOption {
        .init("reconnectIntervalMax", [.int32(ZMQ_RECONNECT_IVL_MAX, interval.map(milliseconds) ?? 0)])
    }

    /// Whether messages are queued only for completed connections (`ZMQ_IMMEDIATE`). When on, a DEALER
    /// whose peer is down makes sends block (or fail with ``ZMQError/wouldBlock``) instead of queueing.
    public static func immediate(_ enabled: Bool) -> ZMQSocketOption {
        .init("immediate", [.int32(ZMQ_IMMEDIATE, enabled ? 1 : 0)])
    }

    /// The most time a connection may take to complete its handshake (`ZMQ_HANDSHAKE_IVL`), which
    /// includes CURVE; `nil` waits forever.
    public static func handshakeInterval(_ interval: Duration?) -> ZMQSocketOption {
        .init("handshakeInterval", [.int32(ZMQ_HANDSHAKE_IVL, interval.map(milliseconds) ?? 0)])
    }

    /// How long a blocking receive waits before failing with ``ZMQError/wouldBlock`` (`ZMQ_RCVTIMEO`);
    /// `nil` waits forever.
    public static func receiveTimeout(_ timeout: Duration?) -> ZMQSocketOption {
        .init("receiveTimeout", [.int32(ZMQ_RCVTIMEO, milliseconds(timeout))])
    }

    /// How long a blocking send waits before failing with ``ZMQError/wouldBlock`` (`ZMQ_SNDTIMEO`);
    /// `nil` waits forever.
    public static func sendTimeout(_ timeout: Duration?) -> ZMQSocketOption {
        .init("sendTimeout", [.int32(ZMQ_SNDTIMEO, milliseconds(timeout))])
    }

    /// The largest frame a peer may send (`ZMQ_MAXMSGSIZE`), bounding what a peer can make us
    /// allocate; a peer that sends more is disconnected. `nil` means no limit.
    public static func maxMessageSize(_ bytes: Int?) -> ZMQSocketOption {
        .init("maxMessageSize", [.int64(ZMQ_MAXMSGSIZE, bytes.map { Int64($0) } ?? -1)])
    }

    /// Turns TCP keepalive on with the given probe timings (`ZMQ_TCP_KEEPALIVE` and its `_IDLE`,
    /// `_INTVL` and `_CNT` companions; whole seconds), so half-open connections to a dead peer are
    /// detected.
    public static func tcpKeepAlive(idle: Duration, interval: Duration, probes: Int) -> ZMQSocketOption {
        .init("tcpKeepAlive", [
            .int32(ZMQ_TCP_KEEPALIVE, 1),
            .int32(ZMQ_TCP_KEEPALIVE_IDLE, seconds(idle)),
            .int32(ZMQ_TCP_KEEPALIVE_INTVL, seconds(interval)),
            .int32(ZMQ_TCP_KEEPALIVE_CNT, clamped(probes)),
        ])
    }

    /// Turns TCP keepalive off, rather than leaving the operating system default (`ZMQ_TCP_KEEPALIVE`).
    public static let tcpKeepAliveDisabled = ZMQSocketOption("tcpKeepAlive", [.int32(ZMQ_TCP_KEEPALIVE, 0)])

    /// Makes this socket a CURVE server (`ZMQ_CURVE_SERVER`, `ZMQ_CURVE_SECRETKEY`): every connection
    /// is encrypted and clients must know the matching public key.
    ///
    /// Caveat: without a ZAP handler libzmq accepts any client key pair; client identity must then be
    /// checked at the application level (the node's signed messages).
    public static func curveServer(secretKey: ZMQCurveKey) -> ZMQSocketOption {
        .init("curveServer", [
            .int32(ZMQ_CURVE_SERVER, 1),
            .bytes(ZMQ_CURVE_SECRETKEY, secretKey.bytes),
        ])
    }

    /// Makes this socket a CURVE client of the server whose public key is `serverPublicKey`
    /// (`ZMQ_CURVE_SERVERKEY`, `ZMQ_CURVE_PUBLICKEY`, `ZMQ_CURVE_SECRETKEY`). With a wrong server key
    /// the handshake fails and nothing is ever delivered.
    public static func curveClient(serverPublicKey: ZMQCurveKey, keyPair: ZMQCurveKeyPair) -> ZMQSocketOption {
        .init("curveClient", [
            .bytes(ZMQ_CURVE_SERVERKEY, serverPublicKey.bytes),
            .bytes(ZMQ_CURVE_PUBLICKEY, keyPair.publicKey.bytes),
            .bytes(ZMQ_CURVE_SECRETKEY, keyPair.secretKey.bytes),
        ])
    }

    /// Milliseconds, rounded up, for libzmq's `int` options; `nil` is -1 (forever).
    static func milliseconds(_ duration: Duration?) -> Int32 {
        guard let duration else { return -1 }
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        let millis = seconds.multipliedReportingOverflow(by: 1000)
        guard !millis.overflow else { return Int32.max }
        let rest = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return clamped(Int(millis.partialValue + rest))
    }

    private static func seconds(_ duration: Duration) -> Int32 {
        clamped(Int(max(duration.components.seconds, 1)))
    }

    private static func clamped(_ value: Int) -> Int32 {
        Int32(clamping: value)
    }
}
