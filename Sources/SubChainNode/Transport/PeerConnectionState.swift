/// Whether this node's DEALER currently reaches a peer, for status and readiness.
///
/// Inferred from heartbeats, because the ZeroMQ wrapper has no socket monitor: a peer is
/// ``connected`` while it has answered a ping within `livenessTimeout`. It says the outgoing link
/// works end to end (TCP, CURVE handshake, the peer's I/O thread), which a TCP-level event would not.
public enum PeerConnectionState: String, Sendable, Hashable, CustomStringConvertible {
    /// libzmq is dialling (with backoff) or the peer stopped answering pings.
    case connecting
    /// The peer answered a ping within the liveness timeout.
    case connected

    public var description: String { rawValue }
}
