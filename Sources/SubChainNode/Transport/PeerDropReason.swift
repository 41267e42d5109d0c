/// Why the transport discarded a frame; each reason has its own counter.
public enum PeerDropReason: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Outgoing: the peer's outbox or its libzmq queue (high-water mark) was full, typically because the
    /// peer is down or slow. Dropping keeps one peer from holding up the others; PBFT retransmits.
    case queueFull
    /// Outgoing: the frame is larger than `maxFrameBytes`, which the peer would refuse (libzmq drops the
    /// whole connection on an oversize frame, so it is stopped here). Incoming oversize frames are cut by
    /// libzmq (`ZMQ_MAXMSGSIZE`) before they are allocated and cannot be counted without a socket monitor.
    case oversize
    /// Incoming: not exactly [routing id, header, payload], an unknown header, or an empty payload.
    case malformed
    /// Incoming: the consumer of ``PeerTransport/frames`` fell behind and the oldest frame was dropped.
    case inboxFull
    /// Outgoing: the target is not a configured peer (or is this node).
    case unknownPeer

    public var description: String { rawValue }
}
